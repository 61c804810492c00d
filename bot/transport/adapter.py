"""The bot's CloudAdapter: hardened inbound authentication, pooled outbound calls, one error handler."""

from __future__ import annotations

import functools
import ipaddress
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from botbuilder.core import InvokeResponse, TurnContext
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

__all__ = ["ErrorHandler", "NwowAdapter", "ServiceUrlRefused", "is_loopback_url"]

logger = logging.getLogger(__name__)

ErrorHandler = Callable[[TurnContext, Exception], Awaitable[None]]


class ServiceUrlRefused(OutboundRefused):
    """The activity's serviceUrl is not one this bot may post to (development mode: loopback only)."""


@functools.lru_cache(maxsize=256)
def is_loopback_url(url: str) -> bool:
    """http(s) URL whose host is 127.0.0.0/8, ::1 or localhost (cached: checked several times a turn)."""
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
        self.outbound = outbound or OutboundClient(
            OutboundTokens(factory),
            retry=retry,
            allow_service_url=is_loopback_url if self.dev_mode else None,
        )
        outbound_client = self.outbound
        authentication = BotAuthentication(
            inner,
            self.signing_keys,
            auth_disabled=not settings.APP_ID,
            connector_factory=lambda identity: PooledConnectorFactory(outbound_client, _app_id_of(identity)),
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
        """Raise ServiceUrlRefused when replies to `service_url` are not allowed."""
        if not service_url or not isinstance(service_url, str):
            raise ServiceUrlRefused("activity has no serviceUrl")
        try:
            self.outbound.check_service_url(service_url)
        except OutboundRefused as exc:
            raise ServiceUrlRefused(str(exc)) from exc

    async def authenticate(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """Authenticate without running a turn; raises AuthenticationError (401) or SigningKeysUnavailable."""
        result: AuthenticateRequestResult = await self.bot_framework_authentication.authenticate_request(
            activity, auth_header
        )
        return result

    async def process_activity(
        self,
        auth_header_or_authenticate_request_result: str | AuthenticateRequestResult,
        activity: Activity,
        logic: Callable[[TurnContext], Awaitable[Any]],
    ) -> InvokeResponse | None:
        self.check_service_url(activity.service_url)
        response: InvokeResponse | None = await super().process_activity(
            auth_header_or_authenticate_request_result, activity, logic
        )
        return response

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        # Seam for bot/turn/retry.py: while a turn may still be retried after a state conflict, its
        # replies are held in the turn's ReplyBuffer and sent once the state is saved.
        held = hold_replies(context, activities)
        if held is not None:
            return held
        responses: list[ResourceResponse] = await super().send_activities(context, activities)
        return responses

    async def _handle_turn_error(self, context: TurnContext, error: Exception) -> None:
        activity = context.activity
        conversation_id = activity.conversation.id if activity.conversation else None
        logger.error(
            "turn failed: %s (activity %s, type %s, conversation %s)",
            type(error).__name__,
            activity.id,
            activity.type,
            conversation_id,
            exc_info=error,
        )
        try:
            await self._on_error(context, error)
        except Exception:
            # The user could not be told; nothing else to do for this turn, and the channel must not retry it.
            logger.exception(
                "error handler failed (activity %s, conversation %s)", activity.id, conversation_id
            )
