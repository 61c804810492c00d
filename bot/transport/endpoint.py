"""POST /api/messages: validate the request, authenticate, drop channel retries, run the turn.

Answers are small JSON bodies {"error": "..."}: 415 wrong content type, 413 body over the limit, 400 for an
empty, malformed, too deeply nested or non-object body, an activity without type, serviceUrl, channelId,
conversation id or sender id, or an invoke whose value is not an object; 401 for any bad token (no turn runs), 403 for a serviceUrl the bot may not
post to (development mode: loopback only), 503 while the signing keys (or the record of processed activity
ids) cannot be reached, and 503 + Retry-After for a repeat of an activity whose turn is still running
(bot/turn/sql_dedupe.py: never a 2xx that would lose it if that turn dies). A repeat of an already processed
activity gets the same 2xx without a turn.

Every string of the activity is cleaned and its text bounded before anything reads it
(bot/transport/intake.py). The serviceUrl of an inbound activity is checked here, once, before the turn;
nothing later on the turn's path checks it again.

A bot exception inside the turn is logged and shown to the user by the adapter's error handler, and the
request is then answered like any handled turn (201, or the invoke's status): a 5xx would make the channel
retry an activity the user has already been told about. Only a failure outside the turn (the adapter itself)
is answered with a clean 500 JSON. Failures are logged by type, ids and frames, never with the exception's
message (bot/log_redaction.py), which may quote the user's text.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiohttp import web
from botbuilder.core import Bot, serializer_helper
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse
from msrest.serialization import Model

from bot.log_redaction import RedactingLogger, describe, redacted_traceback
from bot.settings import Settings
from bot.transport.adapter import NwowAdapter, ServiceUrlRefused
from bot.transport.auth import MAX_TOKEN_LENGTH, AuthenticationError, SigningKeysUnavailable
from bot.transport.intake import IntakeRefused, clean_activity
from bot.transport.wire import model_from_json
from bot.turn.dedupe import ActivityDeduplicator, ActivityInProgress

__all__ = ["MAX_HEADER_FIELD_BYTES", "http_server_args", "make_messages_handler"]

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

JSON_TYPES: Final = frozenset({"application/json"})
CHUNK: Final = 64 * 1024
# aiohttp refuses a header line over 8190 bytes with a 400 of its own (and logs the first 100 bytes of it):
# allow a bit more than "Authorization: Bearer " and the longest token auth.py examines, so that a long
# token is refused by authentication with a 401 like any bad token. Still bounded: beyond this, 400.
MAX_HEADER_FIELD_BYTES: Final = MAX_TOKEN_LENGTH + 4 * 1024


def http_server_args() -> dict[str, Any]:
    """aiohttp request-handler settings for the bot's application (`web.Application(handler_args=...)`):
    the header limit above, and aiohttp's own failure log without exception messages or header bytes."""
    return {
        "max_field_size": MAX_HEADER_FIELD_BYTES,
        "logger": RedactingLogger(logging.getLogger("aiohttp.server")),
    }


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
    """The activity (cleaned, text bounded), or the reason the body is not one."""
    if not body.strip():
        return "empty body"
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return "body is not valid JSON"
    except RecursionError:  # the C scanner's own limit, far deeper than intake.MAX_DEPTH
        return "activity is nested too deeply"
    if not isinstance(data, dict):
        return "body is not a JSON object"
    try:
        data = clean_activity(data)
    except IntakeRefused as exc:
        return exc.reason
    if not isinstance(data.get("type"), str) or not data["type"]:
        return "activity has no type"
    if not isinstance(data.get("serviceUrl"), str) or not data["serviceUrl"]:
        return "activity has no serviceUrl"
    # Every turn reads and saves the conversation's and the user's state, keyed on these (the SDK raises
    # TypeError inside the turn without them); the Bot Connector always sends them.
    if not _has_string(data, "channelId"):
        return "activity has no channelId"
    if not _has_string(data.get("conversation"), "id"):
        return "activity has no conversation id"
    if not _has_string(data.get("from"), "id"):
        return "activity has no from id"
    if data["type"] == ActivityTypes.invoke:
        refused = _invoke_refusal(data)
        if refused is not None:
            return refused
    try:
        activity = model_from_json(Activity, data)
    except Exception:  # msrest raises DeserializationError and others for ill-typed fields
        return "body is not a valid activity"
    return activity


def _has_string(data: object, key: str) -> bool:
    return isinstance(data, dict) and isinstance(data.get(key), str) and bool(data[key])


def _invoke_refusal(data: dict[str, Any]) -> str | None:
    """Why the SDK's invoke handling would crash on this invoke (HTTP 500 or 501), or None."""
    value = data.get("value")
    if value is None:
        return None
    # Every invoke a Teams bot gets carries an object (adaptiveCard/action, task/fetch, signin/*).
    if not isinstance(value, dict):
        return "invoke value is not an object"
    action = value.get("action")
    if data.get("name") == "adaptiveCard/action" and action is not None and not isinstance(action, dict):
        return "adaptiveCard/action value has an action that is not an object"
    return None


def _invoke_body(body: Any) -> Any:
    # serializer_helper only takes msrest models; handlers often return plain dicts (the stock adapter 500s).
    if isinstance(body, AdaptiveCardInvokeResponse) and isinstance(body.value, Exception):
        # The SDK's own error answer to a malformed adaptiveCard/action carries an Exception(code, message)
        # that msrest cannot serialise: send it in the documented error shape instead.
        args = body.value.args
        return {
            "statusCode": body.status_code,
            "type": body.type,
            "value": {
                "code": str(args[0]) if args else "BadRequest",
                "message": str(args[1]) if len(args) > 1 else "",
            },
        }
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
            logger.warning("refused activity %r: %s", activity.id, exc)
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
        except ActivityInProgress as busy:
            # Its turn is running (or its owner not yet known dead): not an acknowledgement, which would
            # lose the activity if that turn never finishes; the channel delivers it again later.
            logger.info("activity %r is still being processed; asked to retry", activity.id)
            return _error(503, "still being processed", {"Retry-After": str(busy.retry_after)})
        except Exception as exc:
            # Without the record of processed ids (shared database down) a turn may run twice; let the
            # channel retry later instead.
            logger.error(
                "cannot check activity %r for repeats: %s\n%s",
                activity.id,
                describe(exc),
                redacted_traceback(exc),
            )
            return _error(503, "temporarily unavailable", {"Retry-After": "5"})
        if repeat:
            logger.info("activity %r in %r already processed; acknowledged", activity.id, conversation_id)
            return web.json_response({}, status=200) if is_invoke else web.Response(status=201)

        try:
            invoke_response = await adapter.process_activity(auth_result, activity, bot.on_turn)
        except asyncio.CancelledError:
            await _release(dedupe, claim)  # the turn did not run to its end: let the retry run it
            raise
        except Exception as exc:
            logger.error(
                "could not process activity %r (conversation %r): %s\n%s",
                activity.id,
                conversation_id,
                describe(exc),
                redacted_traceback(exc),
            )
            await _release(dedupe, claim)  # not processed: the channel's retry must run it, not be dropped
            return _error(500, "internal error")

        if invoke_response is not None:
            try:
                return web.json_response(_invoke_body(invoke_response.body), status=invoke_response.status)
            except Exception as exc:  # a body json cannot write: the turn ran, say so without the body
                logger.error("unserialisable invoke answer to activity %r: %s", activity.id, describe(exc))
                return _error(500, "internal error")
        return web.Response(status=201)

    return messages


async def _release(dedupe: ActivityDeduplicator, claim: tuple[str, str] | None) -> None:
    """Release the claim of a cancelled request, to the end even if cancelled again; never raises."""
    if claim is None:
        return
    try:
        await asyncio.shield(dedupe.release(*claim))
    except BaseException as exc:
        logger.warning("could not release the claim of cancelled activity %r: %s", claim[1], describe(exc))
