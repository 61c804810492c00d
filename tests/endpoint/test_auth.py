"""Every bad token is a 401 and runs no turn; the SDK's real validation runs against a loopback JWKS."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.settings import Settings
from bot.transport.auth import SigningKey, SigningKeys, SigningKeysUnavailable
from bot.transport.endpoint import MAX_HEADER_FIELD_BYTES
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


async def test_a_key_fetch_that_never_finishes_is_abandoned_and_requests_are_told_to_come_back() -> None:
    abandoned = asyncio.Event()

    async def fetch(url: str) -> dict[str, SigningKey]:
        try:
            await asyncio.Event().wait()  # a server that never finishes answering
        except asyncio.CancelledError:
            abandoned.set()
            raise
        raise AssertionError("unreachable")

    keys = SigningKeys("https://metadata.test/", fetch=fetch, deadline_seconds=0.2, wait_seconds=0.05)

    with pytest.raises(SigningKeysUnavailable):
        await keys.get("k")  # gave up waiting; the fetch goes on...
    await asyncio.wait_for(abandoned.wait(), 10)  # ...until its deadline cancels it
    with pytest.raises(SigningKeysUnavailable):
        await keys.warm()
    await keys.close()


async def test_concurrent_unknown_kids_share_one_refresh() -> None:
    calls: list[str] = []

    async def fetch(url: str) -> dict[str, SigningKey]:
        calls.append(url)
        return {}

    keys = SigningKeys("https://metadata.test/", fetch=fetch, min_refresh_interval=0.0)
    await keys.warm()

    results = await asyncio.gather(*(keys.get(f"kid-{n}") for n in range(5)))

    assert results == [None] * 5
    assert len(calls) == 2  # the warm-up and ONE shared refresh


async def test_signing_keys_unavailable_is_raised_when_nothing_was_ever_loaded() -> None:
    async def fetch(url: str) -> dict[str, SigningKey]:
        raise OSError("connection refused")

    keys = SigningKeys("https://metadata.test/", fetch=fetch)

    with pytest.raises(SigningKeysUnavailable):
        await keys.warm()
    with pytest.raises(SigningKeysUnavailable):
        await keys.get("any")


async def test_a_key_server_that_drips_its_answer_cannot_hold_start_up_or_a_request(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken, openid: OpenIdServer
) -> None:
    """The JWKS arrives one byte every half second (minutes for the document): the fetch is abandoned at
    its deadline, requests get a 503 and no turn; once the server answers normally the keys load."""
    openid.drip_seconds = 0.5
    keys = SigningKeys(openid.metadata_url, deadline_seconds=1.0, wait_seconds=0.5, failure_retry_interval=0)

    async with asyncio.timeout(30):  # far less than the drip; without a deadline start-up hangs past it
        server = await start_bot(auth_settings, signing_keys=keys)
        status, body = await send_activity(
            server.base_url, message_activity(server.service_url), mint_token(server.service_url)
        )

    assert (status, body) == (503, {"error": "authentication temporarily unavailable"})
    assert server.bot.turns == []
    openid.stop_dripping()
    status, _ = await send_activity(
        server.base_url, message_activity(server.service_url), mint_token(server.service_url)
    )
    assert status == 201


async def test_a_request_waiting_on_a_dripping_key_refresh_gets_503_while_the_fetch_goes_on(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken, openid: OpenIdServer
) -> None:
    """Keys loaded, then a token with a new key id (a rotation) while the JWKS drips: the request cannot
    be judged yet, so 503 (the channel retries) after the short wait, not after the fetch's deadline."""
    keys = SigningKeys(openid.metadata_url, deadline_seconds=120.0, wait_seconds=0.5, min_refresh_interval=0)
    server = await start_bot(auth_settings, signing_keys=keys)
    rotated = TestKey("rotated-while-dripping", endorsements=["msteams"])
    openid.add_key(rotated)
    openid.drip_seconds = 0.5
    token = mint_token(server.service_url, key=rotated)

    async with asyncio.timeout(30):
        status, body = await send_activity(server.base_url, message_activity(server.service_url), token)

    assert (status, body) == (503, {"error": "authentication temporarily unavailable"})
    assert server.bot.turns == []
    openid.stop_dripping()  # the fetch in flight fails; a retry of the channel fetches again
    statuses: list[int] = []
    async with asyncio.timeout(30):
        while not statuses or statuses[-1] == 503:
            statuses.append(
                (await send_activity(server.base_url, message_activity(server.service_url), token))[0]
            )
    assert statuses[-1] == 201


TOKEN_MARKER = "tokenmarker"


def _logged_text(caplog: pytest.LogCaptureFixture) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


@pytest.mark.parametrize("length", [9 * 1024, 12 * 1024, 17 * 1024])
async def test_a_long_forged_token_is_refused_with_401_and_never_logged(
    length: int, start_bot: StartBot, auth_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """aiohttp's 8 KiB header limit answered 400 and logged the token's first 100 bytes at ERROR."""
    caplog.set_level(logging.DEBUG)
    server = await start_bot(auth_settings)
    token = (TOKEN_MARKER + "x" * length)[:length]

    status, body = await send_activity(
        server.base_url, message_activity(server.service_url), authorization=f"Bearer {token}"
    )

    assert (status, body) == (401, {"error": "unauthorized"})
    assert server.bot.turns == []
    assert TOKEN_MARKER not in _logged_text(caplog)


async def test_a_valid_token_over_8_kib_is_accepted(
    start_bot: StartBot, auth_settings: Settings, mint_token: MintToken
) -> None:
    server = await start_bot(auth_settings)
    token = mint_token(server.service_url, padding="p" * 10_000)
    assert len(token) > 10 * 1024

    status, _ = await send_activity(server.base_url, message_activity(server.service_url), token)

    assert status == 201


async def test_a_header_beyond_the_server_limit_is_refused_without_logging_its_bytes(
    start_bot: StartBot, auth_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = await start_bot(auth_settings)
    token = TOKEN_MARKER + "x" * (MAX_HEADER_FIELD_BYTES + 1024)

    status, _ = await send_activity(
        server.base_url, message_activity(server.service_url), authorization=f"Bearer {token}"
    )

    assert status == 400  # aiohttp's own refusal: header limits stay bounded
    assert server.bot.turns == []
    assert TOKEN_MARKER not in _logged_text(caplog)
    assert any("LineTooLong" in record.getMessage() for record in caplog.records)
