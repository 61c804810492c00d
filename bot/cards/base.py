"""The envelope every card shares: Adaptive Cards 1.5, full width in Teams."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.strings import t

SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"

Element = dict[str, Any]


def adaptive_card(
    body: Sequence[Element],
    actions: Sequence[Element] = (),
    *,
    lang: str | None = None,
    fallback_text: str | None = None,
) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": CARD_VERSION,
        "body": list(body),
        "msteams": {"width": "Full"},
    }
    if actions:
        card["actions"] = list(actions)
    if lang:
        card["lang"] = lang
        _stamp_language(card, lang)
    if fallback_text:
        card["fallbackText"] = fallback_text
    return card


def _stamp_language(node: Any, lang: str) -> None:
    """Every submit button carries the card's language, so the reply to a click stays in it.

    (A click has no text to detect a language from, and the client's locale may be another one.)
    """
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
            node["data"].setdefault("lang", lang)
        for value in node.values():
            _stamp_language(value, lang)
    elif isinstance(node, list):
        for value in node:
            _stamp_language(value, lang)


def more_rows(shown: int, total: int, lang: str) -> list[Element]:
    """A subtle "... and N more" line when a card shows only `shown` of `total` rows (else nothing)."""
    if total <= shown:
        return []
    return [text_block(t("card.more", lang, count=total - shown), isSubtle=True, size="Small")]


def text_block(text: str, **options: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **options}


def submit_action(title: str, data: dict[str, Any], **options: Any) -> Element:
    """A submit button; `data` always carries an `action` key that the command table routes on."""
    if "action" not in data:
        raise ValueError("submit data needs an 'action' key")
    return {"type": "Action.Submit", "title": title, "data": data, **options}


def open_url_action(title: str, url: str) -> Element:
    return {"type": "Action.OpenUrl", "title": title, "url": url}
