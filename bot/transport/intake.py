"""The one place where an inbound activity's text is made safe, before anything else reads it.

`clean_activity(data)` takes the parsed JSON body of POST /api/messages and returns it with:

- every string (object keys included) cleaned: C0 control characters other than tab, line feed and
  carriage return, DEL and the C1 controls removed; lone surrogates (JSON allows "\\ud800", UTF-8 and
  PostgreSQL do not) replaced by U+FFFD. PostgreSQL refuses NUL in text and no driver can encode a lone
  surrogate, so unclean text used to crash the turn when it was stored; nothing a person types is lost.
- nesting deeper than `MAX_DEPTH` refused (`IntakeRefused`, answered 400): a real activity is a few levels
  deep, and a deep one costs every later walk over it (copies, state serialisation) a Python stack frame
  per level.
- `text` (what the bot analyses: routing, office detection, FAQ matching, the dialogs) normalised to NFC
  and bounded to its first `MAX_TEXT_WORDS` words and `MAX_TEXT_CHARS` characters, each word to its first
  `MAX_WORD_CHARS` characters, so that a turn's cost is bounded whatever the text (Teams allows about
  28 KB) and whatever an analysis costs per word (a compound splitter is quadratic in the word's length).
  Real questions are a sentence or two (the bound is ten times that); the longest real words are about
  40 letters (a URL or a pasted token longer than 64 characters says all it can in its first 64).
- strings inside `value` (what a card submits) are cleaned but not cut: each card's parser reads the
  values its button offered and refuses what no one could have typed (bot/cards/values.py), which a cut
  here would hide.

Every step is linear in the size of the body, which the endpoint bounds before parsing.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Final

__all__ = [
    "MAX_DEPTH",
    "MAX_TEXT_CHARS",
    "MAX_TEXT_WORDS",
    "MAX_WORD_CHARS",
    "IntakeRefused",
    "bound_text",
    "clean_activity",
    "clean_string",
]

MAX_DEPTH: Final = 32
MAX_TEXT_CHARS: Final = 1_000
MAX_TEXT_WORDS: Final = 150
MAX_WORD_CHARS: Final = 64

# C0 controls except \t \n \r, DEL, C1 controls, and every surrogate (in a str only lone ones exist).
_UNSAFE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_LONG_WORD: Final = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")


class IntakeRefused(ValueError):
    """The body is not an activity this bot accepts; `reason` is safe to answer and to log."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def clean_string(text: str) -> str:
    """`text` without control characters (tab and line breaks kept), lone surrogates as U+FFFD."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    return "\ufffd" if _SURROGATE.match(match.group()) else ""


def bound_text(text: str) -> str:
    """The first MAX_TEXT_WORDS words of `text`, at most MAX_TEXT_CHARS characters, each word cut to
    MAX_WORD_CHARS characters, in NFC.

    A cut inside a word falls back to the last whitespace before it when there is one (a single giant
    "word" is cut at the limit).
    """
    if len(text) > MAX_TEXT_CHARS:
        head = text[:MAX_TEXT_CHARS]
        if not text[MAX_TEXT_CHARS].isspace():
            space = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
            if space > 0:
                head = head[:space]
        text = head
    words = text.split(maxsplit=MAX_TEXT_WORDS)
    if len(words) > MAX_TEXT_WORDS:  # the last item is the rest of the text, from word MAX_TEXT_WORDS + 1
        text = text[: len(text) - len(words[-1])].rstrip()
    text = _LONG_WORD.sub(_first_chars, text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


def _first_chars(match: re.Match[str]) -> str:
    return match.group()[:MAX_WORD_CHARS]


def clean_activity(data: dict[str, Any]) -> dict[str, Any]:
    """The activity JSON with every string cleaned and `text` bounded (see the module doc).

    Raises IntakeRefused when it is nested deeper than MAX_DEPTH.
    """
    cleaned: dict[str, Any] = _clean(data, 1)
    text = cleaned.get("text")
    if isinstance(text, str):
        cleaned["text"] = bound_text(text)
    return cleaned


def _clean(node: Any, depth: int) -> Any:
    if isinstance(node, str):
        return clean_string(node)
    if isinstance(node, dict):
        if depth > MAX_DEPTH:
            raise IntakeRefused("activity is nested too deeply")
        return {clean_string(key): _clean(value, depth + 1) for key, value in node.items()}
    if isinstance(node, list):
        if depth > MAX_DEPTH:
            raise IntakeRefused("activity is nested too deeply")
        return [_clean(item, depth + 1) for item in node]
    return node
