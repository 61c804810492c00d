"""The bad requests: one entry per bad token and per bad body, shared by the tests and the before/after table."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt

from tests.harness.activities import message_activity
from tests.harness.openid import TestKey
from tests.harness.tokens import channel_claims

EMULATOR_ISSUER = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"


@dataclass(frozen=True)
class TokenContext:
    app_id: str
    service_url: str
    channel_key: TestKey
    stranger_key: TestKey  # a valid RSA key the JWKS does not list

    def claims(self, **overrides: Any) -> dict[str, Any]:
        return channel_claims(self.app_id, self.service_url, **overrides)

    def sign(self, claims: dict[str, Any], key: TestKey | None = None, **header: Any) -> str:
        signer = key or self.channel_key
        headers = {"kid": self.channel_key.kid, **header}
        return jwt.encode(claims, signer.private_pem, "RS256", headers=headers)

    def token(self, **overrides: Any) -> str:
        return self.sign(self.claims(**overrides))


@dataclass(frozen=True)
class TokenCase:
    name: str
    description: str
    # -> (Authorization header or None, changes to the activity)
    make: Callable[[TokenContext], tuple[str | None, dict[str, Any]]]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())


def _alg_none(ctx: TokenContext) -> str:
    return _unsigned({"alg": "none", "typ": "JWT", "kid": ctx.channel_key.kid}, ctx.claims()) + "."


def _hs256_public_key(ctx: TokenContext) -> str:
    # The classic key-confusion attack: HMAC-sign with the server's public key as the shared secret.
    signing_input = _unsigned({"alg": "HS256", "typ": "JWT", "kid": ctx.channel_key.kid}, ctx.claims())
    mac = hmac.new(ctx.channel_key.public_pem, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(mac)


def _tampered(ctx: TokenContext) -> str:
    header, _, signature = ctx.token(aud="someone-else").split(".")
    payload = _b64(json.dumps(ctx.claims()).encode())
    return f"{header}.{payload}.{signature}"


def _bearer(token: str) -> str:
    return f"Bearer {token}"


TOKEN_CASES: list[TokenCase] = [
    TokenCase("missing-header", "no Authorization header", lambda c: (None, {})),
    TokenCase("empty-bearer", "`Authorization: Bearer` without a token", lambda c: ("Bearer", {})),
    TokenCase("three-parts", "`Bearer <token> extra`", lambda c: (f"Bearer {c.token()} extra", {})),
    TokenCase("wrong-scheme", "`Basic` credentials", lambda c: ("Basic dXNlcjpwYXNzd29yZA==", {})),
    TokenCase("not-a-jwt", "`Bearer not-a-jwt`", lambda c: ("Bearer not-a-jwt", {})),
    TokenCase("garbage-jwt", "three dot-separated segments of garbage", lambda c: ("Bearer a.b.c", {})),
    TokenCase(
        "expired",
        "expired an hour ago (beyond the 5-minute leeway)",
        lambda c: (
            _bearer(c.token(exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200, iat=None)),
            {},
        ),
    ),
    TokenCase(
        "not-yet-valid",
        "nbf an hour in the future",
        lambda c: (_bearer(c.token(nbf=int(time.time()) + 3600)), {}),
    ),
    TokenCase("no-exp", "no exp claim", lambda c: (_bearer(c.token(exp=None)), {})),
    TokenCase("wrong-audience", "aud is another app id", lambda c: (_bearer(c.token(aud="another-app")), {})),
    TokenCase(
        "wrong-issuer",
        "iss is not the Bot Framework",
        lambda c: (_bearer(c.token(iss="https://evil.test")), {}),
    ),
    TokenCase(
        "emulator-issuer",
        "iss of the Bot Framework Emulator (routed to other metadata by the SDK)",
        lambda c: (_bearer(c.token(iss=EMULATOR_ISSUER, ver="1.0", appid=c.app_id)), {}),
    ),
    TokenCase(
        "bad-signature",
        "signed by a key not in the JWKS, with the channel key's kid",
        lambda c: (_bearer(c.sign(c.claims(), key=c.stranger_key)), {}),
    ),
    TokenCase("tampered-claims", "payload swapped after signing", lambda c: (_bearer(_tampered(c)), {})),
    TokenCase(
        "unknown-kid",
        "kid not in the JWKS",
        lambda c: (_bearer(c.sign(c.claims(), kid="no-such-key")), {}),
    ),
    TokenCase(
        "no-kid",
        "no kid in the header",
        lambda c: (_bearer(jwt.encode(c.claims(), c.channel_key.private_pem, "RS256")), {}),
    ),
    TokenCase("alg-none", "alg=none, no signature", lambda c: (_bearer(_alg_none(c)), {})),
    TokenCase(
        "hs256-public-key",
        "HS256 signed with the public key as secret",
        lambda c: (_bearer(_hs256_public_key(c)), {}),
    ),
    TokenCase(
        "channel-not-endorsed",
        "channelId webchat, key endorses only msteams",
        lambda c: (_bearer(c.token()), {"channelId": "webchat"}),
    ),
    TokenCase(
        "serviceurl-mismatch",
        "serviceurl claim differs from the activity's serviceUrl",
        lambda c: (_bearer(c.token(serviceurl="https://smba.elsewhere.test/")), {}),
    ),
    TokenCase("serviceurl-missing", "no serviceurl claim", lambda c: (_bearer(c.token(serviceurl=None)), {})),
    TokenCase(
        "token-over-8-kib",
        "a forged 12 KiB token (aiohttp's header limit is 8 KiB)",
        lambda c: (_bearer("eyJ" + "x" * 12 * 1024), {}),
    ),
    TokenCase(
        "token-over-16-kib",
        "a forged 17 KiB token (over the length auth examines)",
        lambda c: (_bearer("eyJ" + "x" * 17 * 1024), {}),
    ),
]


@dataclass(frozen=True)
class BodyCase:
    name: str
    description: str
    content_type: str
    expected: int
    make: Callable[[str, int], bytes]  # (service_url, max_body_bytes) -> body


def _activity_bytes(service_url: str, **changes: Any) -> bytes:
    activity = message_activity(service_url)
    activity.update(changes)
    return json.dumps({k: v for k, v in activity.items() if v is not None}).encode()


def _nested_bytes(service_url: str, depth: int) -> bytes:
    """A message activity whose value is `depth` nested arrays, written without recursion."""
    head = _activity_bytes(service_url)[:-1]  # without the closing brace
    return head + b', "value": ' + b"[" * depth + b"]" * depth + b"}"


BODY_CASES: list[BodyCase] = [
    BodyCase("text-plain", "Content-Type text/plain", "text/plain", 415, lambda s, n: _activity_bytes(s)),
    BodyCase(
        "form", "Content-Type form-urlencoded", "application/x-www-form-urlencoded", 415, lambda s, n: b"a=1"
    ),
    BodyCase(
        "too-large",
        "body over the limit (Content-Length)",
        "application/json",
        413,
        lambda s, n: _activity_bytes(s, text="x" * (n + 1)),
    ),
    BodyCase("empty", "empty body", "application/json", 400, lambda s, n: b""),
    BodyCase("whitespace", "only whitespace", "application/json", 400, lambda s, n: b"  \n "),
    BodyCase(
        "malformed-json", "malformed JSON", "application/json", 400, lambda s, n: b'{"type": "message",'
    ),
    BodyCase(
        "not-utf8", "bytes that are not UTF-8", "application/json", 400, lambda s, n: b'{"type": "\xff\xfe"}'
    ),
    BodyCase("json-array", "a JSON array", "application/json", 400, lambda s, n: b"[]"),
    BodyCase("json-string", "a JSON string", "application/json", 400, lambda s, n: b'"message"'),
    BodyCase("json-null", "JSON null", "application/json", 400, lambda s, n: b"null"),
    BodyCase(
        "no-type",
        "activity without type",
        "application/json",
        400,
        lambda s, n: _activity_bytes(s, type=None),
    ),
    BodyCase(
        "type-not-string",
        "type is a number",
        "application/json",
        400,
        lambda s, n: _activity_bytes(s, type=5),
    ),
    BodyCase(
        "no-service-url",
        "activity without serviceUrl",
        "application/json",
        400,
        lambda s, n: _activity_bytes(s, serviceUrl=None),
    ),
    BodyCase(
        "no-conversation-id",
        "conversation without an id",
        "application/json",
        400,
        lambda s, n: _activity_bytes(s, conversation={"id": None, "conversationType": "personal"}),
    ),
    BodyCase(
        "no-sender-id",
        "from without an id",
        "application/json",
        400,
        lambda s, n: _activity_bytes(s, **{"from": {"name": "Test User"}}),
    ),
    BodyCase(
        "no-channel-id",
        "activity without channelId",
        "application/json",
        400,
        lambda s, n: _activity_bytes(s, channelId=None),
    ),
    BodyCase(
        "ill-typed-field",
        "from is a string, not an object",
        "application/json",
        400,
        lambda s, n: _activity_bytes(s, **{"from": "someone"}),
    ),
    BodyCase(
        "deeply-nested",
        "value nested 100,000 arrays deep (json's recursion limit)",
        "application/json",
        400,
        lambda s, n: _nested_bytes(s, 100_000),
    ),
    BodyCase(
        "nested-too-deep",
        "value nested 40 arrays deep (parses, deeper than any activity)",
        "application/json",
        400,
        lambda s, n: _nested_bytes(s, 40),
    ),
    BodyCase(
        "invoke-value-string",
        "adaptiveCard/action invoke whose value is a string",
        "application/json",
        400,
        lambda s, n: _activity_bytes(s, type="invoke", name="adaptiveCard/action", value="x"),
    ),
    BodyCase(
        "invoke-value-list",
        "adaptiveCard/action invoke whose value is a list",
        "application/json",
        400,
        lambda s, n: _activity_bytes(s, type="invoke", name="adaptiveCard/action", value=[1, 2]),
    ),
    BodyCase(
        "invoke-action-not-object",
        "adaptiveCard/action invoke whose value.action is a string",
        "application/json",
        400,
        lambda s, n: _activity_bytes(s, type="invoke", name="adaptiveCard/action", value={"action": "x"}),
    ),
]
