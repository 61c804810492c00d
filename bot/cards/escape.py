"""The one way text written by a user is shown in a card: `user_text(text, limit)`.

Teams renders Markdown in a TextBlock's text and in Fact titles and values, and turns bare URLs into links.
Text a user wrote (an unanswered question in the ambassadors' card, a place they typed, a remembered home
area) must show as typed, without planting a link, a heading, a list or emphasis in someone else's card,
and without making the card too large for Teams. So it is:

1. flattened: every run of whitespace (line breaks included) becomes one space, and control and bidi
   override characters are dropped, so no line can start a list, a heading or a quote after the first;
2. clipped to `limit` characters, with an ellipsis;
3. defanged: "scheme://" becomes "scheme[:]//" and the dot before a domain-like label becomes "[.]"
   ("evil[.]example", "mail@police[.]be"), the convention CERTs use for links that must not be clickable.
   This is visible on purpose: zero-width characters after the scheme do not stop linkifiers (markdown-it's
   linkify, which Teams' renderer follows, still links "evil\u200b.com" and "//evil.com"), and a reader of
   the ambassadors' card should see that the question carried a link;
4. Markdown-escaped: every ASCII punctuation character Markdown gives a meaning to gets a backslash
   (CommonMark: a backslash-escaped ASCII punctuation character is shown literally), as does the dot of a
   leading "1." (a numbered list); "<", ">" and "&" are escaped the same way, so no HTML-like tag or
   character reference is interpreted (Teams renders no HTML in cards).

What is left is plain text in any CommonMark renderer (tests/bot/test_hostile_text.py checks it with
markdown-it and its linkify, as the card gallery renders cards), at most 4 × `limit` characters long
(every character escaped, every dot defanged), whatever the length of `text`.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ELLIPSIS", "user_text"]

ELLIPSIS: Final = "…"

# Controls that are not whitespace, and the bidirectional overrides and isolates that can make text read
# differently from what it is (U+202A-U+202E, U+2066-U+2069).
_INVISIBLE: Final = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SCHEME: Final = re.compile(r"(?<=[^\W_]):(?=//)")
# A dot between a letter or digit and two or more letters: the dot before a top-level or other domain
# label ("evil.com", "www.police.be"). Abbreviations like "e.g." and numbers like "1.5" are left alone.
_DOMAIN_DOT: Final = re.compile(r"(?<=[^\W_])\.(?=[^\W\d_]{2})")
# What Markdown (CommonMark, GFM tables and strikethrough) gives a meaning to inside a line, and the
# characters of HTML-like tags and character references: each gets a backslash.
_MARKDOWN: Final = str.maketrans({c: f"\\{c}" for c in "\\`*_[]{}()#+-!~|<>&"})
_NUMBERED: Final = re.compile(r"^(\d+)([.)])")


def user_text(text: str, limit: int) -> str:
    """`text` as written by a user, safe to put in a card's Markdown, at most `limit` characters of it."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    # Only a bounded prefix is looked at: the cost does not depend on how long the text is.
    bound = 4 * limit + 64
    flat = " ".join(_INVISIBLE.sub("", text[:bound]).split())
    if len(flat) > limit or len(text) > bound:
        flat = flat[: limit - 1].rstrip() + ELLIPSIS
    defanged = _DOMAIN_DOT.sub("[.]", _SCHEME.sub("[:]", flat))
    return _NUMBERED.sub(r"\1\\\2", defanged.translate(_MARKDOWN))
