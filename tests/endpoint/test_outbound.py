"""Outbound replies: pooled connection, cached token, retries with backoff inside a budget."""

from __future__ import annotations

import email.utils
import math
import socket
import time

import aiohttp
import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationParameters

from bot.settings import Settings
from bot.transport.outbound import OutboundError, OutboundTokens, PooledConnectorClient, RetryPolicy
from tests.endpoint.conftest import BotServer, StartBot
from tests.harness.activities import message_activity
from tests.harness.fixtures import TEST_APP_ID, MintToken
from tests.harness.http import send_activity
from tests.harness.tokens import LocalCredentialsFactory


async def _say(server: BotServer, mint_token: MintToken, text: str = "hello") -> int:
    status, _ = await send_activity(
        server.base_url, message_activity(server.service_url, text), mint_token(server.service_url)
    )
    return status


async def test_the_reply_carries_a_valid_bot_token_and_send_activity_returns_the_resource_id(
    start_bot: StartBot,
    auth_settings: Settings,
    mint_token: MintToken,
    credentials_factory: LocalCredentialsFactory,
) -> None:
    server = await start_bot(auth_settings)

    assert await _say(server, mint_token) == 201

    reply = (await server.connector.wait_for_replies(1))[0]
    assert reply.authorization is not None and reply.authorization.startswith("Bearer ")
    claims = credentials_factory.verify(reply.authorization.removeprefix("Bearer "))
    assert claims["appid"] == TEST_APP_ID
    assert server.bot.resource_ids == ["reply-1"]


async def test_the_token_is_fetched_once_and_one_connection_carries_every_reply(
    start_bot: StartBot,
    auth_settings: Settings,
    mint_token: MintToken,
    credentials_factory: LocalCredentialsFactory,
) -> None:
    server = await start_bot(auth_settings)

    for n in range(5):
        assert await _say(server, mint_token, f"message {n}") == 201

    assert len(server.connector.replies) == 5
    assert credentials_factory.tokens_minted == 1
    assert len(server.connector.peers) == 1


@pytest.mark.parametrize("status", [429, 412, 502, 504])
async def test_a_retryable_status_is_retried_and_the_reply_delivered(
    status: int, start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    server.connector.fail_next(status)

    assert await _say(server, mint_token) == 201

    assert [r.status for r in server.connector.requests] == [status, 201]
    assert len(server.sleeps) == 1
    assert server.errors == []
    assert server.bot.resource_ids == ["reply-1"]


async def test_retry_after_in_seconds_is_honoured(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    server.connector.fail_next(429, 2, retry_after="1.5")

    assert await _say(server, mint_token) == 201

    assert len(server.sleeps) == 2
    assert all(delay >= 1.5 for delay in server.sleeps)
    assert len(server.connector.replies) == 1


async def test_retry_after_as_an_http_date_is_honoured(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    # An HTTP date names a whole second: rounded up, the date is 3 to 4 s ahead (rounded down, as
    # formatdate does, barely 2 s ahead: a turn slowed by a loaded machine could read it as less than 1 s).
    retry_at = math.ceil(time.time()) + 3
    server.connector.fail_next(429, retry_after=email.utils.formatdate(retry_at, usegmt=True))

    assert await _say(server, mint_token) == 201

    assert len(server.sleeps) == 1 and 1.0 <= server.sleeps[0] <= 4.0


async def test_retries_stop_at_max_attempts_and_the_error_reaches_the_handler(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings, retry=RetryPolicy(max_attempts=3, base_delay=0.01))
    server.connector.fail_next(429, 3)

    assert await _say(server, mint_token) == 201

    assert [type(e) for e in server.errors] == [OutboundError]
    assert isinstance(server.errors[0], OutboundError) and server.errors[0].status == 429
    assert [r.status for r in server.connector.requests] == [429, 429, 429, 201]  # then the apology
    assert len(server.sleeps) == 2


async def test_a_retry_after_beyond_the_budget_gives_up_at_once(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings, retry=RetryPolicy(budget_seconds=5.0))
    server.connector.fail_next(429, retry_after="60")

    assert await _say(server, mint_token) == 201

    assert server.sleeps == []
    assert [type(e) for e in server.errors] == [OutboundError]


async def test_a_status_outside_the_retry_list_is_not_retried(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    server.connector.fail_next(503)

    assert await _say(server, mint_token) == 201

    assert server.sleeps == []
    assert [r.status for r in server.connector.requests] == [503, 201]  # the reply, then the apology


async def test_a_401_from_the_connector_fetches_a_fresh_token_once(
    start_bot: StartBot,
    auth_settings: Settings,
    mint_token: MintToken,
    credentials_factory: LocalCredentialsFactory,
) -> None:
    server = await start_bot(auth_settings)
    server.connector.fail_next(401)

    assert await _say(server, mint_token) == 201

    assert [r.status for r in server.connector.requests] == [401, 201]
    assert credentials_factory.tokens_minted == 2
    assert server.errors == []


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)

    low = [policy.backoff(n, rng=lambda: 0.0) for n in range(1, 6)]
    high = [policy.backoff(n, rng=lambda: 1.0) for n in range(1, 6)]

    assert low == [0.25, 0.5, 1.0, 2.0, 2.0]
    assert high == [0.5, 1.0, 2.0, 4.0, 4.0]


async def test_the_token_is_refreshed_shortly_before_it_expires(
    credentials_factory: LocalCredentialsFactory,
) -> None:
    now = [time.time()]
    tokens = OutboundTokens(credentials_factory, refresh_margin=300, clock=lambda: now[0])
    scope = "https://api.botframework.com"

    first = await tokens.token(TEST_APP_ID, scope)
    now[0] += 3600 - 301  # still more than the margin left
    assert await tokens.token(TEST_APP_ID, scope) == first
    now[0] += 2  # inside the margin
    await tokens.token(TEST_APP_ID, scope)

    assert credentials_factory.tokens_minted == 2


async def test_no_token_is_fetched_without_an_app_id(credentials_factory: LocalCredentialsFactory) -> None:
    tokens = OutboundTokens(credentials_factory)

    assert await tokens.token("", "https://api.botframework.com") is None
    assert credentials_factory.tokens_minted == 0


async def _client(server: BotServer) -> PooledConnectorClient:
    factory = server.adapter.bot_framework_authentication.create_connector_factory(
        server.adapter.create_claims_identity(TEST_APP_ID)
    )
    client: PooledConnectorClient = await factory.create(server.service_url, None)
    return client


async def test_update_delete_and_create_conversation_go_over_the_pool(
    start_bot: StartBot, auth_settings: Settings
) -> None:
    server = await start_bot(auth_settings)
    client = await _client(server)
    activity = Activity(type="message", text="edited")

    updated = await client.conversations.update_activity("a:conv/1", "act;1", activity)
    await client.conversations.delete_activity("a:conv/1", "act;1")
    created = await client.conversations.create_conversation(
        ConversationParameters(bot=ChannelAccount(id="28:bot"), members=[ChannelAccount(id="29:user")])
    )

    methods = [(r.method, r.raw_path) for r in server.connector.requests]
    assert methods == [
        ("PUT", "/v3/conversations/a:conv%2F1/activities/act;1"),
        ("DELETE", "/v3/conversations/a:conv%2F1/activities/act;1"),
        ("POST", "/v3/conversations"),
    ]
    assert server.connector.requests[0].conversation_id == "a:conv/1"
    assert updated.id == "reply-1"
    assert (created.id, created.activity_id) == ("conv-2", "act-2")
    assert server.connector.requests[0].body["text"] == "edited"


async def test_operations_not_done_over_the_pool_fall_back_to_the_stock_client(
    start_bot: StartBot, auth_settings: Settings
) -> None:
    server = await start_bot(auth_settings)
    client = await _client(server)

    members = client.conversations.get_conversation_members
    credentials = client.config.credentials

    assert members.__self__ is client.stock_client.conversations
    assert credentials.microsoft_app_id == TEST_APP_ID


async def test_a_connector_that_cannot_be_reached_is_retried_then_the_error_reaches_the_handler(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings, retry=RetryPolicy(max_attempts=3, base_delay=0.01))
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    activity = message_activity(dead_url)

    status, _ = await send_activity(server.base_url, activity, mint_token(dead_url))

    assert status == 201
    assert [type(e) for e in server.errors] == [aiohttp.ClientConnectorError]
    assert len(server.sleeps) == 4  # two retries for the reply, two for the apology (which fails too)
