"""Outbound calls to the Bot Connector over one pooled keep-alive aiohttp session per process.

Seam: CloudAdapterBase asks the turn's `ConnectorFactory.create(service_url, audience)` for a ConnectorClient
and then calls only `client.conversations.<op>(...)` (send_to_conversation, reply_to_activity,
update_activity, delete_activity; create_conversation for proactive starts). The stock client builds an msrest
pipeline, a retry policy and a `requests` session (a thread-pool hop and a new TCP connection) for every turn.
`PooledConnectorFactory` hands out a light `PooledConnectorClient` whose `conversations` does those five calls
itself over the shared `OutboundClient`; any other operation (TeamsInfo member lookups, attachments, the
`teams` operations, `config.credentials`) falls through to a stock ConnectorClient built lazily on first use.

`OutboundClient` retries 429, 412, 502 and 504 (and failed connects) with exponential backoff and jitter
inside a time budget, honouring Retry-After; `OutboundTokens` caches the bot's access token until shortly
before it expires (MSAL fetches it with blocking HTTP, so that runs in a worker thread).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

import aiohttp
import jwt
from botbuilder.schema import (
    Activity,
    ConversationParameters,
    ConversationResourceResponse,
    ResourceResponse,
)
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AppCredentials,
    AuthenticationConstants,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
)

from bot.transport.wire import model_from_json, model_to_json

__all__ = [
    "InFlight",
    "OutboundClient",
    "OutboundError",
    "OutboundRefused",
    "OutboundTokens",
    "PooledConnectorClient",
    "PooledConnectorFactory",
    "RetryPolicy",
]

logger = logging.getLogger(__name__)

USER_AGENT: Final = "Microsoft-BotFramework/3.1 (nwow-assistant; aiohttp)"
DEFAULT_SCOPE: Final = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
DEFAULT_LOGIN_ENDPOINT: Final = AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX


class OutboundError(Exception):
    """The Bot Connector answered with an error status (after any retries)."""

    def __init__(
        self, method: str, path: str, status: int, detail: str = "", retry_after: float | None = None
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.detail = detail
        self.retry_after = retry_after
        super().__init__(f"{method} {path} -> HTTP {status}{': ' + detail if detail else ''}")


class OutboundRefused(PermissionError):
    """The service URL is not allowed (development mode sends only to loopback; see NwowAdapter)."""


@dataclass
class InFlight:
    """Whether a request left without an answer: set when it is handed to the connection, cleared when the
    connection could not be made (nothing left) or an answer came back. Still set after a timeout or a
    dropped connection: the channel may have the request, and nobody can tell."""

    unanswered: bool = False


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with equal jitter; stops at max_attempts or when the time budget runs out."""

    retry_statuses: frozenset[int] = frozenset({412, 429, 502, 504})
    max_attempts: int = 5
    base_delay: float = 0.25
    max_delay: float = 8.0
    budget_seconds: float = 20.0

    def backoff(self, retry_number: int, rng: Callable[[], float] = random.random) -> float:
        """Delay before retry `retry_number` (1-based): half fixed, half random, capped at max_delay."""
        ceiling: float = min(self.max_delay, self.base_delay * 2.0 ** (retry_number - 1))
        return ceiling / 2 + rng() * ceiling / 2


def _retry_after_seconds(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _token_expiry(token: str, default: float) -> float:
    try:
        exp = jwt.decode(token, options={"verify_signature": False}).get("exp")
    except jwt.PyJWTError:
        return default
    return float(exp) if isinstance(exp, int | float) else default


class OutboundTokens:
    """The bot's outbound access tokens, per (app id, scope), cached until `refresh_margin` before expiry.

    Credentials come from the SDK's ServiceClientCredentialsFactory (MSAL underneath, or a local minting
    factory in tests); `get_access_token` is blocking and runs in a worker thread, once per key at a time.
    """

    def __init__(
        self,
        credentials_factory: ServiceClientCredentialsFactory,
        *,
        login_endpoint: str = DEFAULT_LOGIN_ENDPOINT,
        refresh_margin: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._factory = credentials_factory
        self._login_endpoint = login_endpoint
        self._margin = refresh_margin
        self._clock = clock
        self._credentials: dict[tuple[str, str], AppCredentials] = {}
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def credentials(self, app_id: str, scope: str) -> AppCredentials:
        key = (app_id, scope)
        found = self._credentials.get(key)
        if found is None:
            found = await self._factory.create_credentials(app_id, scope, self._login_endpoint, True)
            self._credentials[key] = found
        return found

    async def token(self, app_id: str, scope: str) -> str | None:
        """A valid bearer token, or None when authentication is disabled (no app id)."""
        if not app_id:
            return None
        key = (app_id, scope)
        cached = self._tokens.get(key)
        if cached is not None and cached[1] - self._margin > self._clock():
            return cached[0]
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._tokens.get(key)
            if cached is not None and cached[1] - self._margin > self._clock():
                return cached[0]
            credentials = await self.credentials(app_id, scope)
            if not getattr(credentials, "microsoft_app_id", None):
                return None
            token: str = await asyncio.to_thread(credentials.get_access_token)
            self._tokens[key] = (token, _token_expiry(token, self._clock() + 600))
            return token

    def invalidate(self, app_id: str, scope: str) -> None:
        self._tokens.pop((app_id, scope), None)


class OutboundClient:
    """One pooled keep-alive aiohttp ClientSession for every outbound Bot Connector call of the process.

    Create it anywhere; the session opens on first use inside the running loop. Call `close()` at shutdown.
    """

    def __init__(
        self,
        tokens: OutboundTokens,
        *,
        retry: RetryPolicy | None = None,
        timeout_seconds: float = 30.0,
        connection_limit: int = 100,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tokens = tokens
        self.retry = retry or RetryPolicy()
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._limit = connection_limit
        self._sleep = sleep
        self._rng = rng
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._limit, keepalive_timeout=60)
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=self._timeout,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def call(
        self,
        method: str,
        service_url: str,
        path: str,
        *,
        app_id: str,
        scope: str,
        body: Any = None,
        retry: RetryPolicy | None = None,
        in_flight: InFlight | None = None,
    ) -> Any:
        """Send one request with retries (`retry`, default the client's policy); the parsed JSON answer
        (None when empty). Raises OutboundError (with the last Retry-After, if any). `in_flight` tells a
        caller whose call raised whether the request may have reached the channel.

        `service_url` has been checked where the turn began (the endpoint, or a proactive connector's
        creation); it is not checked again per call.
        """
        policy = retry or self.retry
        url = service_url.rstrip("/") + path
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        started = self._clock()
        attempt = 0
        token_refreshed = False
        while True:
            attempt += 1
            headers = {"Content-Type": "application/json; charset=utf-8"} if data is not None else {}
            token = await self.tokens.token(app_id, scope)
            if token:
                headers["Authorization"] = f"Bearer {token}"
            if in_flight is not None:
                in_flight.unanswered = True
            try:
                async with self.session.request(method, url, data=data, headers=headers) as response:
                    status = response.status
                    payload = await response.read()
                    retry_after = _retry_after_seconds(response.headers.get("Retry-After"), time.time())
            except aiohttp.ClientConnectorError as exc:
                # Could not connect: nothing was sent, so trying again cannot duplicate a message.
                # (Errors after sending are not retried: the channel may already have the activity.)
                if in_flight is not None:
                    in_flight.unanswered = False
                delay = self._next_delay(policy, None, attempt, None, started)
                if delay is None:
                    raise
                logger.warning("outbound %s %s: %s; retry %d in %.2fs", method, path, exc, attempt, delay)
                await self._sleep(delay)
                continue
            if in_flight is not None:
                in_flight.unanswered = False
            if status < 300:
                return _json_or_none(payload, method, path)
            if status == 401 and token and not token_refreshed:
                # A token revoked or rotated early: fetch a fresh one once.
                self.tokens.invalidate(app_id, scope)
                token_refreshed = True
                continue
            delay = self._next_delay(policy, status, attempt, retry_after, started)
            if delay is None:
                detail = payload[:200].decode("utf-8", "replace")
                raise OutboundError(method, path, status, detail, retry_after)
            logger.warning(
                "outbound %s %s got HTTP %d; retry %d in %.2fs", method, path, status, attempt, delay
            )
            await self._sleep(delay)

    def _next_delay(
        self,
        policy: RetryPolicy,
        status: int | None,
        attempt: int,
        retry_after: float | None,
        started: float,
    ) -> float | None:
        """Seconds to wait before the next attempt, or None to give up (status None: could not connect)."""
        if (status is not None and status not in policy.retry_statuses) or attempt >= policy.max_attempts:
            return None
        delay = policy.backoff(attempt, self._rng)
        if retry_after is not None:
            delay = max(delay, retry_after)
        if self._clock() - started + delay > policy.budget_seconds:
            return None
        return delay


def _json_or_none(payload: bytes, method: str, path: str) -> Any:
    """The answer's JSON; None when it is empty or not JSON (the call succeeded all the same: a success
    whose body cannot be read must not be taken for a failure, and sent again)."""
    if not payload.strip():
        return None
    try:
        return json.loads(payload)
    except ValueError:
        logger.warning("outbound %s %s: a success answered with a body that is not JSON", method, path)
        return None


def _conversation_path(conversation_id: str, activity_id: str | None = None) -> str:
    path = f"/v3/conversations/{quote(conversation_id, safe='')}/activities"
    return path if activity_id is None else f"{path}/{quote(activity_id, safe='')}"


def _resource_response(payload: Any) -> ResourceResponse:
    if isinstance(payload, dict) and isinstance(payload.get("id"), str):
        return ResourceResponse(id=payload["id"])
    return ResourceResponse()


class PooledConversations:
    """The conversation operations the adapter calls on every turn, over the pooled session.

    Other operations (members, paged members, history, attachments) go to the stock client's operations.
    """

    def __init__(self, owner: PooledConnectorClient) -> None:
        self._owner = owner

    async def send_to_conversation(self, conversation_id: str, activity: Activity) -> ResourceResponse:
        payload = await self._owner.call("POST", _conversation_path(conversation_id), model_to_json(activity))
        return _resource_response(payload)

    async def reply_to_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse:
        path = _conversation_path(conversation_id, activity_id)
        return _resource_response(await self._owner.call("POST", path, model_to_json(activity)))

    async def update_activity(
        self, conversation_id: str, activity_id: str, activity: Activity
    ) -> ResourceResponse:
        path = _conversation_path(conversation_id, activity_id)
        return _resource_response(await self._owner.call("PUT", path, model_to_json(activity)))

    async def delete_activity(self, conversation_id: str, activity_id: str) -> None:
        await self._owner.call("DELETE", _conversation_path(conversation_id, activity_id))

    async def create_conversation(self, parameters: ConversationParameters) -> ConversationResourceResponse:
        payload = await self._owner.call("POST", "/v3/conversations", model_to_json(parameters))
        return model_from_json(ConversationResourceResponse, payload or {})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._owner.stock_client.conversations, name)


class PooledConnectorClient:
    """Stands in for botframework.connector.aio.ConnectorClient for one service URL and audience."""

    def __init__(
        self,
        outbound: OutboundClient,
        service_url: str,
        app_id: str,
        scope: str,
        credentials: AppCredentials,
    ) -> None:
        self._outbound = outbound
        self.service_url = service_url
        self._app_id = app_id
        self._scope = scope
        self._credentials = credentials
        self._stock: ConnectorClient | None = None
        self.conversations = PooledConversations(self)

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        return await self._outbound.call(
            method, self.service_url, path, app_id=self._app_id, scope=self._scope, body=body
        )

    @property
    def stock_client(self) -> ConnectorClient:
        """The SDK's own client for the rare operations not done here (built on first use, then reused)."""
        if self._stock is None:
            self._stock = ConnectorClient(self._credentials, base_url=self.service_url)
        return self._stock

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.stock_client, name)


class PooledConnectorFactory(ConnectorFactory):  # type: ignore[misc]
    """ConnectorFactory for one authenticated identity (`app_id` is the bot's id; empty in development).

    `check_service_url`, when given, vets every service URL a connector is created for: the guard of
    proactive turns (the digest, a 1:1 follow-up), whose URL did not come through the endpoint's check.
    """

    def __init__(
        self,
        outbound: OutboundClient,
        app_id: str | None,
        check_service_url: Callable[[str], None] | None = None,
    ) -> None:
        self._outbound = outbound
        self._app_id = app_id or ""
        self._check = check_service_url

    async def create(self, service_url: str, audience: str | None = None) -> PooledConnectorClient:
        scope = audience or DEFAULT_SCOPE
        if self._check is not None:
            self._check(service_url)
        credentials = await self._outbound.tokens.credentials(self._app_id, scope)
        return PooledConnectorClient(self._outbound, service_url, self._app_id, scope, credentials)
