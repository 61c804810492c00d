"""Every user-facing string, in Dutch, French, German and English, in one place.

Each module in this package (listed in `CATALOGUES`) holds the strings of one feature as `MESSAGES: dict[key, {lang: text}]`;
`t(key, lang, **values)` looks a key up and fills in `{placeholders}`. A test checks that every key has
all four languages and the same placeholders in each.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from bot.strings import (
    common,
    conversation,
    feedback,
    offices,
    provenance,
    pulse_results,
    pulses,
    tickets,
    turns,
)
from nwow.language import DEFAULT_LANG, localized, normalize_locale

__all__ = ["all_messages", "t"]

Catalog = Mapping[str, Mapping[str, str]]

CATALOGUES = (common, conversation, feedback, offices, provenance, pulses, pulse_results, tickets, turns)


@cache
def all_messages() -> dict[str, Mapping[str, str]]:
    merged: dict[str, Mapping[str, str]] = {}
    for module in CATALOGUES:
        catalog: Catalog = module.MESSAGES
        for key, texts in catalog.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (in {module.__name__})")
            merged[key] = texts
    return merged


def t(key: str, lang: str | None, /, **values: Any) -> str:
    """The message `key` in `lang` (falling back to Dutch), with `values` filled in."""
    return localized(all_messages()[key], normalize_locale(lang) or DEFAULT_LANG, **values)
