"""The one answer to a card value the card could not have sent: logged by field name, answered politely."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext

from bot.cards.values import Refusal
from bot.strings import t
from nwow.language import Lang

logger = logging.getLogger(__name__)


async def refuse(turn_context: TurnContext, refusal: Refusal, action: str, lang: Lang) -> None:
    """Say "that did not look right" and log which field of which button was refused (never its content)."""
    logger.warning(
        "refused the %s field of a %s submit",
        refusal.field,
        action,
        extra={"activity_id": turn_context.activity.id, "event": "card.refused"},
    )
    await turn_context.send_activity(t("card.not_right", lang))
