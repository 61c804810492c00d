"""Two turns of one conversation racing on the shared state store: neither update is lost, and the user
never sees the replies of an attempt that was thrown away (bot/turn/retry.py), on SQLite and PostgreSQL.

The race is made certain, not likely: `gate_first_writes` holds the first two state writes until both
turns have read the state and are about to save it, then lets them go together; the real storage then
sees a stale e_tag on the second.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import pytest
from aiohttp import web

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from bot.turn.state_storage import SqlStorage, serialize_item
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

GROUP = {"conversationType": "groupChat", "id": "19:group-race@thread.v2", "tenantId": "tenant-1"}
MENTION = {"type": "mention", "text": "<at>NWOW</at>", "mentioned": {"id": "28:bot", "name": "NWOW"}}

StorageWrite = Callable[[SqlStorage, Mapping[str, object]], Awaitable[None]]


@pytest.fixture
async def served(
    settings: Settings, database_on_each_backend: str, serve_app: ServeApp
) -> AsyncIterator[tuple[web.Application, str]]:
    app = create_app(settings.with_overrides(database_url=database_on_each_backend))
    yield app, await serve_app(app)


@pytest.fixture
def gate_first_writes(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Hold the first two state writes until both are waiting; the event is set when they are released."""
    return hold_next_state_writes(monkeypatch)


def _install(chat: Chat, locale: str) -> dict[str, Any]:
    activity = chat.activity(type="installationUpdate", action="add", conversation=GROUP, locale=locale)
    activity["text"] = None
    return activity


def _messages(connector: FakeConnector) -> list[dict[str, Any]]:
    return [r.body for r in connector.replies if r.body.get("type") == "message"]


async def test_two_racing_installs_in_a_group_send_one_welcome(
    served: tuple[web.Application, str], fake_connector: FakeConnector, gate_first_writes: asyncio.Event
) -> None:
    _, base_url = served
    chat = Chat(base_url, fake_connector, conversation_id=GROUP["id"])
    installs = [_install(chat, "en-US") for _ in range(2)]
    statuses = await asyncio.gather(*(chat.post(install) for install in installs))
    assert statuses == [201, 201]
    assert gate_first_writes.is_set()
    [welcome] = _messages(fake_connector)
    assert "Welcome" in card_text(card_of(welcome))
    assert await storage_conflicts(base_url) == 1.0


async def test_a_dialog_and_a_welcome_flag_racing_on_one_conversation_both_survive(
    served: tuple[web.Application, str], fake_connector: FakeConnector, gate_first_writes: asyncio.Event
) -> None:
    _, base_url = served
    chat = Chat(base_url, fake_connector, conversation_id=GROUP["id"])
    start_survey = chat.activity(
        "<at>NWOW</at> feedback", conversation=GROUP, entities=[MENTION], locale="nl-BE"
    )
    install = _install(chat, "nl-BE")
    statuses = list(await asyncio.gather(chat.post(start_survey), chat.post(install)))
    assert statuses == [201, 201]
    assert gate_first_writes.is_set()
    assert await storage_conflicts(base_url) == 1.0
    first, second = await chat.expect(2)
    texts = sorted(card_text(card_of(m)) for m in (first, second))
    assert any("Welkom" in text for text in texts)
    survey = next(card_of(m) for m in (first, second) if "Welkom" not in card_text(card_of(m)))
    unit = next(e for e in survey["body"] if e.get("id") == "unit")["choices"][0]["value"]

    # The survey the first turn started is still running (its dialog state was not overwritten) ...
    [button] = submit_values(survey)
    submit = {**button, "tool": "teams", "unit": unit, "rating": "5"}
    [thanks] = await chat.submit(submit, conversation=GROUP, locale="nl-BE")
    assert "Bedankt voor je feedback" in thanks["text"]
    # ... and the welcome flag the other turn set is still there: no second welcome.
    again = _install(chat, "nl-BE")
    assert await chat.post(again) == 201
    assert len(_messages(fake_connector)) == 3


async def test_a_turn_that_loses_every_race_says_so_once_and_sends_nothing_else(
    served: tuple[web.Application, str], fake_connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, base_url = served
    kv = app[RUNTIME].database.kv
    original: StorageWrite = SqlStorage.write

    async def another_writer_always_first(self: SqlStorage, changes: Mapping[str, object]) -> None:
        # Another replica saves the same state documents just before each of our saves.
        await kv.write([(key, serialize_item({"other": "replica"}), None) for key in changes])
        await original(self, changes)

    monkeypatch.setattr(SqlStorage, "write", another_writer_always_first)
    chat = Chat(base_url, fake_connector)
    [reply] = await chat.say("feedback", locale="en-US")
    assert reply["text"].startswith("Sorry, I could not handle your message")
    assert _messages(fake_connector) == [reply]
    assert await storage_conflicts(base_url) == 3.0


async def test_a_survey_submit_retried_after_a_lost_race_thanks_once_and_stores_one_row(
    served: tuple[web.Application, str], fake_connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, base_url = served
    kv = app[RUNTIME].database.kv
    chat = Chat(base_url, fake_connector)
    [form] = await chat.say("feedback", locale="en-US")
    unit = next(e for e in card_of(form)["body"] if e.get("id") == "unit")["choices"][0]["value"]
    [button] = submit_values(card_of(form))

    original: StorageWrite = SqlStorage.write
    raced = False

    async def another_turn_saves_first_once(self: SqlStorage, changes: Mapping[str, object]) -> None:
        # Once: a concurrent turn of this conversation re-saves the same documents just before our save
        # (new e_tags, same content), so the submit's first attempt loses the race after storing the
        # response, and its retry finds the response already stored.
        nonlocal raced
        if not raced:
            raced = True
            stored = await kv.read(list(changes))
            await kv.write([(key, doc, None) for key, (doc, _etag) in stored.items()])
        await original(self, changes)

    monkeypatch.setattr(SqlStorage, "write", another_turn_saves_first_once)
    submit = {**button, "tool": "teams", "unit": unit, "rating": "4"}
    [thanks] = await chat.submit(submit, locale="en-US")
    assert raced and await storage_conflicts(base_url) == 1.0
    assert thanks["text"].startswith("Thank you for your feedback")
    assert _messages(fake_connector) == [form, thanks]
    async with app[RUNTIME].database.executor.transaction(write=False) as tx:
        assert await tx.fetch("SELECT count(*) FROM surveys") == [(1,)]
