"""The bot's CloudAdapter: hardened inbound authentication, pooled outbound calls, one error handler.

The service URL rule (`check_service_url`: http(s) with a host; in development mode loopback only) is
applied once per turn: by the endpoint for an inbound activity, before the turn, by the connector factory
of proactive turns and by the outbox sender (bot/proactive/sender.py) for each proactive message (which do
not come through the endpoint). Outbound calls do not check again.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
    ServiceClientCredentialsFactory,
)

from bot.log_redaction import describe, redacted_traceback
from bot.settings import Settings
from bot.transport.auth import BotAuthentication, SigningKeys, install_signing_keys
from bot.transport.outbound import (
    OutboundClient,
    OutboundRefused,
    OutboundTokens,
    PooledConnectorFactory,
    RetryPolicy,
)
from bot.turn.retry import hold_replies

__all__ = ["ErrorHandler", "NwowAdapter", "ServiceUrlRefused", "check_service_url", "is_loopback_url"]

logger = logging.getLogger(__name__)

ErrorHandler = Callable[[TurnContext, Exception], Awaitable[None]]


class ServiceUrlRefused(OutboundRefused):
    """The activity's serviceUrl is not one this bot may post to (development mode: loopback only)."""


def is_loopback_url(url: str) -> bool:
    """http(s) URL whose host is 127.0.0.0/8, ::1 or localhost."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_service_url(service_url: str | None, *, loopback_only: bool) -> None:
    """The service URL rule: raise ServiceUrlRefused unless `service_url` is an http(s) URL with a host,
    and (development mode, `loopback_only`) a loopback one. Applied where a turn or a send begins: the
    endpoint, the proactive connector factory, the outbox sender."""
    if not service_url or not isinstance(service_url, str):
        raise ServiceUrlRefused("activity has no serviceUrl")
    try:
        parts = urlsplit(service_url)
        scheme, host = parts.scheme, parts.hostname
    except ValueError:
        scheme, host = "", None
    if scheme not in ("http", "https") or not host:
        raise ServiceUrlRefused(f"service URL {service_url!r} is not an http(s) URL")
    if loopback_only and not is_loopback_url(service_url):
        raise ServiceUrlRefused(f"service URL {service_url!r} is not loopback (development mode)")


def _app_id_of(claims_identity: ClaimsIdentity | None) -> str:
    if claims_identity is None:
        return ""
    claims: dict[str, Any] = claims_identity.claims or {}
    app_id = claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(
        AuthenticationConstants.APP_ID_CLAIM
    )
    return app_id if isinstance(app_id, str) else ""


class NwowAdapter(CloudAdapter):  # type: ignore[misc]
    """CloudAdapter with `BotAuthentication` (every bad token a 401) and `PooledConnectorFactory` outbound.

    Call `await start()` at application start (warms the signing keys in a thread) and `await close()` at
    shutdown (closes the pooled session). Tests inject `credentials_factory` (mints tokens locally) and
    `retry` (short delays, a recording sleep).
    """

    def __init__(
        self,
        settings: Settings,
        on_error: ErrorHandler,
        *,
        credentials_factory: ServiceClientCredentialsFactory | None = None,
        retry: RetryPolicy | None = None,
        outbound: OutboundClient | None = None,
        signing_keys: SigningKeys | None = None,
    ) -> None:
        self.settings = settings
        self.dev_mode = settings.dev_mode
        factory = credentials_factory or ConfigurationServiceClientCredentialFactory(settings)
        inner = ConfigurationBotFrameworkAuthentication(settings, credentials_factory=factory)
        metadata_url = (
            settings.openid_metadata_url or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
        )
        self.signing_keys = signing_keys or SigningKeys(metadata_url)
        install_signing_keys(self.signing_keys, set_channel_endpoint=bool(settings.openid_metadata_url))
        self.outbound = outbound or OutboundClient(OutboundTokens(factory), retry=retry)
        authentication = BotAuthentication(
            inner,
            self.signing_keys,
            auth_disabled=not settings.APP_ID,
            connector_factory=self._connector_factory,
        )
        super().__init__(authentication)
        self._on_error = on_error
        self.on_turn_error = self._handle_turn_error

    async def start(self) -> None:
        """Warm the signing keys off the event loop (production). Failure is logged; requests then get 503."""
        if not self.settings.APP_ID:
            return
        try:
            await self.signing_keys.warm()
        except Exception as exc:
            logger.error("could not load the Bot Framework signing keys at start: %s", exc)

    async def close(self) -> None:
        await self.outbound.close()
        await self.signing_keys.close()

    def check_service_url(self, service_url: str | None) -> None:
        """Raise ServiceUrlRefused when this bot may not post to `service_url` (`check_service_url`)."""
        check_service_url(service_url, loopback_only=self.dev_mode)

    def _connector_factory(self, identity: ClaimsIdentity, *, inbound: bool) -> PooledConnectorFactory:
        """Connectors over the pooled client; an inbound turn's service URL was checked by the endpoint,
        a proactive turn's is checked when its connector is created."""
        return PooledConnectorFactory(
            self.outbound, _app_id_of(identity), None if inbound else self.check_service_url
        )

    async def authenticate(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """Authenticate without running a turn; raises AuthenticationError (401) or SigningKeysUnavailable."""
        result: AuthenticateRequestResult = await self.bot_framework_authentication.authenticate_request(
            activity, auth_header
        )
        return result

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        # Seam for bot/turn/retry.py: while a turn may still be retried after a state conflict, its
        # replies are held in the turn's ReplyBuffer and delivered (by `_deliver`, not through here
        # again) once the state is saved.
        held = hold_replies(context, activities, self._deliver)
        if held is not None:
            return held
        return await self._deliver(context, activities)

    async def _deliver(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        responses: list[ResourceResponse] = await super().send_activities(context, activities)
        return responses

    async def _handle_turn_error(self, context: TurnContext, error: Exception) -> None:
        # The error handler (bot/turn/errors.py) logs the failure, once; this only covers its own failure.
        try:
            await self._on_error(context, error)
        except Exception as exc:
            # The user could not be told; nothing else to do for this turn, and the channel must not retry it.
            activity = context.activity
            logger.error(
                "error handler failed (activity %r, conversation %r): %s\n%s",
                activity.id,
                activity.conversation.id if activity.conversation else None,
                describe(exc),
                redacted_traceback(exc),
            )
