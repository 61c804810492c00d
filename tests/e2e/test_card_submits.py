"""What a card submit does over real HTTP: one user action is one row whatever the clicks and retries, and
a value the card never offered is refused or ignored (never stored, never a failed turn), on SQLite and
PostgreSQL.

The double click is made certain, not likely: `hold_next_state_writes` holds two state saves
until both turns have stored their answer and are about to save, then lets them go together, so one of
the two turns loses the state race and runs again (bot/turn/retry.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from tests.e2e.conftest import (
    Chat,
    card_of,
    card_text,
    hold_next_state_writes,
    storage_conflicts,
    submit_values,
)
from tests.harness import FakeConnector
from tests.harness.fixtures import ServeApp

THANKS = "Thank you for your feedback"
ALREADY = "I already have this answer"
NOT_RIGHT = "did not look right"
FAILED = "Sorry, I could not handle your message"


@pytest.fixture
async def served(
    settings: Settings, database_on_each_backend: str, serve_app: ServeApp
) -> AsyncIterator[tuple[web.Application, str]]:
    app = create_app(settings.with_overrides(database_url=database_on_each_backend))
    yield app, await serve_app(app)


async def _count(app: web.Application, query: str, *params: object) -> int:
    async with app[RUNTIME].database.executor.transaction(write=False) as tx:
        rows = await tx.fetch(query, *params)
    return int(rows[0][0])


def _messages(connector: FakeConnector) -> list[dict[str, Any]]:
    return [r.body for r in connector.replies if r.body.get("type") == "message"]


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text") or card_text(card_of(m)) for m in messages]


async def _survey_submit(chat: Chat, **answers: str) -> dict[str, Any]:
    """Ask for the survey; the value its submit button sends with `answers` filled in (first unit)."""
    [form] = await chat.say("feedback", locale="en-US")
    card = card_of(form)
    unit = next(e for e in card["body"] if e.get("id") == "unit")["choices"][0]["value"]
    [submit] = [v for v in submit_values(card) if v["action"] == "feedback.submit"]
    return {**submit, "tool": "teams", "unit": unit, "rating": "4", "contact": "false", **answers}


async def test_a_double_clicked_survey_is_stored_once_thanked_once_and_told_already_received_once(
    served: tuple[web.Application, str], fake_connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, base_url = served
    chat = Chat(base_url, fake_connector)
    value = await _survey_submit(chat, works="two clicks")
    both_saving = hold_next_state_writes(monkeypatch)
    clicks = [chat.activity("", value=value, locale="en-US") for _ in range(2)]  # two activity ids
    statuses = await asyncio.gather(*(chat.post(click) for click in clicks))
    assert statuses == [201, 201]
    assert both_saving.is_set() and await storage_conflicts(base_url) == 1.0
    replies = sorted(_texts(await chat.expect(2)))
    assert await _count(app, "SELECT count(*) FROM surveys") == 1
    assert replies[0].startswith(ALREADY) and replies[1].startswith(THANKS), replies


async def test_a_survey_submitted_again_later_from_the_same_card_is_not_stored_again(
    served: tuple[web.Application, str], chat: Chat
) -> None:
    app, _ = served
    value = await _survey_submit(chat)
    [thanks] = await chat.submit(value, locale="en-US")
    assert thanks["text"].startswith(THANKS)
    [again] = await chat.submit(value, locale="en-US")
    assert again["text"].startswith(ALREADY)
    assert await _count(app, "SELECT count(*) FROM surveys") == 1
    # A new survey is a new card: it is stored.
    other = await _survey_submit(chat, rating="2")
    [thanks] = await chat.submit(other, locale="en-US")
    assert thanks["text"].startswith(THANKS)
    assert await _count(app, "SELECT count(*) FROM surveys") == 2


@pytest.mark.parametrize(
    "forged",
    [
        {"rating": "²"},
        {"rating": "9" * 5000},
        {"rating": "0"},
        {"rating": 4},
        {"tool": "teams'); DROP TABLE surveys; --"},
        {"tool": ["teams"]},
        {"unit": "not-a-unit"},
        {"unit": {"id": "fed-dri"}},
    ],
    ids=[
        "superscript",
        "5000-digits",
        "zero",
        "number",
        "sql-tool",
        "list-tool",
        "unknown-unit",
        "object-unit",
    ],
)
async def test_a_survey_choice_the_card_never_offered_sends_the_form_back_and_stores_nothing(
    served: tuple[web.Application, str], chat: Chat, forged: dict[str, object]
) -> None:
    app, _ = served
    value = await _survey_submit(chat)
    [reply] = await chat.submit({**value, **forged}, locale="en-US")
    text = _texts([reply])[0]
    assert not text.startswith(FAILED) and not text.startswith(THANKS)
    assert "Give a rating" in text or "Pick" in text, text
    assert await _count(app, "SELECT count(*) FROM surveys") == 0
    # The form is still usable: the real values are stored.
    [thanks] = await chat.submit(value, locale="en-US")
    assert thanks["text"].startswith(THANKS)
    assert await _count(app, "SELECT count(*) FROM surveys") == 1


@pytest.mark.parametrize(
    "forged",
    [
        {"works": "x" * 28_000},
        {"works": ["a", "b"]},
        {"contact": "yes"},
        {"contact": 1},
        {"card": "x" * 5000},
    ],
    ids=["28kb-text", "list-text", "yes-contact", "number-contact", "huge-card-id"],
)
async def test_a_forged_survey_value_is_refused_politely_and_stores_nothing(
    served: tuple[web.Application, str], chat: Chat, forged: dict[str, object]
) -> None:
    app, _ = served
    value = await _survey_submit(chat)
    [reply] = await chat.submit({**value, **forged}, locale="en-US")
    assert NOT_RIGHT in reply["text"], reply
    assert await _count(app, "SELECT count(*) FROM surveys") == 0


async def test_survey_text_longer_than_the_card_allows_is_clipped_and_the_toggle_is_read_as_sent(
    served: tuple[web.Application, str], chat: Chat
) -> None:
    app, _ = served
    value = await _survey_submit(chat, works="w" * 700, contact="true")
    [thanks] = await chat.submit(value, locale="en-US")
    assert thanks["text"].startswith(THANKS)
    async with app[RUNTIME].database.executor.transaction(write=False) as tx:
        [(works, contact_ok)] = await tx.fetch("SELECT works, contact_ok FROM surveys")
    assert works == "w" * 500 and bool(contact_ok)


async def test_forged_answer_ids_give_one_vote_per_user_per_entry(
    served: tuple[web.Application, str], chat: Chat
) -> None:
    app, _ = served
    [answer] = await chat.say("wat is mfa", locale="nl-BE")
    down = next(v for v in submit_values(card_of(answer)) if v.get("helpful") is False)
    for n in range(20):
        await chat.submit({**down, "answer_id": f"forged-{n}"}, locale="nl-BE")
    assert await _count(app, "SELECT count(*) FROM votes") == 1
    # Another user's vote on the same entry is their own.
    someone_else = {
        "id": "29:user-2",
        "name": "Other User",
        "aadObjectId": "00000000-0000-0000-0000-000000000002",
    }
    other = Chat(chat.base_url, chat.connector, conversation_id="a:conversation-2", **{"from": someone_else})
    other.seen = chat.seen
    await other.submit(down, locale="nl-BE")
    assert await _count(app, "SELECT count(*) FROM votes") == 2


@pytest.mark.parametrize(
    "forged",
    [
        {"helpful": "true"},
        {"helpful": "false"},
        {"helpful": 1},
        {"helpful": None},
        {"entry_id": "no-such-entry"},
        {"entry_id": ["mfa-what"]},
        {"entry_id": "x" * 100_000},
        {"answer_id": {"id": 1}},
    ],
    ids=[
        "string-true",
        "string-false",
        "one",
        "null",
        "unknown-entry",
        "list-entry",
        "huge-entry",
        "object-answer",
    ],
)
async def test_a_forged_vote_is_refused_and_not_counted(
    served: tuple[web.Application, str], chat: Chat, forged: dict[str, object]
) -> None:
    app, _ = served
    [answer] = await chat.say("wat is mfa", locale="en-US")
    up = next(v for v in submit_values(card_of(answer)) if v.get("helpful") is True)
    [reply] = await chat.submit({**up, **forged}, locale="en-US")
    assert not reply["text"].startswith(FAILED)
    assert not reply["text"].startswith("Thanks"), reply["text"]
    assert await _count(app, "SELECT count(*) FROM votes") == 0


async def test_a_forged_home_area_is_not_remembered(served: tuple[web.Application, str], chat: Chat) -> None:
    app, _ = served
    forged = {
        "action": "offices.remember",
        "lang": "en",
        "remember": True,
        "place": "[win](https://evil.example)",
    }
    [reply] = await chat.submit(forged, locale="en-US")
    assert "evil" not in reply["text"]
    assert await _count(app, "SELECT count(*) FROM preferences") == 0
    not_bool = {"action": "offices.remember", "lang": "en", "remember": "true", "place": "Gent"}
    [reply] = await chat.submit(not_bool, locale="en-US")
    assert not reply["text"].startswith(FAILED)
    assert await _count(app, "SELECT count(*) FROM preferences") == 0
    real = {"action": "offices.remember", "lang": "en", "remember": True, "place": "gent"}
    [reply] = await chat.submit(real, locale="en-US")
    async with app[RUNTIME].database.executor.transaction(write=False) as tx:
        assert await tx.fetch("SELECT value FROM preferences") == [("Gent / Gand",)]


@pytest.mark.parametrize(
    "value",
    [
        {"action": "faq.show", "entry_id": {"$ne": None}},
        {"action": "topics.show", "topic": ["security"]},
        {"action": "offices.place", "place": 12},
        {"action": "offices.place", "place": "Gent " * 20_000},
        {"action": "offices.province", "province": {"id": "40000"}},
        {"action": "feedback.submit", "lang": ["en"]},
        {"action": "help", "lang": "x" * 100_000, "extra": {"deep": [1, 2, 3]}},
    ],
    ids=["object-entry", "list-topic", "number-place", "huge-place", "object-province", "list-lang", "junk"],
)
async def test_any_forged_card_value_gets_an_answer_not_a_failed_turn(
    chat: Chat, value: dict[str, object]
) -> None:
    [reply] = await chat.submit(value, locale="en-US")
    assert not (reply.get("text") or "").startswith(FAILED), reply


async def test_a_survey_sent_while_the_office_finder_waits_for_a_place_is_stored(
    served: tuple[web.Application, str], chat: Chat
) -> None:
    app, _ = served
    value = await _survey_submit(chat)
    await chat.say("where is the nearest satellite office", locale="en-US")  # the finder asks: where?
    assert await _count(app, "SELECT count(*) FROM surveys") == 0
    [thanks] = await chat.submit(value, locale="en-US")
    assert _texts([thanks])[0].startswith(THANKS), _texts([thanks])
    assert await _count(app, "SELECT count(*) FROM surveys") == 1
