"""Shared test infrastructure: a loopback OpenID/JWKS server, token minting, a fake Bot Connector, servers.

Register the fixtures with `pytest_plugins = ["tests.harness.fixtures"]` (tests/conftest.py does).
"""

from tests.harness.activities import message_activity
from tests.harness.bots import RecordingBot
from tests.harness.connector import FakeConnector, RecordedRequest
from tests.harness.http import send_activity
from tests.harness.openid import OpenIdServer, TestKey
from tests.harness.tokens import (
    CHANNEL_ISSUER,
    LocalAppCredentials,
    LocalCredentialsFactory,
    mint_channel_token,
)

__all__ = [
    "CHANNEL_ISSUER",
    "FakeConnector",
    "LocalAppCredentials",
    "LocalCredentialsFactory",
    "OpenIdServer",
    "RecordedRequest",
    "RecordingBot",
    "TestKey",
    "message_activity",
    "mint_channel_token",
    "send_activity",
]
