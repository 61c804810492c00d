"""The one place a card becomes a message: an attachment the SDK does not deep-copy, and a size guard.

Size: Teams refuses a message over its limit (413 MessageSizeTooBig) and the user sees nothing. Every
renderer bounds what it shows (rows, characters of user text); `card_message` checks the result against
`MAX_MESSAGE_BYTES` all the same. A card over it is a bug: it warns (`CardTooLarge`; the test suite turns
warnings into errors, so a test that builds such a card fails loudly, and in production the warning is
logged) and sends a shortened card instead: the body's first elements that fit, then a note saying it was
shortened.

Copies:
The SDK deep-copies every outgoing activity before sending it (botbuilder-core 4.17.1,
`TurnContext.send_activities`), which for a card means walking every node of the card dict: the largest
single cost of an FAQ turn in bench/profile_turn.py (about 230 `deepcopy` calls per answer card). Our
cards are built fresh for each reply by pure renderers and nothing changes them after they are sent, so
the copy protects nothing; `card_attachment` returns an attachment whose deep copy is itself. The
activity around it is still copied, so the SDK's conversation reference is applied to a copy as before.
"""

from __future__ import annotations

import copy
import json
import warnings
from typing import Any, Final

from botbuilder.core import CardFactory
from botbuilder.schema import Activity, ActivityTypes, Attachment, AttachmentLayoutTypes

from bot.cards.base import text_block
from bot.strings import t

__all__ = [
    "MAX_MESSAGE_BYTES",
    "CardTooLarge",
    "OutgoingMessage",
    "SharedAttachment",
    "card_attachment",
    "card_message",
    "fit_card",
    "message_size",
]

# Size budget for the whole outgoing message (activity JSON with the card as its attachment), UTF-8.
# Sources, as of this writing:
# - Microsoft Learn, "Format your bot messages" (learn.microsoft.com/microsoftteams/platform/bots/how-to/
#   format-your-bot-messages): earlier versions state a 40 KB bot message limit counted on the UTF-16
#   payload; the current page states ~100 KB (80 KB recommended). Over the limit the bot gets
#   413 RequestEntityTooLarge / MessageSizeTooBig.
# - Microsoft Learn, Microsoft Teams connector "Known issues and limitations" (learn.microsoft.com/
#   connectors/teams/): posting a message or Adaptive Card is limited to about 28 KB.
# - adaptive-cards-py's `MicrosoftTeams` target framework uses 28 KB (UTF-8 JSON of the card).
# Every card is held to the strictest published figure, 28 KB, so it fits whichever limit applies.
MAX_MESSAGE_BYTES: Final = 28 * 1024


class CardTooLarge(UserWarning):
    """A rendered card would make a message over `MAX_MESSAGE_BYTES`; a shortened one is sent."""


def message_size(card: dict[str, Any]) -> int:
    """Bytes of the compact UTF-8 JSON of a message activity carrying `card` as its only attachment."""
    attachment = {"contentType": CardFactory.content_types.adaptive_card, "content": card}
    activity = {"type": "message", "attachments": [attachment]}
    return len(json.dumps(activity, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def fit_card(card: dict[str, Any]) -> dict[str, Any]:
    """`card` when its message fits `MAX_MESSAGE_BYTES`; else (with a `CardTooLarge` warning) the longest
    start of its body that fits, followed by a "shortened" note, without its fallback text, and without
    its actions if even that does not fit."""
    size = message_size(card)
    if size <= MAX_MESSAGE_BYTES:
        return card
    warnings.warn(
        CardTooLarge(f"a card of {size} bytes is over the {MAX_MESSAGE_BYTES}-byte message limit; shortened"),
        stacklevel=3,
    )
    body: list[Any] = list(card.get("body") or [])
    note = text_block(t("card.shortened", card.get("lang")), isSubtle=True, size="Small")
    slim = {key: value for key, value in card.items() if key != "fallbackText"}

    def keeping(count: int, *, actions: bool = True) -> dict[str, Any]:
        shortened = {**slim, "body": [*body[:count], note]}
        if not actions:
            shortened.pop("actions", None)
        return shortened

    if message_size(keeping(0)) > MAX_MESSAGE_BYTES:
        return keeping(0, actions=False)
    fits, too_many = 0, len(body)  # keeping(fits) fits; keeping(too_many) does not, or is the whole body
    while too_many - fits > 1:
        middle = (fits + too_many) // 2
        if message_size(keeping(middle)) <= MAX_MESSAGE_BYTES:
            fits = middle
        else:
            too_many = middle
    return keeping(fits)


class SharedAttachment(Attachment):  # type: ignore[misc]
    """An attachment that is never changed after it is built: copying it returns it."""

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedAttachment:
        return self

    def __copy__(self) -> SharedAttachment:
        return self


def card_attachment(card: dict[str, Any]) -> Attachment:
    """The Adaptive Card attachment for `card` (what `CardFactory.adaptive_card` builds, minus the copies)."""
    return SharedAttachment(content_type=CardFactory.content_types.adaptive_card, content=card)


class OutgoingMessage(Activity):  # type: ignore[misc]
    """A reply whose "deep" copy in `TurnContext.send_activities` is a shallow one.

    The SDK copies each outgoing activity only to set top-level fields on the copy (conversation
    reference, type, input hint, id: `TurnContext.apply_conversation_reference` and its validator), so a
    shallow copy protects the original just as well, without walking every field of the activity.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> OutgoingMessage:
        duplicate: OutgoingMessage = copy.copy(self)
        return duplicate


def card_message(card: dict[str, Any]) -> Activity:
    """The message carrying `card` (what `MessageFactory.attachment(CardFactory.adaptive_card(card))`
    builds), shortened if it would be over Teams' size limit (see `fit_card`)."""
    return OutgoingMessage(
        type=ActivityTypes.message,
        attachment_layout=AttachmentLayoutTypes.list,
        attachments=[card_attachment(fit_card(card))],
    )
