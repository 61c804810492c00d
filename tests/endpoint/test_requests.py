"""Bad bodies and content types, bot exceptions, invokes, channel retries, development-mode serviceUrl."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from botbuilder.core import TurnContext

from bot.settings import Settings
from bot.transport.adapter import is_loopback_url
from bot.transport.endpoint import make_messages_handler
from bot.transport.outbound import OutboundError
from tests.endpoint.cases import BODY_CASES, BodyCase
from tests.endpoint.conftest import StartBot
from tests.harness.activities import message_activity
from tests.harness.fixtures import MintToken, ServeApp
from tests.harness.http import send_activity


@pytest.mark.parametrize("case", BODY_CASES, ids=[c.name for c in BODY_CASES])
async def test_a_bad_body_or_content_type_is_refused_and_runs_no_turn(
    case: BodyCase, start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    body = case.make(server.service_url, auth_settings.max_body_bytes)

    status, answer = await send_activity(
        server.base_url,
        None,
        mint_token(server.service_url),
        data=body,
        content_type=case.content_type,
    )

    assert status == case.expected
    assert isinstance(answer, dict) and set(answer) == {"error"}
    assert server.bot.turns == []


async def test_a_chunked_body_growing_past_the_limit_is_refused_while_reading(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    chunk = b" " * 8192
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"type": "message", "text": "'
        while sent <= 4 * auth_settings.max_body_bytes:
            sent += len(chunk)
            yield chunk
        yield b'"}'

    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {mint_token(server.service_url)}",
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(server.base_url + "/api/messages", data=body(), headers=headers) as response,
    ):
        assert response.status == 413
        assert await response.json() == {"error": f"body larger than {auth_settings.max_body_bytes} bytes"}
    assert server.bot.turns == []


async def test_json_with_a_charset_parameter_is_accepted(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)

    status, _ = await send_activity(
        server.base_url,
        message_activity(server.service_url),
        mint_token(server.service_url),
        content_type="application/json; charset=utf-8",
    )

    assert status == 201


async def test_a_bot_exception_reaches_the_error_handler_and_the_channel_gets_201(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)

    status, body = await send_activity(
        server.base_url, message_activity(server.service_url, "boom"), mint_token(server.service_url)
    )

    assert (status, body) == (201, None)
    assert [type(e) for e in server.errors] == [RuntimeError]
    replies = await server.connector.wait_for_replies(1)
    assert replies[0].body["text"] == "Sorry, something went wrong."


async def test_an_invoke_returns_the_bots_invoke_response(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    invoke = message_activity(server.service_url, type="invoke", name="adaptiveCard/action", value={"a": 1})

    status, body = await send_activity(server.base_url, invoke, mint_token(server.service_url))

    assert (status, body) == (200, {"invoked": "adaptiveCard/action"})


async def test_a_retried_activity_is_acknowledged_and_not_processed_again(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    activity = message_activity(server.service_url, "once")
    token = mint_token(server.service_url)

    first = await send_activity(server.base_url, activity, token)
    second = await send_activity(server.base_url, activity, token)

    assert first == second == (201, None)
    assert len(server.bot.turns) == 1
    assert len(server.connector.replies) == 1


async def test_the_same_activity_id_in_another_conversation_is_processed(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    token = mint_token(server.service_url)

    await send_activity(server.base_url, message_activity(server.service_url, activity_id="1"), token)
    await send_activity(
        server.base_url,
        message_activity(server.service_url, activity_id="1", conversation_id="a:conversation-2"),
        token,
    )

    assert len(server.bot.turns) == 2


async def test_a_retried_invoke_is_acknowledged_without_a_second_turn(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    invoke = message_activity(server.service_url, type="invoke", name="adaptiveCard/action")
    token = mint_token(server.service_url)

    await send_activity(server.base_url, invoke, token)
    status, body = await send_activity(server.base_url, invoke, token)

    assert (status, body) == (200, {})
    assert len(server.bot.turns) == 1


async def test_an_unauthenticated_request_cannot_mark_an_activity_id_as_seen(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    activity = message_activity(server.service_url)

    forged = await send_activity(server.base_url, activity, mint_token(server.service_url, aud="another-app"))
    genuine = await send_activity(server.base_url, activity, mint_token(server.service_url))

    assert (forged[0], genuine[0]) == (401, 201)
    assert len(server.bot.turns) == 1


async def test_dev_mode_needs_no_token_and_replies_to_a_loopback_service_url_without_one(
    start_bot: StartBot, dev_settings: Settings
) -> None:
    server = await start_bot(dev_settings)

    status, _ = await send_activity(server.base_url, message_activity(server.service_url, "hi"))

    assert status == 201
    replies = await server.connector.wait_for_replies(1)
    assert replies[0].body["text"] == "echo: hi"
    assert replies[0].authorization is None


async def test_dev_mode_ignores_an_authorization_header(start_bot: StartBot, dev_settings: Settings) -> None:
    server = await start_bot(dev_settings)

    status, _ = await send_activity(
        server.base_url, message_activity(server.service_url), authorization="Bearer whatever"
    )

    assert status == 201


@pytest.mark.parametrize(
    "service_url",
    [
        "https://smba.trafficmanager.net/emea/",
        "http://example.com/",
        "http://10.0.0.1:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1.nip.io/",
        "file:///etc/passwd",
    ],
)
async def test_dev_mode_refuses_a_service_url_that_is_not_loopback(
    service_url: str, start_bot: StartBot, dev_settings: Settings
) -> None:
    server = await start_bot(dev_settings)

    status, body = await send_activity(server.base_url, message_activity(service_url))

    assert (status, body) == (403, {"error": "serviceUrl not allowed"})
    assert server.bot.turns == []
    assert server.connector.requests == []


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:3978/", True),
        ("http://127.8.9.10/", True),
        ("http://localhost:56000", True),
        ("http://[::1]:9000/x", True),
        ("https://localhost/", True),
        ("http://localhost.evil.test/", False),
        ("http://[::ffff:10.0.0.1]/", False),
        ("http://0.0.0.0/", False),
        ("ftp://127.0.0.1/", False),
        ("not a url", False),
        ("http://[::1/", False),
    ],
)
def test_is_loopback_url(url: str, loopback: bool) -> None:
    assert is_loopback_url(url) is loopback


async def test_dev_mode_proactive_send_to_a_non_loopback_url_is_refused(
    start_bot: StartBot, dev_settings: Settings
) -> None:
    server = await start_bot(dev_settings)
    factory = server.adapter.bot_framework_authentication.create_connector_factory(
        server.adapter.create_claims_identity("")
    )

    with pytest.raises(PermissionError):
        await factory.create("http://example.com/", None)


async def test_an_outbound_failure_reaches_the_error_handler(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    server.connector.fail_next(403)

    status, _ = await send_activity(
        server.base_url, message_activity(server.service_url), mint_token(server.service_url)
    )

    assert status == 201
    assert len(server.errors) == 1
    error = server.errors[0]
    assert isinstance(error, OutboundError) and error.status == 403
    assert json.loads(error.detail) == {"error": {"code": "Throttled"}}


class BrokenDeduplicator:
    async def seen_before(self, conversation_id: str, activity_id: str) -> bool:
        raise ConnectionError("database unreachable")

    async def release(self, conversation_id: str, activity_id: str) -> None:
        raise ConnectionError("database unreachable")


async def test_when_repeats_cannot_be_checked_the_channel_is_asked_to_retry_and_no_turn_runs(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken, serve_app: ServeApp
) -> None:
    server = await start_bot(auth_settings)
    app = web.Application()
    app.router.add_post(
        "/api/messages",
        make_messages_handler(server.adapter, server.bot, auth_settings, BrokenDeduplicator()),
    )
    base_url = await serve_app(app)

    status, body = await send_activity(
        base_url, message_activity(server.service_url), mint_token(server.service_url)
    )

    assert (status, body) == (503, {"error": "temporarily unavailable"})
    assert server.bot.turns == []


async def test_a_turn_cancelled_midway_is_released_so_the_channels_retry_is_processed(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    """Shutdown (or anything else) cancels a request while its turn runs: the activity's claim is
    released, so the Bot Connector's retry of it runs the turn instead of being acknowledged unprocessed."""
    server = await start_bot(auth_settings)
    activity = message_activity(server.service_url, "cancelled mid-turn")
    token = mint_token(server.service_url)
    record_turn = server.bot.on_turn
    inside = asyncio.Event()
    handler_tasks: list[asyncio.Task[Any]] = []

    async def stall_the_first_turn(context: TurnContext) -> None:
        if not handler_tasks:
            task = asyncio.current_task()
            assert task is not None
            handler_tasks.append(task)
            inside.set()
            await asyncio.Event().wait()  # until cancelled
        await record_turn(context)

    server.bot.on_turn = stall_the_first_turn  # type: ignore[method-assign,assignment]
    first = asyncio.create_task(send_activity(server.base_url, activity, token))
    await asyncio.wait_for(inside.wait(), 10)
    handler_tasks[0].cancel()
    with pytest.raises(aiohttp.ClientError):
        await asyncio.wait_for(first, 10)  # the server dropped the request

    assert await send_activity(server.base_url, activity, token) == (201, None)  # the channel's retry
    assert len(server.bot.turns) == 1
    assert len(server.connector.replies) == 1
