"""pytest fixtures of the shared harness (registered from tests/conftest.py via pytest_plugins).

- `openid_server` (session): loopback OpenID metadata + JWKS in its own thread; `channel_key` signs tokens.
- `openid` (function): the same server, with counters reset and any added keys/failures undone afterwards.
- `serve_app`: `await serve_app(app) -> base_url` for any aiohttp web.Application on 127.0.0.1:0.
- `fake_connector`: a running FakeConnector (replies recorded, failures on demand), `.base_url` set.
- `credentials_factory`: mints the bot's outbound token locally (verify with `credentials_factory.verify`).
- `auth_settings` / `dev_settings`: Settings for a bot with an app id (tokens checked against `openid_server`)
  and for development mode.
- `mint_token(service_url, **claims)`: a valid channel token for `auth_settings`, claims overridable.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from aiohttp import web
from botframework.connector.auth import ChannelValidation, JwtTokenExtractor

from bot.settings import Settings
from tests.harness.connector import FakeConnector
from tests.harness.http import start_app
from tests.harness.openid import OpenIdServer, TestKey
from tests.harness.tokens import LocalCredentialsFactory, mint_channel_token

TEST_APP_ID = "11111111-2222-3333-4444-555555555555"
CHANNEL_KEY_ID = "channel-key-1"

ServeApp = Callable[[web.Application], Awaitable[str]]
MintToken = Callable[..., str]


@pytest.fixture(scope="session")
def channel_key() -> TestKey:
    return TestKey(CHANNEL_KEY_ID, endorsements=["msteams"])


@pytest.fixture(scope="session")
def outbound_key() -> TestKey:
    return TestKey("bot-outbound-key", endorsements=[])


@pytest.fixture(scope="session")
def openid_server(channel_key: TestKey) -> Iterator[OpenIdServer]:
    server = OpenIdServer([channel_key]).start()
    yield server
    server.stop()


@pytest.fixture
def openid(openid_server: OpenIdServer, channel_key: TestKey) -> Iterator[OpenIdServer]:
    openid_server.reset_counters()
    yield openid_server
    openid_server.fail_with = None
    openid_server.stop_dripping()
    for kid in openid_server.key_ids:
        if kid != channel_key.kid:
            openid_server.remove_key(kid)


@pytest.fixture(autouse=True)
def _sdk_auth_globals() -> Iterator[None]:
    """The SDK keeps the metadata URL and key caches in class attributes; restore them after each test."""
    endpoint = ChannelValidation.open_id_metadata_endpoint
    cache = dict(JwtTokenExtractor.metadataCache)
    yield
    ChannelValidation.open_id_metadata_endpoint = endpoint
    JwtTokenExtractor.metadataCache.clear()
    JwtTokenExtractor.metadataCache.update(cache)


@pytest.fixture
async def serve_app() -> AsyncIterator[ServeApp]:
    runners: list[web.AppRunner] = []

    async def serve(app: web.Application) -> str:
        runner, base_url = await start_app(app)
        runners.append(runner)
        return base_url

    yield serve
    for runner in reversed(runners):
        await runner.cleanup()


@pytest.fixture
async def fake_connector(serve_app: ServeApp) -> FakeConnector:
    connector = FakeConnector()
    connector.base_url = await serve_app(connector.app())
    return connector


@pytest.fixture
def credentials_factory(outbound_key: TestKey) -> LocalCredentialsFactory:
    return LocalCredentialsFactory(TEST_APP_ID, outbound_key)


@pytest.fixture
def auth_settings(openid_server: OpenIdServer) -> Settings:
    return Settings().with_overrides(
        APP_ID=TEST_APP_ID,
        APP_PASSWORD="not-used-tokens-are-minted-locally",
        pseudonym_key="test-pseudonym-key-0123456789",
        # The shipped knowledge base is example content (drafts, invented offices).
        allow_unvalidated_content=True,
        openid_metadata_url=openid_server.metadata_url,
    )


@pytest.fixture
def dev_settings() -> Settings:
    return Settings().with_overrides(dev_mode=True)


@pytest.fixture
def mint_token(channel_key: TestKey) -> MintToken:
    def mint(service_url: str, *, key: TestKey | None = None, **overrides: Any) -> str:
        return mint_channel_token(key or channel_key, TEST_APP_ID, service_url, **overrides)

    return mint
