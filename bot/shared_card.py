"""An Adaptive Card attachment that `TurnContext.send_activities` does not deep-copy.

The SDK deep-copies every outgoing activity before sending it (botbuilder-core 4.17.1,
`TurnContext.send_activities`), which for a card means walking every node of the card dict: the largest
single cost of an FAQ turn in bench/profile_turn.py (about 230 `deepcopy` calls per answer card). Our
cards are built fresh for each reply by pure renderers and nothing changes them after they are sent, so
the copy protects nothing; `card_attachment` returns an attachment whose deep copy is itself. The
activity around it is still copied, so the SDK's conversation reference is applied to a copy as before.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Attachment

__all__ = ["SharedAttachment", "card_attachment"]


class SharedAttachment(Attachment):  # type: ignore[misc]
    """An attachment that is never changed after it is built: copying it returns it."""

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedAttachment:
        return self

    def __copy__(self) -> SharedAttachment:
        return self


def card_attachment(card: dict[str, Any]) -> Attachment:
    """The Adaptive Card attachment for `card` (what `CardFactory.adaptive_card` builds, minus the copies)."""
    return SharedAttachment(content_type=CardFactory.content_types.adaptive_card, content=card)
