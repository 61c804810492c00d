"""Inbound Bot Framework authentication that answers every bad token with a clean refusal.

The SDK's validation (JwtTokenValidation -> ChannelValidation -> JwtTokenExtractor) is kept for the real
checks: signature, expiry, issuer, audience (the app id), endorsements and the serviceurl claim. Around it:

- `SigningKeys` replaces the SDK's `_OpenIdMetadata` in `JwtTokenExtractor.metadataCache`: the SDK fetches the
  OpenID metadata and JWKS with blocking `requests` calls on the event loop and raises IndexError for an
  unknown key id. Ours fetches with aiohttp under one total deadline per fetch (a server that drips its
  answer cannot hold it), caches, refreshes in the background when a day old and on an unknown key id at
  most once per `min_refresh_interval`; a request waits for a fetch a few seconds at most, then gets 503.
- `BotAuthentication.authenticate_request` pre-checks what the SDK lets through or crashes on (malformed
  header or token, alg=none/HS256, no kid, unknown kid, no exp, an issuer other than the channel's), then runs
  the SDK and turns any exception it raises into `AuthenticationError` (a PermissionError). The stock adapter
  maps only PermissionError to 401, so jwt errors and the SDK's bare `Exception`s came back as 500.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

import aiohttp
import jwt
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ChannelValidation,
    ClaimsIdentity,
    ConnectorFactory,
    JwtTokenExtractor,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient
from jwt.algorithms import RSAAlgorithm

__all__ = [
    "AuthenticationError",
    "BotAuthentication",
    "ConnectorFactoryBuilder",
    "FetchKeys",
    "JwksFetcher",
    "LazyUserTokenClient",
    "SigningKey",
    "SigningKeys",
    "SigningKeysUnavailable",
    "install_signing_keys",
    "parse_jwks",
]

logger = logging.getLogger(__name__)

CHANNEL_ISSUER: Final = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
ALLOWED_ALGORITHMS: Final = frozenset(AuthenticationConstants.ALLOWED_SIGNING_ALGORITHMS)
MAX_TOKEN_LENGTH: Final = 16 * 1024


class ConnectorFactoryBuilder(Protocol):
    """Builds the outbound ConnectorFactory for an authenticated identity (bot/transport/outbound.py: the
    pooled one). `inbound`: for the turn of an activity the endpoint received (its serviceUrl checked
    there), else for a proactive turn."""

    def __call__(self, identity: ClaimsIdentity, *, inbound: bool) -> ConnectorFactory: ...


class AuthenticationError(PermissionError):
    """The request carries no acceptable Bot Framework token. `reason` is safe to log (never the token)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class SigningKeysUnavailable(RuntimeError):
    """The signing keys could not be fetched and none are cached: the bot cannot judge any token (503)."""


@dataclass(frozen=True)
class SigningKey:
    """One JWKS entry in the shape JwtTokenExtractor reads: `public_key` and `endorsements`."""

    key_id: str
    public_key: Any
    endorsements: list[str] = field(default_factory=list)


MAX_DOCUMENT_BYTES: Final = 1024 * 1024  # Microsoft's metadata and JWKS are a few KB
MAX_KEYS: Final = 100

# Fetches the signing keys named by an OpenID metadata URL (tests inject their own).
FetchKeys = Callable[[str], Awaitable[dict[str, "SigningKey"]]]


def parse_jwks(document: Any, jwks_uri: str) -> dict[str, SigningKey]:
    """The RSA keys of a parsed JWKS document (at most MAX_KEYS; unreadable entries skipped)."""
    raw_keys = document.get("keys") if isinstance(document, Mapping) else None
    if not isinstance(raw_keys, list):
        raise ValueError(f"JWKS at {jwks_uri} has no keys list")
    keys: dict[str, SigningKey] = {}
    for raw in raw_keys[:MAX_KEYS]:
        if not isinstance(raw, Mapping) or raw.get("kty") != "RSA" or not isinstance(raw.get("kid"), str):
            continue
        try:
            public_key = RSAAlgorithm.from_jwk(json.dumps(raw))
        except (ValueError, TypeError, KeyError, jwt.InvalidKeyError):
            logger.warning("skipping unreadable signing key %r from %s", raw.get("kid"), jwks_uri)
            continue
        endorsements = raw.get("endorsements") or []
        if not isinstance(endorsements, list):
            endorsements = []
        keys[raw["kid"]] = SigningKey(raw["kid"], public_key, [str(e) for e in endorsements])
    return keys


class JwksFetcher:
    """Reads the OpenID configuration, then its JWKS, over one aiohttp session (async: cancellable at any
    point, so `SigningKeys` can hold the whole fetch to one deadline). Documents over MAX_DOCUMENT_BYTES
    are refused; the keys are parsed in a worker thread (RSA key construction is CPU work)."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    async def __call__(self, metadata_url: str) -> dict[str, SigningKey]:
        metadata = await self._get_json(metadata_url)
        jwks_uri = metadata.get("jwks_uri") if isinstance(metadata, Mapping) else None
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise ValueError(f"OpenID metadata at {metadata_url} has no jwks_uri")
        document = await self._get_json(jwks_uri)
        return await asyncio.to_thread(parse_jwks, document, jwks_uri)

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def _get_json(self, url: str) -> Any:
        scheme = urlsplit(url).scheme
        if scheme not in ("https", "http"):
            raise ValueError(f"refusing to fetch signing keys over {scheme!r}")
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(headers={"Accept": "application/json"})
        async with self._session.get(url) as response:
            response.raise_for_status()
            if response.content_length is not None and response.content_length > MAX_DOCUMENT_BYTES:
                raise ValueError(f"document at {url} is larger than {MAX_DOCUMENT_BYTES} bytes")
            body = await response.content.read(MAX_DOCUMENT_BYTES + 1)
            if len(body) > MAX_DOCUMENT_BYTES:
                raise ValueError(f"document at {url} is larger than {MAX_DOCUMENT_BYTES} bytes")
            return json.loads(body)


class SigningKeys:
    """The channel's signing keys for one metadata URL, fetched without blocking the event loop, cached.

    `get(key_id)` is what JwtTokenExtractor awaits; it returns None for a key id still unknown after a
    (rate-limited) refresh. Each fetch (metadata and JWKS together) has one deadline, `deadline_seconds`,
    and is abandoned when it passes, however slowly the server answers. A request never waits for a fetch
    longer than `wait_seconds`: when no usable key is known by then it gets SigningKeysUnavailable (503,
    the channel retries) while the fetch goes on for the requests that follow.
    """

    def __init__(
        self,
        metadata_url: str,
        *,
        max_age_seconds: float = 24 * 3600,
        min_refresh_interval: float = 300.0,
        failure_retry_interval: float = 5.0,
        deadline_seconds: float = 10.0,
        wait_seconds: float = 3.0,
        fetch: FetchKeys | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.metadata_url = metadata_url
        self._max_age = max_age_seconds
        self._min_refresh_interval = min_refresh_interval
        self._failure_retry_interval = failure_retry_interval
        self._deadline = deadline_seconds
        self._wait = wait_seconds
        fetcher = JwksFetcher()
        self._fetcher = fetcher if fetch is None else None  # ours to close
        self._fetch: FetchKeys = fetch or fetcher
        self._clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._loaded_at: float | None = None
        self._last_attempt: float | None = None
        self._last_unknown_key_refresh: float | None = None
        self._inflight: asyncio.Task[bool] | None = None
        self.refresh_count = 0

    @property
    def loaded(self) -> bool:
        return self._loaded_at is not None

    async def warm(self) -> None:
        """Fetch now (within the deadline). Raises SigningKeysUnavailable when that fails and nothing is
        cached."""
        await asyncio.shield(self._start_refresh())
        if not self.loaded:
            raise SigningKeysUnavailable(f"could not load signing keys from {self.metadata_url}")

    async def get(self, key_id: str | None) -> SigningKey | None:
        if not self.loaded:
            # Nothing cached (start-up warm failed): retry, but not more than once per failure interval.
            await self._refresh(force=self._since_last_attempt() >= self._failure_retry_interval)
            if not self.loaded:
                raise SigningKeysUnavailable(f"could not load signing keys from {self.metadata_url}")
        elif (
            self._loaded_at is not None
            and self._clock() - self._loaded_at > self._max_age
            and self._since_last_attempt() >= self._failure_retry_interval
        ):
            self._start_refresh()  # serve the cached keys meanwhile
        if not key_id:
            return None
        key = self._keys.get(key_id)
        if key is None and self._may_refresh_for_unknown_key():
            logger.info("unknown signing key id; refreshing keys from %s", self.metadata_url)
            self._last_unknown_key_refresh = self._clock()
            refreshed = await self._refresh(force=True)
            key = self._keys.get(key_id)
            if key is None and not refreshed:
                # The key may be a new one we could not fetch: undecided (503, retried), not refused (401).
                raise SigningKeysUnavailable(f"could not refresh signing keys from {self.metadata_url}")
        return key

    async def close(self) -> None:
        if self._inflight is not None:
            self._inflight.cancel()
            await asyncio.gather(self._inflight, return_exceptions=True)
            self._inflight = None
        if self._fetcher is not None:
            await self._fetcher.close()

    def _may_refresh_for_unknown_key(self) -> bool:
        last = self._last_unknown_key_refresh
        return last is None or self._clock() - last >= self._min_refresh_interval

    def _since_last_attempt(self) -> float:
        return float("inf") if self._last_attempt is None else self._clock() - self._last_attempt

    def _start_refresh(self) -> asyncio.Task[bool]:
        """Single flight: join the refresh in progress, or start one. No await, so this is atomic."""
        if self._inflight is None or self._inflight.done():
            self._last_attempt = self._clock()
            self._inflight = asyncio.get_running_loop().create_task(self._fetch_and_store())
        return self._inflight

    async def _refresh(self, *, force: bool) -> bool:
        """Start (when `force`) or join the fetch in progress, waiting at most `wait_seconds` for it; whether
        a fetch ran and succeeded.

        Raises SigningKeysUnavailable when the fetch is still running then: the request cannot be judged
        yet. shield: a request that gives up (or is cancelled) does not cancel the fetch others wait for.
        """
        if not force and (self._inflight is None or self._inflight.done()):
            return False
        try:
            return await asyncio.wait_for(asyncio.shield(self._start_refresh()), self._wait)
        except TimeoutError:
            raise SigningKeysUnavailable(
                f"signing keys from {self.metadata_url} still loading after {self._wait:.1f} s"
            ) from None

    async def _fetch_and_store(self) -> bool:
        try:
            async with asyncio.timeout(self._deadline):
                keys = await self._fetch(self.metadata_url)
        except TimeoutError:
            logger.warning(
                "fetching signing keys from %s took longer than %.0f s; abandoned",
                self.metadata_url,
                self._deadline,
            )
            return False
        except Exception as exc:  # network, HTTP or JSON trouble: keep what we have
            logger.warning("fetching signing keys from %s failed: %s", self.metadata_url, exc)
            return False
        self._keys = keys
        self._loaded_at = self._clock()
        self.refresh_count += 1
        logger.info("loaded %d signing keys from %s", len(keys), self.metadata_url)
        return True


class LazyUserTokenClient(UserTokenClient):  # type: ignore[misc]
    """Builds the SDK's UserTokenClient on first use.

    Seam: CloudAdapterBase asks for a UserTokenClient on every turn, and the SDK's builds an msrest
    TokenApiClient with a new retry policy each time (about 5 ms of CPU, the largest cost of an echo turn).
    Only OAuth sign-in flows use it; everyone else now pays nothing.
    """

    def __init__(self, create: Callable[[], Awaitable[UserTokenClient]]) -> None:
        super().__init__()
        self._create = create
        self._client: UserTokenClient | None = None

    async def _real(self) -> UserTokenClient:
        if self._client is None:
            self._client = await self._create()
        return self._client

    async def get_user_token(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_user_token(*args, **kwargs)

    async def get_sign_in_resource(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_sign_in_resource(*args, **kwargs)

    async def sign_out_user(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).sign_out_user(*args, **kwargs)

    async def get_token_status(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_token_status(*args, **kwargs)

    async def get_aad_tokens(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).get_aad_tokens(*args, **kwargs)

    async def exchange_token(self, *args: Any, **kwargs: Any) -> Any:
        return await (await self._real()).exchange_token(*args, **kwargs)


def install_signing_keys(keys: SigningKeys, *, set_channel_endpoint: bool) -> None:
    """Make the SDK's JwtTokenExtractor use `keys` for its metadata URL.

    Seam: JwtTokenExtractor looks its `_OpenIdMetadata` up in the public class dict `metadataCache` by URL and
    only ever awaits `.get(key_id)` on it. `ChannelValidation.open_id_metadata_endpoint` is the SDK's
    documented override of the channel's metadata URL (used by tests on loopback). Both are process-wide.
    """
    JwtTokenExtractor.metadataCache[keys.metadata_url] = keys
    if set_channel_endpoint:
        ChannelValidation.open_id_metadata_endpoint = keys.metadata_url


class BotAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """Wraps the SDK's BotFrameworkAuthentication: strict pre-checks, each failure an AuthenticationError.

    With `auth_disabled` (development mode, no app id) every request is anonymous, any Authorization header is
    ignored. `connector_factory` replaces the SDK's per-turn ConnectorClient factory (outbound pooling).
    """

    def __init__(
        self,
        inner: BotFrameworkAuthentication,
        keys: SigningKeys,
        *,
        auth_disabled: bool,
        connector_factory: ConnectorFactoryBuilder | None = None,
        issuer: str = CHANNEL_ISSUER,
    ) -> None:
        self._inner = inner
        self.keys = keys
        self._auth_disabled = auth_disabled
        self._connector_factory = connector_factory
        self._issuer = issuer

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        if self._auth_disabled:
            auth_header = ""
        else:
            auth_header = await self._precheck(auth_header)
        try:
            result: AuthenticateRequestResult = await self._inner.authenticate_request(activity, auth_header)
        except SigningKeysUnavailable:
            raise
        except Exception as exc:
            # Keys are local by now (the pre-check loaded them), so anything raised here is about the token:
            # PermissionError, jwt.PyJWTError, the SDK's bare Exception("Could not validate endorsement key").
            raise AuthenticationError(f"token rejected: {type(exc).__name__}: {exc}") from exc
        if self._connector_factory is not None and result.connector_factory is not None:
            result.connector_factory = self._connector_factory(result.claims_identity, inbound=True)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        raise AuthenticationError("streaming (web socket) connections are not supported")

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        if not self._auth_disabled:
            auth_header = await self._precheck(auth_header)
        try:
            identity: ClaimsIdentity = await self._inner.authenticate_channel_request(auth_header or None)
        except SigningKeysUnavailable:
            raise
        except Exception as exc:
            raise AuthenticationError(f"token rejected: {type(exc).__name__}: {exc}") from exc
        return identity

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        # CloudAdapterBase asks for this factory only for the turns the bot starts itself (proactive).
        if self._connector_factory is not None:
            return self._connector_factory(claims_identity, inbound=False)
        factory: ConnectorFactory = self._inner.create_connector_factory(claims_identity)
        return factory

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return LazyUserTokenClient(lambda: self._inner.create_user_token_client(claims_identity))

    def create_bot_framework_client(self) -> BotFrameworkClient:
        client: BotFrameworkClient = self._inner.create_bot_framework_client()
        return client

    def get_originating_audience(self) -> str:
        audience: str = self._inner.get_originating_audience()
        return audience

    async def _precheck(self, auth_header: str | None) -> str:
        """Reject what the SDK would accept wrongly or crash on; return the normalised header."""
        if not auth_header or not auth_header.strip():
            raise AuthenticationError("missing Authorization header")
        parts = auth_header.split(" ")
        if len(parts) != 2 or not parts[1]:
            raise AuthenticationError("malformed Authorization header")
        scheme, token = parts
        if scheme.lower() != "bearer":
            raise AuthenticationError("Authorization scheme is not Bearer")
        if len(token) > MAX_TOKEN_LENGTH:
            raise AuthenticationError("token too long")
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise AuthenticationError(f"malformed token: {type(exc).__name__}") from exc
        algorithm = header.get("alg")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise AuthenticationError(f"signing algorithm {algorithm!r} not allowed")
        key_id = header.get("kid")
        if not isinstance(key_id, str) or not key_id:
            raise AuthenticationError("token has no key id")
        # The SDK routes tokens by issuer to emulator and skill validation (other metadata URLs, other rules);
        # this bot only talks to the Bot Connector, so only its issuer is accepted.
        if claims.get("iss") != self._issuer:
            raise AuthenticationError("token issuer is not the Bot Framework channel")
        # PyJWT checks exp only when present; the SDK does not require it.
        if not isinstance(claims.get("exp"), int | float):
            raise AuthenticationError("token has no expiry")
        if await self.keys.get(key_id) is None:
            raise AuthenticationError("token signed with an unknown key id")
        return f"Bearer {token}"
