"""The one error handler: log with the turn's ids, tell the user politely, clear broken dialog state."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import ConversationState, TurnContext

from bot.strings import t
from bot.turn.retry import TurnConflict
from nwow.language import normalize_locale

logger = logging.getLogger(__name__)

ErrorHandler = Callable[[TurnContext, Exception], Awaitable[None]]


def make_error_handler(conversation_state: ConversationState) -> ErrorHandler:
    async def on_error(turn_context: TurnContext, error: Exception) -> None:
        activity = turn_context.activity
        logger.error(
            "turn failed: %s",
            type(error).__name__,
            exc_info=error,
            extra={
                "activity_id": activity.id,
                "conversation_id": activity.conversation.id if activity.conversation else None,
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
        try:
            await conversation_state.delete(turn_context)
        except Exception:
            logger.warning("could not clear the conversation state", extra={"activity_id": activity.id})

    return on_error
