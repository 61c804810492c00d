"""The activities the outbox sends, as JSON: what `card_message` and a text reply are on the wire."""

from __future__ import annotations

from typing import Any, Final

__all__ = ["card_payload", "text_payload"]

ADAPTIVE_CARD: Final = "application/vnd.microsoft.card.adaptive"


def card_payload(card: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "message",
        "attachmentLayout": "list",
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": card}],
    }


def text_payload(text: str) -> dict[str, Any]:
    return {"type": "message", "text": text}
