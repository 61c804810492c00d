"""Two turns of one conversation racing on the shared state store: neither update is lost, and the user
never sees the replies of an attempt that was thrown away (bot/turn/retry.py), on SQLite and PostgreSQL.

The race is made certain, not likely: `gate_first_writes` holds the first two state writes until both
turns have read the state and are about to save it, then lets them go together; the real storage then
sees a stale e_tag on the second.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from bot.turn.state_storage import SqlStorage, serialize_item
from tests.e2e.conftest import Chat, card_of, card_text
from tests.harness import FakeConnector
from tests.harness.fixtures import ServeApp
from tests.replicas.databases import fresh_database

GROUP = {"conversationType": "groupChat", "id": "19:group-race@thread.v2", "tenantId": "tenant-1"}
MENTION = {"type": "mention", "text": "<at>NWOW</at>", "mentioned": {"id": "28:bot", "name": "NWOW"}}

StorageWrite = Callable[[SqlStorage, Mapping[str, object]], Awaitable[None]]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def served(
    settings: Settings, database_url: str, serve_app: ServeApp
) -> AsyncIterator[tuple[web.Application, str]]:
    app = create_app(settings.with_overrides(database_url=database_url))
    yield app, await serve_app(app)


@pytest.fixture
def gate_first_writes(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Hold the first two state writes until both are waiting; the event is set when they are released."""
    original: StorageWrite = SqlStorage.write
    waiting = 0
    released = asyncio.Event()

    async def gated(self: SqlStorage, changes: Mapping[str, object]) -> None:
        nonlocal waiting
        if waiting < 2:
            waiting += 1
            if waiting == 2:
                released.set()
            async with asyncio.timeout(10):
                await released.wait()
        await original(self, changes)

    monkeypatch.setattr(SqlStorage, "write", gated)
    return released


async def _conflicts(base_url: str) -> float:
    async with aiohttp.ClientSession() as session, session.get(base_url + "/metrics") as response:
        text = await response.text()
    for line in text.splitlines():
        if line.startswith("nwow_storage_conflicts_total "):
            return float(line.split()[1])
    raise AssertionError("nwow_storage_conflicts_total missing from /metrics")


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
    assert await _conflicts(base_url) == 1.0


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
    assert await _conflicts(base_url) == 1.0
    first, second = await chat.expect(2)
    texts = sorted(card_text(card_of(m)) for m in (first, second))
    assert any("Welkom" in text for text in texts)
    survey = next(card_of(m) for m in (first, second) if "Welkom" not in card_text(card_of(m)))
    unit = next(e for e in survey["body"] if e.get("id") == "unit")["choices"][0]["value"]

    # The survey the first turn started is still running (its dialog state was not overwritten) ...
    submit = {"action": "feedback.submit", "lang": "nl", "tool": "teams", "unit": unit, "rating": "5"}
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
    assert await _conflicts(base_url) == 3.0


async def test_a_survey_submit_retried_after_a_lost_race_thanks_once_and_stores_one_row(
    served: tuple[web.Application, str], fake_connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, base_url = served
    kv = app[RUNTIME].database.kv
    chat = Chat(base_url, fake_connector)
    [form] = await chat.say("feedback", locale="en-US")
    unit = next(e for e in card_of(form)["body"] if e.get("id") == "unit")["choices"][0]["value"]

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
    submit = {"action": "feedback.submit", "lang": "en", "tool": "teams", "unit": unit, "rating": "4"}
    [thanks] = await chat.submit(submit, locale="en-US")
    assert raced and await _conflicts(base_url) == 1.0
    assert thanks["text"].startswith("Thank you for your feedback")
    assert _messages(fake_connector) == [form, thanks]
    async with app[RUNTIME].database.executor.transaction(write=False) as tx:
        assert await tx.fetch("SELECT count(*) FROM surveys") == [(1,)]
