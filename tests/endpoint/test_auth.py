"""Every bad token is a 401 and runs no turn; the SDK's real validation runs against a loopback JWKS."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import pytest

from bot.settings import Settings
from bot.transport.auth import SigningKey, SigningKeys, SigningKeysUnavailable
from tests.endpoint.cases import TOKEN_CASES, TokenCase, TokenContext
from tests.endpoint.conftest import StartBot
from tests.harness.activities import message_activity
from tests.harness.fixtures import TEST_APP_ID, MintToken
from tests.harness.http import send_activity
from tests.harness.openid import OpenIdServer, TestKey


@pytest.fixture(scope="module")
def stranger_key() -> TestKey:
    return TestKey("stranger", endorsements=["msteams"])


async def test_a_valid_channel_token_runs_the_turn_and_the_reply_is_delivered(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    activity = message_activity(server.service_url, "hello")

    status, body = await send_activity(server.base_url, activity, mint_token(server.service_url))

    assert (status, body) == (201, None)
    assert [turn.text for turn in server.bot.turns] == ["hello"]
    replies = await server.connector.wait_for_replies(1)
    assert replies[0].body["text"] == "echo: hello"
    assert replies[0].reply_to_id == activity["id"]


async def test_the_bearer_scheme_is_case_insensitive(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    activity = message_activity(server.service_url)

    status, _ = await send_activity(
        server.base_url, activity, authorization=f"bearer {mint_token(server.service_url)}"
    )

    assert status == 201
    assert len(server.bot.turns) == 1


@pytest.mark.parametrize("case", TOKEN_CASES, ids=[c.name for c in TOKEN_CASES])
async def test_a_bad_token_is_refused_with_401_and_runs_no_turn(
    case: TokenCase,
    start_bot: StartBot,
    auth_settings: Settings,
    channel_key: TestKey,
    stranger_key: TestKey,
    openid: OpenIdServer,
) -> None:
    server = await start_bot(auth_settings)
    context = TokenContext(TEST_APP_ID, server.service_url, channel_key, stranger_key)
    authorization, changes = case.make(context)
    activity = {**message_activity(server.service_url), **changes}

    status, body = await send_activity(server.base_url, activity, authorization=authorization)

    assert (status, body) == (401, {"error": "unauthorized"})
    assert server.bot.turns == []
    assert server.connector.requests == []


async def test_the_authorization_header_is_never_logged(
    start_bot: StartBot,
    auth_settings: Settings,
    mint_token: MintToken,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = await start_bot(auth_settings)
    good = mint_token(server.service_url)
    bad = mint_token(server.service_url, aud="another-app")
    caplog.set_level(logging.DEBUG)

    await send_activity(server.base_url, message_activity(server.service_url), good)
    await send_activity(server.base_url, message_activity(server.service_url), bad)

    assert good.split(".")[2] not in caplog.text
    assert bad.split(".")[2] not in caplog.text
    assert "another-app" in caplog.text  # the refusal is logged with its reason


async def test_keys_are_fetched_once_at_start_and_served_from_cache(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken, openid: OpenIdServer
) -> None:
    server = await start_bot(auth_settings)
    assert (openid.metadata_requests, openid.jwks_requests) == (1, 1)

    for _ in range(3):
        status, _ = await send_activity(
            server.base_url, message_activity(server.service_url), mint_token(server.service_url)
        )
        assert status == 201

    assert (openid.metadata_requests, openid.jwks_requests) == (1, 1)


async def test_an_unknown_kid_refreshes_the_keys_once_so_a_rotated_key_is_accepted(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken, openid: OpenIdServer
) -> None:
    server = await start_bot(auth_settings)
    rotated = TestKey("rotated-key", endorsements=["msteams"])
    openid.add_key(rotated)

    status, _ = await send_activity(
        server.base_url, message_activity(server.service_url), mint_token(server.service_url, key=rotated)
    )
    assert status == 201
    assert openid.jwks_requests == 2

    # Another unknown kid within the rate-limit interval: refused without fetching again.
    status, _ = await send_activity(
        server.base_url,
        message_activity(server.service_url),
        mint_token(server.service_url, key=rotated, kid="still-unknown"),
    )
    assert status == 401
    assert openid.jwks_requests == 2


async def test_keys_that_cannot_be_loaded_give_503_and_no_turn(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken, openid: OpenIdServer
) -> None:
    openid.fail_with = 500
    server = await start_bot(auth_settings)

    status, body = await send_activity(
        server.base_url, message_activity(server.service_url), mint_token(server.service_url)
    )

    assert (status, body) == (503, {"error": "authentication temporarily unavailable"})
    assert server.bot.turns == []


async def test_keys_are_loaded_after_the_server_recovers(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken, openid: OpenIdServer
) -> None:
    openid.fail_with = 500
    server = await start_bot(auth_settings)
    openid.fail_with = None
    server.adapter.signing_keys._failure_retry_interval = 0.0

    status, _ = await send_activity(
        server.base_url, message_activity(server.service_url), mint_token(server.service_url)
    )

    assert status == 201


async def test_signing_keys_are_fetched_in_a_worker_thread_never_on_the_loop() -> None:
    fetch_threads: list[int] = []
    key = TestKey("k")

    def fetch(url: str, timeout: float) -> dict[str, SigningKey]:
        fetch_threads.append(threading.get_ident())
        return {"k": SigningKey("k", key.private_key.public_key(), ["msteams"])}

    keys = SigningKeys("https://metadata.test/", fetch=fetch)
    await keys.warm()
    found = await keys.get("k")

    assert found is not None and found.endorsements == ["msteams"]
    assert fetch_threads and threading.get_ident() not in fetch_threads


async def test_concurrent_unknown_kids_share_one_refresh() -> None:
    calls: list[str] = []

    def fetch(url: str, timeout: float) -> dict[str, SigningKey]:
        calls.append(url)
        return {}

    keys = SigningKeys("https://metadata.test/", fetch=fetch, min_refresh_interval=0.0)
    await keys.warm()

    results = await asyncio.gather(*(keys.get(f"kid-{n}") for n in range(5)))

    assert results == [None] * 5
    assert len(calls) == 2  # the warm-up and ONE shared refresh


async def test_signing_keys_unavailable_is_raised_when_nothing_was_ever_loaded() -> None:
    def fetch(url: str, timeout: float) -> dict[str, Any]:
        raise OSError("connection refused")

    keys = SigningKeys("https://metadata.test/", fetch=fetch)

    with pytest.raises(SigningKeysUnavailable):
        await keys.warm()
    with pytest.raises(SigningKeysUnavailable):
        await keys.get("any")
