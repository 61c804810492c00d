"""User text in a card, shown exactly as typed: never read as Markdown.

Teams renders the text of a TextBlock (and of a FactSet) as Markdown, so "**urgent**", "[click](http://x)"
or "# title" typed by a user would be bold, a link or a heading on an ambassador's or DRI's card. A
RichTextBlock's TextRun is plain text in every Adaptive Card renderer (1.2+): it needs no escaping and
cannot be escaped wrongly, so every text a user typed is put in one.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["MAX_SHOWN", "plain_text"]

MAX_SHOWN: Final = 1200  # characters of one user text shown on a card (the card's size stays bounded)


def plain_text(
    text: str, *, limit: int = MAX_SHOWN, block: dict[str, Any] | None = None, **run: Any
) -> dict[str, Any]:
    """A RichTextBlock with `text` as one plain TextRun (cut at `limit` characters with "…").

    `run` styles the run (weight, isSubtle, italic, size, color); `block` adds block options (spacing, id).
    """
    shown = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": shown, **run}], **(block or {})}
