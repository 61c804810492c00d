"""One check, one send, one log record per event of a turn, counted on the whole bot (`create_app`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationAccount, ConversationReference

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from bot.transport.adapter import NwowAdapter
from tests.harness.activities import message_activity
from tests.harness.connector import FakeConnector
from tests.harness.fixtures import ServeApp
from tests.harness.http import send_activity

QUESTION = "Hoe vraag ik een vergoeding voor thuiswerk aan?"


@pytest.fixture
async def whole_bot(tmp_path: Path, serve_app: ServeApp) -> AsyncIterator[tuple[str, NwowAdapter]]:
    app = create_app(Settings().with_overrides(dev_mode=True, data_dir=tmp_path / "data"))
    base_url = await serve_app(app)
    yield base_url, app[RUNTIME].adapter


def _count_calls(adapter: NwowAdapter, name: str, counted: Callable[..., int]) -> list[int]:
    """Wrap the adapter method `name` on the instance; each call appends `counted(*args)`."""
    calls: list[int] = []
    original: Callable[..., Any] = getattr(adapter, name)

    def wrapper(*args: Any) -> Any:
        calls.append(counted(*args))
        return original(*args)

    setattr(adapter, name, wrapper)
    return calls


async def test_an_inbound_turn_checks_its_service_url_once_however_many_replies_it_sends(
    whole_bot: tuple[str, NwowAdapter], fake_connector: FakeConnector
) -> None:
    base_url, adapter = whole_bot
    checks = _count_calls(adapter, "check_service_url", lambda url: 1)

    for text in ("hallo", QUESTION, "help"):
        status, _ = await send_activity(base_url, message_activity(fake_connector.base_url, text))
        assert status == 201

    assert len(fake_connector.replies) >= 3
    assert sum(checks) == 3  # one per turn: the endpoint's, before the turn


async def test_a_proactive_turn_checks_its_service_url_once_and_a_foreign_one_is_refused(
    whole_bot: tuple[str, NwowAdapter], fake_connector: FakeConnector
) -> None:
    _, adapter = whole_bot
    checks = _count_calls(adapter, "check_service_url", lambda url: 1)

    async def post(context: TurnContext) -> None:
        await context.send_activity("one")
        await context.send_activity("two")

    def reference(service_url: str) -> ConversationReference:
        return ConversationReference(
            service_url=service_url, channel_id="msteams", conversation=ConversationAccount(id="19:team")
        )

    await adapter.continue_conversation(reference(fake_connector.base_url), post, "")
    assert [r.body.get("text") for r in fake_connector.replies] == ["one", "two"]
    assert sum(checks) == 1

    with pytest.raises(PermissionError):
        await adapter.continue_conversation(reference("http://example.com/"), post, "")
    assert len(fake_connector.requests) == 2


async def test_a_held_reply_passes_the_adapters_send_method_once(
    whole_bot: tuple[str, NwowAdapter], fake_connector: FakeConnector
) -> None:
    base_url, adapter = whole_bot

    def messages(context: TurnContext, activities: list[Activity]) -> int:
        return sum(activity.type == ActivityTypes.message for activity in activities)

    sends = _count_calls(adapter, "send_activities", messages)

    status, _ = await send_activity(base_url, message_activity(fake_connector.base_url, QUESTION))

    assert status == 201
    answers = [r for r in fake_connector.replies if r.body.get("type") == "message"]
    assert len(answers) == 1  # the answer card, sent after the turn's state was saved
    assert sum(sends) == 1


async def test_a_failed_turn_is_logged_once_with_its_ids_and_without_exception_messages(
    whole_bot: tuple[str, NwowAdapter], fake_connector: FakeConnector, caplog: pytest.LogCaptureFixture
) -> None:
    base_url, _ = whole_bot
    caplog.set_level(logging.DEBUG)
    fake_connector.fail_next(403)  # the answer is refused: the turn fails, the apology goes through
    activity = message_activity(fake_connector.base_url, QUESTION, activity_id="failing-turn-1")

    status, _ = await send_activity(base_url, activity)

    assert status == 201
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 1
    record = failures[0]
    assert record.exc_info is None  # the traceback is in the message, without exception messages
    text = record.getMessage()
    assert "turn failed: bot.transport.outbound.OutboundError (HTTP 403)" in text
    assert "'failing-turn-1'" in text and "Traceback (most recent call last)" in text
    assert "Throttled" not in text  # the connector's answer, part of the exception's message
