"""Every user-facing string, in Dutch, French, German and English, in one place.

Each module in this package holds the strings of one feature as `MESSAGES: dict[key, {lang: text}]`;
`t(key, lang, **values)` looks a key up and fills in `{placeholders}`. A test checks that every key has
all four languages and the same placeholders in each.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from functools import cache
from typing import Any

from nwow.language import DEFAULT_LANG, Lang, normalize_locale

__all__ = ["all_messages", "t"]

Catalog = Mapping[str, Mapping[str, str]]


@cache
def all_messages() -> dict[str, Mapping[str, str]]:
    merged: dict[str, Mapping[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        catalog: Catalog = module.MESSAGES
        for key, texts in catalog.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (in {info.name})")
            merged[key] = texts
    return merged


def t(key: str, lang: str | None, /, **values: Any) -> str:
    """The message `key` in `lang` (falling back to Dutch), with `values` filled in."""
    texts = all_messages()[key]
    code: Lang = normalize_locale(lang) or DEFAULT_LANG
    template = texts.get(code) or texts[DEFAULT_LANG]
    return template.format(**values) if values else template
