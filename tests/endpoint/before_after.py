"""Measure each bad input against the stock CloudAdapter.process and against our endpoint; print a table.

    .venv/bin/python -m tests.endpoint.before_after > /tmp/table.md

Both run the same RecordingBot over real HTTP on loopback, with the same loopback OpenID/JWKS server and fake
Bot Connector. The stock side is the SDK sample's shape: `CloudAdapter(ConfigurationBotFrameworkAuthentication)`
with an on_turn_error that apologises, and `return await adapter.process(request, bot)`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import ChannelValidation, JwtTokenExtractor

from bot.settings import Settings
from bot.transport.adapter import NwowAdapter
from bot.transport.endpoint import http_server_args, make_messages_handler
from bot.turn.dedupe import InMemoryDeduplicator
from tests.endpoint.cases import BODY_CASES, TOKEN_CASES, TokenContext
from tests.harness.activities import message_activity
from tests.harness.bots import RecordingBot
from tests.harness.connector import FakeConnector
from tests.harness.fixtures import TEST_APP_ID
from tests.harness.http import send_activity, start_app
from tests.harness.openid import OpenIdServer, TestKey
from tests.harness.tokens import LocalCredentialsFactory, mint_channel_token


@dataclass
class Side:
    base_url: str
    bot: RecordingBot

    def reset(self) -> None:
        self.bot.turns.clear()

    def outcome(self, status: int) -> str:
        return f"{status}" + (" (turn ran)" if self.bot.turns else "")


async def _apologise(context: TurnContext, error: Exception) -> None:
    await context.send_activity("Sorry, something went wrong.")


async def _stock_side(settings: Settings, factory: LocalCredentialsFactory) -> tuple[Side, web.AppRunner]:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings, credentials_factory=factory))
    adapter.on_turn_error = _apologise
    bot = RecordingBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response: web.StreamResponse = await adapter.process(request, bot)
        return response

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    runner, base_url = await start_app(app)
    return Side(base_url, bot), runner


async def _our_side(
    settings: Settings, factory: LocalCredentialsFactory
) -> tuple[Side, web.AppRunner, NwowAdapter]:
    adapter = NwowAdapter(settings, _apologise, credentials_factory=factory)
    await adapter.start()
    bot = RecordingBot()
    app = web.Application(handler_args=http_server_args())
    app.router.add_post(
        "/api/messages", make_messages_handler(adapter, bot, settings, InMemoryDeduplicator())
    )
    runner, base_url = await start_app(app)
    return Side(base_url, bot), runner, adapter


Probe = Callable[[Side], Awaitable[str]]


async def measure() -> list[tuple[str, str, str, str]]:
    channel_key = TestKey("channel-key-1", endorsements=["msteams"])
    stranger = TestKey("stranger", endorsements=["msteams"])
    openid = OpenIdServer([channel_key]).start()
    connector = FakeConnector()
    connector_runner, connector.base_url = await start_app(connector.app())
    service_url = connector.base_url
    auth_settings = Settings().with_overrides(
        APP_ID=TEST_APP_ID,
        APP_PASSWORD="unused",
        pseudonym_key="before-after-pseudonym-key",
        # The shipped knowledge base is example content (drafts, invented offices).
        allow_unvalidated_content=True,
        openid_metadata_url=openid.metadata_url,
    )
    dev_settings = Settings().with_overrides(dev_mode=True)
    factory = LocalCredentialsFactory(TEST_APP_ID, TestKey("outbound", []))
    dev_factory = LocalCredentialsFactory("", factory.key)

    # The stock side reads the metadata URL from ChannelValidation and fetches with its own _OpenIdMetadata.
    ChannelValidation.open_id_metadata_endpoint = openid.metadata_url
    stock, stock_runner = await _stock_side(auth_settings, factory)
    stock_dev, stock_dev_runner = await _stock_side(dev_settings, dev_factory)
    JwtTokenExtractor.metadataCache.pop(openid.metadata_url, None)
    ours, ours_runner, adapter = await _our_side(auth_settings, factory)
    ours_dev, ours_dev_runner, dev_adapter = await _our_side(dev_settings, dev_factory)

    def good_token() -> str:
        return mint_channel_token(channel_key, TEST_APP_ID, service_url)

    rows: list[tuple[str, str, str, str]] = []

    async def row(name: str, description: str, probe: Probe, *, dev: bool = False) -> None:
        results = []
        for side in (stock_dev, ours_dev) if dev else (stock, ours):
            side.reset()
            # The stock side keeps its own key cache; ours is installed for the same URL, so swap per side.
            if side is stock:
                JwtTokenExtractor.metadataCache.pop(openid.metadata_url, None)
            elif side is ours:
                JwtTokenExtractor.metadataCache[openid.metadata_url] = adapter.signing_keys
            results.append(await probe(side))
        rows.append((name, description, results[0], results[1]))

    def token_probe(make: Callable[[TokenContext], tuple[str | None, dict[str, Any]]]) -> Probe:
        async def probe(side: Side) -> str:
            context = TokenContext(TEST_APP_ID, service_url, channel_key, stranger)
            authorization, changes = make(context)
            activity = {**message_activity(service_url), **changes}
            status, _ = await send_activity(side.base_url, activity, authorization=authorization)
            return side.outcome(status)

        return probe

    def body_probe(content_type: str, body: bytes) -> Probe:
        async def probe(side: Side) -> str:
            status, _ = await send_activity(
                side.base_url, None, good_token(), data=body, content_type=content_type
            )
            return side.outcome(status)

        return probe

    async def valid(side: Side) -> str:
        status, _ = await send_activity(side.base_url, message_activity(service_url), good_token())
        return side.outcome(status)

    async def no_content_type(side: Side) -> str:
        status, _ = await send_activity(
            side.base_url, None, good_token(), data=b"{}", content_type="", headers={}
        )
        return side.outcome(status)

    async def bot_exception(side: Side) -> str:
        status, _ = await send_activity(side.base_url, message_activity(service_url, "boom"), good_token())
        return side.outcome(status)

    async def invoke_dict(side: Side) -> str:
        invoke = message_activity(service_url, type="invoke", name="adaptiveCard/action")
        status, body = await send_activity(side.base_url, invoke, good_token())
        return side.outcome(status) + f" {json.dumps(body)}"

    async def duplicate(side: Side) -> str:
        activity = message_activity(service_url)
        await send_activity(side.base_url, activity, good_token())
        status, _ = await send_activity(side.base_url, activity, good_token())
        return f"{status}, {len(side.bot.turns)} turns"

    async def dev_loopback(side: Side) -> str:
        status, _ = await send_activity(side.base_url, message_activity(service_url))
        return side.outcome(status)

    async def dev_foreign(side: Side) -> str:
        status, _ = await send_activity(side.base_url, message_activity("http://bot-target.invalid/"))
        return side.outcome(status)

    await row("valid-token", "a valid channel token (control)", valid)
    for token_case in TOKEN_CASES:
        await row(token_case.name, token_case.description, token_probe(token_case.make))
    await row("empty-content-type", "empty Content-Type header", no_content_type)
    for body_case in BODY_CASES:
        body = body_case.make(service_url, auth_settings.max_body_bytes)
        await row(body_case.name, body_case.description, body_probe(body_case.content_type, body))
    await row("bot-exception", "the bot raises inside the turn", bot_exception)
    await row("invoke-dict-body", "invoke whose handler returns a dict body", invoke_dict)
    await row("channel-retry", "the same activity delivered twice (second answer, turns run)", duplicate)
    await row("dev-loopback", "dev mode, loopback serviceUrl (control)", dev_loopback, dev=True)
    await row(
        "dev-foreign-serviceurl", "dev mode, serviceUrl http://bot-target.invalid/", dev_foreign, dev=True
    )

    for runner in (stock_runner, stock_dev_runner, ours_runner, ours_dev_runner, connector_runner):
        await runner.cleanup()
    await adapter.close()
    await dev_adapter.close()
    openid.stop()
    return rows


def main() -> None:
    logging.basicConfig(level=logging.CRITICAL)
    rows = asyncio.run(measure())
    print("| case | what is sent | stock `CloudAdapter.process` | NWOW endpoint |")
    print("|---|---|---|---|")
    for name, description, before, after in rows:
        print(f"| {name} | {description} | {before} | {after} |")


if __name__ == "__main__":
    main()
