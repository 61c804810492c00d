"""A NUL or a lone surrogate in what a user sends: the turn completes, the row is stored cleaned, and the
user's text appears nowhere in the log. On SQLite and PostgreSQL (NWOW_TEST_POSTGRES_URL): PostgreSQL
refuses NUL in text, and no driver can encode a lone surrogate."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from nwow.feedback.models import SurveyResponse, UnansweredQuestion
from nwow.feedback.units import load_units
from nwow.paths import default_faq_dir
from nwow.storage import open_database
from tests.e2e.conftest import card_of, submit_values
from tests.hostile.conftest import chat_message, new_conversation, warm_up
from tests.hostile.served import BotProcess, ConnectorThread, start_bot_process
from tests.replicas.databases import fresh_database


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database on each backend (PostgreSQL skips when NWOW_TEST_POSTGRES_URL is unset)."""
    database = fresh_database(request.param, tmp_path)
    with asyncio.Runner() as runner:  # one loop for both ends: asyncio.run would close the generator early
        url = runner.run(database.__aenter__())
        try:
            yield url
        finally:
            runner.run(database.__aexit__(None, None, None))


@pytest.fixture
def bot(database_url: str, tmp_path: Path, connector: ConnectorThread) -> Iterator[BotProcess]:
    with start_bot_process(tmp_path / "bot", database_url) as served:
        warm_up(served, connector)
        yield served


def _rows(database_url: str, since: datetime) -> tuple[list[UnansweredQuestion], list[SurveyResponse]]:
    async def read() -> tuple[list[UnansweredQuestion], list[SurveyResponse]]:
        until = datetime.now(UTC) + timedelta(minutes=1)
        async with await open_database(database_url) as database:
            return (
                await database.feedback.unanswered_between(since, until),
                await database.feedback.surveys_between(since, until),
            )

    return asyncio.run(read())


def _first_unit() -> str:
    units, problems = load_units(default_faq_dir() / "units.yml")
    assert units is not None, problems
    return units.choices("nl")[0][0]


def _assert_not_logged(bot: BotProcess, *fragments: str) -> None:
    log = "\n".join(bot.log_lines())
    for fragment in fragments:
        assert fragment not in log
    errors = [r for r in bot.log_records() if r.get("level") in ("ERROR", "CRITICAL", "RAW")]
    assert errors == []


def test_a_question_with_a_nul_and_a_lone_surrogate_is_answered_and_stored_cleaned(
    bot: BotProcess, connector: ConnectorThread
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=5)
    conversation = new_conversation()
    seen = len(connector.connector.requests)

    answer = bot.post(
        chat_message(connector.base_url, "qvxnul\x00zork over \ud800 wibblefrotz?", conversation)
    )

    assert answer.status == 201
    replies = [r for r in connector.requests_since(seen) if r.conversation_id == conversation]
    assert [r.body.get("type") for r in replies if r.body.get("type") == "message"] == ["message"]
    unanswered, _ = _rows(bot.database_url, since)
    assert [q.text for q in unanswered if q.text.startswith("qvxnul")] == [
        "qvxnulzork over \ufffd wibblefrotz?"
    ]
    _assert_not_logged(bot, "qvxnul", "wibblefrotz")


def test_a_survey_comment_with_a_nul_and_a_lone_surrogate_is_stored_cleaned_and_thanked(
    bot: BotProcess, connector: ConnectorThread
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=5)
    conversation = new_conversation()
    seen = len(connector.connector.requests)
    assert bot.post(chat_message(connector.base_url, "feedback", conversation)).status == 201
    survey = [r.body for r in connector.requests_since(seen) if r.body.get("attachments")]
    submit = next(
        data for data in submit_values(card_of(survey[-1])) if data.get("action") == "feedback.submit"
    )
    form: dict[str, Any] = {
        **submit,  # what the form's button sends (its action, the form's id)
        "lang": "nl",
        "tool": "teams",
        "rating": "4",
        "unit": _first_unit(),
        "works": "qvxworks\x00 chat \ud83d werkt",
        "obstacles": "qvxobstacle\x07 \udc00 te traag",
        "contact": "false",
    }
    seen = len(connector.connector.requests)

    answer = bot.post(chat_message(connector.base_url, "", conversation, value=form))

    assert answer.status == 201
    thanks = [r.body for r in connector.requests_since(seen) if r.body.get("type") == "message"]
    assert len(thanks) == 1 and "attachments" not in thanks[0]  # the thank-you text, not the form again
    _, surveys = _rows(bot.database_url, since)
    assert [(s.works, s.obstacles) for s in surveys] == [
        ("qvxworks chat \ufffd werkt", "qvxobstacle \ufffd te traag")
    ]
    _assert_not_logged(bot, "qvxworks", "qvxobstacle")
