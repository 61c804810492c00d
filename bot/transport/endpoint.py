"""POST /api/messages: validate the request, authenticate, drop channel retries, run the turn.

Answers are small JSON bodies {"error": "..."}: 415 wrong content type, 413 body over the limit, 400 for an
empty, malformed or non-object body or an activity without type or serviceUrl, 401 for any bad token (no
turn runs), 403 for a serviceUrl the bot may not post to (development mode: loopback only), 503 while the
signing keys (or the record of processed activity ids) cannot be reached. A repeat of an already processed
activity gets the same 2xx without a turn.

A bot exception inside the turn is logged and shown to the user by the adapter's error handler, and the
request is then answered like any handled turn (201, or the invoke's status): a 5xx would make the channel
retry an activity the user has already been told about. Only a failure outside the turn (the adapter itself)
is answered with a clean 500 JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiohttp import web
from botbuilder.core import Bot, serializer_helper
from botbuilder.schema import Activity, ActivityTypes
from msrest.serialization import Model

from bot.settings import Settings
from bot.transport.adapter import NwowAdapter, ServiceUrlRefused
from bot.transport.auth import AuthenticationError, SigningKeysUnavailable
from bot.transport.wire import model_from_json
from bot.turn.dedupe import ActivityDeduplicator

__all__ = ["make_messages_handler"]

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

JSON_TYPES: Final = frozenset({"application/json"})
CHUNK: Final = 64 * 1024


class _BodyTooLarge(Exception):
    pass


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


async def _read_limited(request: web.Request, limit: int) -> bytes:
    """The body, refusing (without buffering it all) once it grows past `limit` bytes."""
    if request.content_length is not None and request.content_length > limit:
        raise _BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(CHUNK):
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_activity(body: bytes) -> Activity | str:
    """The activity, or the reason the body is not one."""
    if not body.strip():
        return "empty body"
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return "body is not valid JSON"
    if not isinstance(data, dict):
        return "body is not a JSON object"
    if not isinstance(data.get("type"), str) or not data["type"]:
        return "activity has no type"
    if not isinstance(data.get("serviceUrl"), str) or not data["serviceUrl"]:
        return "activity has no serviceUrl"
    try:
        activity = model_from_json(Activity, data)
    except Exception:  # msrest raises DeserializationError and others for ill-typed fields
        return "body is not a valid activity"
    return activity


def _invoke_body(body: Any) -> Any:
    # serializer_helper only takes msrest models; handlers often return plain dicts (the stock adapter 500s).
    return serializer_helper(body) if isinstance(body, Model) else body


def make_messages_handler(
    adapter: NwowAdapter,
    bot: Bot,
    settings: Settings,
    dedupe: ActivityDeduplicator,
) -> Handler:
    """The aiohttp handler for POST /api/messages (register it with `router.add_post`)."""
    limit = settings.max_body_bytes

    async def messages(request: web.Request) -> web.StreamResponse:
        if request.content_type not in JSON_TYPES:
            return _error(415, "Content-Type must be application/json")
        try:
            body = await _read_limited(request, limit)
        except _BodyTooLarge:
            return _error(413, f"body larger than {limit} bytes")
        parsed = _parse_activity(body)
        if isinstance(parsed, str):
            return _error(400, parsed)
        activity = parsed

        try:
            auth_result = await adapter.authenticate(activity, request.headers.get("Authorization", ""))
        except AuthenticationError as exc:
            logger.info("refused activity %r: %s", activity.id, exc.reason)
            return _error(401, "unauthorized")
        except SigningKeysUnavailable as exc:
            logger.error("cannot authenticate activity %r: %s", activity.id, exc)
            return _error(503, "authentication temporarily unavailable", {"Retry-After": "5"})

        try:
            adapter.check_service_url(activity.service_url)
        except ServiceUrlRefused as exc:
            logger.warning("refused activity %s: %s", activity.id, exc)
            return _error(403, "serviceUrl not allowed")

        is_invoke = activity.type == ActivityTypes.invoke
        conversation_id = activity.conversation.id if activity.conversation else None
        claim = (conversation_id, activity.id) if activity.id and conversation_id else None
        try:
            repeat = False
            if claim is not None:
                repeat = await dedupe.seen_before(*claim)
        except asyncio.CancelledError:
            await _release(dedupe, claim)
            raise
        except Exception:
            # Without the record of processed ids (shared database down) a turn may run twice; let the
            # channel retry later instead.
            logger.exception("cannot check activity %s for repeats", activity.id)
            return _error(503, "temporarily unavailable", {"Retry-After": "5"})
        if repeat:
            logger.info("activity %s in %s already processed; acknowledged", activity.id, conversation_id)
            return web.json_response({}, status=200) if is_invoke else web.Response(status=201)

        try:
            invoke_response = await adapter.process_activity(auth_result, activity, bot.on_turn)
        except asyncio.CancelledError:
            await _release(dedupe, claim)  # the turn did not run to its end: let the retry run it
            raise
        except ServiceUrlRefused as exc:
            logger.warning("refused activity %s: %s", activity.id, exc)
            return _error(403, "serviceUrl not allowed")
        except Exception:
            logger.exception("could not process activity %s (conversation %s)", activity.id, conversation_id)
            return _error(500, "internal error")

        if invoke_response is not None:
            return web.json_response(_invoke_body(invoke_response.body), status=invoke_response.status)
        return web.Response(status=201)

    return messages


async def _release(dedupe: ActivityDeduplicator, claim: tuple[str, str] | None) -> None:
    """Release the claim of a cancelled request, to the end even if cancelled again; never raises."""
    if claim is None:
        return
    try:
        await asyncio.shield(dedupe.release(*claim))
    except BaseException:
        logger.warning("could not release the claim of cancelled activity %s", claim[1], exc_info=True)
