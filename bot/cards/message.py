"""An Adaptive Card attachment that `TurnContext.send_activities` does not deep-copy.

The SDK deep-copies every outgoing activity before sending it (botbuilder-core 4.17.1,
`TurnContext.send_activities`), which for a card means walking every node of the card dict: the largest
single cost of an FAQ turn in bench/profile_turn.py (about 230 `deepcopy` calls per answer card). Our
cards are built fresh for each reply by pure renderers and nothing changes them after they are sent, so
the copy protects nothing; `card_attachment` returns an attachment whose deep copy is itself. The
activity around it is still copied, so the SDK's conversation reference is applied to a copy as before.
"""

from __future__ import annotations

import copy
from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Activity, ActivityTypes, Attachment, AttachmentLayoutTypes

__all__ = ["OutgoingMessage", "SharedAttachment", "card_attachment", "card_message"]


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
    """The message carrying `card` (what `MessageFactory.attachment(CardFactory.adaptive_card(card))` builds)."""
    return OutgoingMessage(
        type=ActivityTypes.message,
        attachment_layout=AttachmentLayoutTypes.list,
        attachments=[card_attachment(card)],
    )
