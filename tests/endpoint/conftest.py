"""A bot served over real HTTP for the plumbing tests: NwowAdapter + the messages endpoint + RecordingBot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from botbuilder.core import TurnContext

from bot.settings import Settings
from bot.transport.adapter import NwowAdapter
from bot.transport.auth import SigningKeys
from bot.transport.endpoint import http_server_args, make_messages_handler
from bot.transport.outbound import OutboundClient, OutboundTokens, RetryPolicy
from bot.turn.dedupe import InMemoryDeduplicator
from tests.harness.bots import RecordingBot
from tests.harness.connector import FakeConnector
from tests.harness.fixtures import ServeApp
from tests.harness.tokens import LocalCredentialsFactory


@dataclass
class BotServer:
    base_url: str
    adapter: NwowAdapter
    bot: RecordingBot
    connector: FakeConnector
    dedupe: InMemoryDeduplicator
    errors: list[Exception] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    @property
    def service_url(self) -> str:
        return self.connector.base_url


StartBot = Callable[..., Awaitable[BotServer]]


@pytest.fixture
async def start_bot(
    serve_app: ServeApp,
    fake_connector: FakeConnector,
    credentials_factory: LocalCredentialsFactory,
) -> AsyncIterator[StartBot]:
    adapters: list[NwowAdapter] = []

    async def start(
        settings: Settings, *, retry: RetryPolicy | None = None, signing_keys: SigningKeys | None = None
    ) -> BotServer:
        errors: list[Exception] = []
        sleeps: list[float] = []

        async def on_error(context: TurnContext, error: Exception) -> None:
            errors.append(error)
            await context.send_activity("Sorry, something went wrong.")

        async def record_sleep(delay: float) -> None:
            sleeps.append(delay)
            await asyncio.sleep(0)  # the retry's backoff, recorded, not waited: yield as a sleep would

        factory = (
            credentials_factory if settings.APP_ID else LocalCredentialsFactory("", credentials_factory.key)
        )
        outbound = OutboundClient(
            OutboundTokens(factory),
            retry=retry or RetryPolicy(base_delay=0.01, max_delay=0.05, budget_seconds=5.0),
            sleep=record_sleep,
        )
        adapter = NwowAdapter(
            settings, on_error, credentials_factory=factory, outbound=outbound, signing_keys=signing_keys
        )
        adapters.append(adapter)
        await adapter.start()
        bot = RecordingBot()
        dedupe = InMemoryDeduplicator()
        app = web.Application(handler_args=http_server_args())
        app.router.add_post("/api/messages", make_messages_handler(adapter, bot, settings, dedupe))
        base_url = await serve_app(app)
        return BotServer(base_url, adapter, bot, fake_connector, dedupe, errors, sleeps)

    yield start
    for adapter in adapters:
        await adapter.close()
