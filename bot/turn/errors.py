"""The one error handler: log with the turn's ids, tell the user politely, clear broken dialog state.

It writes the one log record of a failed turn (the adapter does not log it again): the exception's type,
the ids, and the traceback without exception messages (bot/log_redaction.py). A message can quote what
the user typed (a database driver names the value it refused), and user text never goes to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import ConversationState, TurnContext

from bot.log_redaction import describe, redacted_traceback
from bot.strings import t
from bot.turn.retry import TurnConflict
from nwow.language import normalize_locale
from nwow.storage import StorageError

logger = logging.getLogger(__name__)

ErrorHandler = Callable[[TurnContext, Exception], Awaitable[None]]


def make_error_handler(conversation_state: ConversationState) -> ErrorHandler:
    async def on_error(turn_context: TurnContext, error: Exception) -> None:
        activity = turn_context.activity
        conversation_id = activity.conversation.id if activity.conversation else None
        logger.error(
            "turn failed: %s (activity %r, type %r, conversation %r)\n%s",
            describe(error),
            activity.id,
            activity.type,
            conversation_id,
            redacted_traceback(error),
            extra={
                "activity_id": activity.id,
                "conversation_id": conversation_id,
                "channel_id": activity.channel_id,
                "event": "turn.error",
            },
        )
        lang = normalize_locale(activity.locale) or "nl"
        if isinstance(error, TurnConflict):
            # Lost the state race on every attempt (bot/turn/retry.py): the stored state is someone
            # else's valid state, so keep it, and ask the user to send the message again.
            try:
                await turn_context.send_activity(t("error.busy", lang))
            except Exception:
                logger.warning(
                    "could not tell the user about the conflict", extra={"activity_id": activity.id}
                )
            return
        try:
            await turn_context.send_activity(t("error.generic", lang))
        except Exception:  # the channel may be what failed; the turn is over either way
            logger.warning("could not tell the user about the error", extra={"activity_id": activity.id})
        if isinstance(error, StorageError):
            return  # the database is what failed (e.g. past its deadline): clearing would wait for it again
        try:
            await conversation_state.delete(turn_context)
        except Exception:
            logger.warning("could not clear the conversation state", extra={"activity_id": activity.id})

    return on_error
