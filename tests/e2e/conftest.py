"""The whole bot (`create_app`) served on loopback, its replies captured by the fake Bot Connector."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import create_app
from bot.settings import Settings
from bot.turn.state_storage import SqlStorage
from nwow.paths import default_faq_dir
from tests.cardcheck import card_objects
from tests.harness import FakeConnector, message_activity, send_activity
from tests.harness.fixtures import ServeApp
from tests.replicas.databases import fresh_database

SMALL_FAQ = Path(__file__).parent / "faq"


@pytest.fixture
def faq_dir(tmp_path: Path) -> Path:
    """A small knowledge base of our own, with the shipped offices and units beside it."""
    folder = tmp_path / "faq"
    shutil.copytree(SMALL_FAQ, folder)
    for name in ("offices.yml", "units.yml"):
        shutil.copy(default_faq_dir() / name, folder / name)
    return folder


@pytest.fixture
def settings(tmp_path: Path, faq_dir: Path) -> Settings:
    return Settings().with_overrides(
        dev_mode=True, data_dir=tmp_path / "data", faq_dir=faq_dir, faq_reload_seconds=0.05
    )


class Chat:
    """One user's conversation with the served bot."""

    def __init__(self, base_url: str, connector: FakeConnector, **identity: Any) -> None:
        self.base_url = base_url
        self.connector = connector
        self.identity = identity
        self.seen = 0

    def activity(self, text: str | None = "", **extra: Any) -> dict[str, Any]:
        return message_activity(self.connector.base_url, text, **{**self.identity, **extra})

    async def post(self, activity: dict[str, Any]) -> int:
        status, _ = await send_activity(self.base_url, activity)
        return status

    async def say(self, text: str, *, replies: int = 1, **extra: Any) -> list[dict[str, Any]]:
        """Send `text` and return the next `replies` messages the bot sent (typing indicators left out)."""
        status = await self.post(self.activity(text, **extra))
        assert status in (200, 201, 202), status
        return await self.expect(replies)

    async def submit(self, value: dict[str, Any], *, replies: int = 1, **extra: Any) -> list[dict[str, Any]]:
        status = await self.post(self.activity("", value=value, **extra))
        assert status in (200, 201, 202), status
        return await self.expect(replies)

    async def expect(self, count: int) -> list[dict[str, Any]]:
        def messages() -> list[dict[str, Any]]:
            return [r.body for r in self.connector.replies if r.body.get("type") == "message"]

        while len(messages()) < self.seen + count:
            await self.connector.wait_for_replies(len(self.connector.replies) + 1)
        new = messages()[self.seen : self.seen + count]
        self.seen += count
        return new


def hold_next_state_writes(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """From now on, hold the next two state writes (`SqlStorage.write`) until both are waiting, then let
    them go together, so that two concurrent turns of one conversation certainly race on the state; the
    event is set when they are released."""
    original = SqlStorage.write
    waiting = 0
    released = asyncio.Event()

    async def held(self: SqlStorage, changes: Mapping[str, object]) -> None:
        nonlocal waiting
        if waiting < 2:
            waiting += 1
            if waiting == 2:
                released.set()
            async with asyncio.timeout(10):
                await released.wait()
        await original(self, changes)

    monkeypatch.setattr(SqlStorage, "write", held)
    return released


async def storage_conflicts(base_url: str) -> float:
    """How many state saves lost a race so far (bot/turn/retry.py), from the app's /metrics."""
    async with aiohttp.ClientSession() as session, session.get(base_url + "/metrics") as response:
        text = await response.text()
    for line in text.splitlines():
        if line.startswith("nwow_storage_conflicts_total "):
            return float(line.split()[1])
    raise AssertionError("nwow_storage_conflicts_total missing from /metrics")


def card_of(message: dict[str, Any]) -> dict[str, Any]:
    attachments = message.get("attachments") or []
    assert attachments, f"expected a card, got text {message.get('text')!r}"
    content: dict[str, Any] = attachments[0]["content"]
    return content


def submit_values(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The data of every Action.Submit in a card, in order: what each button would send."""
    return [node["data"] for _, node in card_objects(card) if node.get("type") == "Action.Submit"]


def card_text(card: dict[str, Any]) -> str:
    """Every text and title in a card, for assertions on what the user sees."""
    return "\n".join(
        node[key]
        for _, node in card_objects(card)
        for key in ("text", "title", "label", "errorMessage")
        if isinstance(node.get(key), str)
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_on_each_backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database's URL, on SQLite and (when NWOW_TEST_POSTGRES_URL is set) PostgreSQL."""
    async with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def served(settings: Settings, serve_app: ServeApp) -> AsyncIterator[tuple[web.Application, str]]:
    app = create_app(settings)
    base_url = await serve_app(app)
    yield app, base_url


@pytest.fixture
async def chat(served: tuple[web.Application, str], fake_connector: FakeConnector) -> Chat:
    return Chat(served[1], fake_connector)
