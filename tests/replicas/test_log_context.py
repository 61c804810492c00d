"""JSON log lines made during a turn carry its activity and conversation ids (bot/turn/log_context.py)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from botbuilder.schema import Activity, ConversationAccount

from bot.logging_setup import JsonLineFormatter
from bot.turn.log_context import TurnIdsFilter, turn_ids


@pytest.fixture
def json_lines() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TurnIdsFilter())
    handler.setFormatter(JsonLineFormatter())
    logger = logging.getLogger("tests.replicas.log_context")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_records_inside_a_turn_get_its_ids_and_explicit_ids_win(
    json_lines: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = json_lines
    activity = Activity(id="act-1", conversation=ConversationAccount(id="conv-1"))
    logger.info("before")
    with turn_ids(activity):
        logger.info("during")
        logger.info("explicit", extra={"activity_id": "other"})
    logger.info("after")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(r["message"], r.get("activity_id"), r.get("conversation_id")) for r in lines] == [
        ("before", None, None),
        ("during", "act-1", "conv-1"),
        ("explicit", "other", "conv-1"),
        ("after", None, None),
    ]
