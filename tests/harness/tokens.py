"""Tokens: channel tokens for inbound requests, and a credential factory minting the bot's outbound token."""

from __future__ import annotations

import threading
import time
from typing import Any

import jwt
from botframework.connector.auth import (
    AppCredentials,
    AuthenticationConstants,
    MicrosoftAppCredentials,
    ServiceClientCredentialsFactory,
)

from tests.harness.openid import TestKey

CHANNEL_ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
DEFAULT_SCOPE = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
OUTBOUND_ISSUER = "https://login.microsoftonline.test/botframework.com/v2.0"


def channel_claims(
    app_id: str, service_url: str, *, lifetime: int = 3600, **overrides: Any
) -> dict[str, Any]:
    """What the Bot Connector puts in its token; pass NAME=None in overrides to drop a claim."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": CHANNEL_ISSUER,
        "aud": app_id,
        "serviceurl": service_url,
        "nbf": now - 10,
        "iat": now - 10,
        "exp": now + lifetime,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def mint_channel_token(
    key: TestKey,
    app_id: str,
    service_url: str,
    *,
    kid: str | None = None,
    headers: dict[str, Any] | None = None,
    **claim_overrides: Any,
) -> str:
    """A channel token signed RS256 with `key` (kid defaults to the key's)."""
    header = {"kid": key.kid if kid is None else kid, **(headers or {})}
    return jwt.encode(
        channel_claims(app_id, service_url, **claim_overrides), key.private_pem, "RS256", headers=header
    )


class LocalAppCredentials(MicrosoftAppCredentials):  # type: ignore[misc]
    """The bot's credentials; `get_access_token` mints a token locally instead of calling Entra ID (MSAL)."""

    def __init__(self, app_id: str, oauth_scope: str, key: TestKey, counter: LocalCredentialsFactory) -> None:
        super().__init__(app_id, "unused-password", oauth_scope=oauth_scope)
        self._key = key
        self._counter = counter

    def get_access_token(self, force_refresh: bool = False) -> str:
        self._counter._count_token()
        now = int(time.time())
        claims = {
            "iss": OUTBOUND_ISSUER,
            "aud": self.oauth_scope,
            "appid": self.microsoft_app_id,
            "iat": now,
            "nbf": now,
            "exp": now + self._counter.token_lifetime,
        }
        return jwt.encode(claims, self._key.private_pem, "RS256", headers={"kid": self._key.kid})


class LocalCredentialsFactory(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Credential factory for `app_id` whose tokens are signed by `key` (check them with `verify`)."""

    def __init__(self, app_id: str, key: TestKey, *, token_lifetime: int = 3600) -> None:
        self.app_id = app_id
        self.key = key
        self.token_lifetime = token_lifetime
        self._lock = threading.Lock()
        self.tokens_minted = 0

    def _count_token(self) -> None:
        with self._lock:  # get_access_token runs in worker threads
            self.tokens_minted += 1

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(self.app_id) and app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return not self.app_id

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> AppCredentials:
        if not self.app_id:
            return MicrosoftAppCredentials.empty()
        if app_id != self.app_id:
            raise PermissionError(f"unknown app id {app_id!r}")
        return LocalAppCredentials(app_id, oauth_scope, self.key, self)

    def verify(
        self, token: str, audience: str = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
    ) -> Any:
        """Decode an outbound token the way the Bot Connector would (signature, audience, expiry)."""
        return jwt.decode(token, self.key.public_pem, algorithms=["RS256"], audience=audience)
