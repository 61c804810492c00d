"""Numbers as readers of each language write them: 3,6 and 1.234 in Dutch and German, 3,6 and 1 234 in
French, 3.6 and 1,234 in English."""

from __future__ import annotations

from typing import Final

from nwow.language import Lang

__all__ = ["format_number", "format_percent"]

_SEPARATORS: Final[dict[Lang, tuple[str, str]]] = {  # (decimal mark, thousands separator)
    "nl": (",", "."),
    "de": (",", "."),
    "fr": (",", "\u202f"),  # narrow no-break space
    "en": (".", ","),
}


def format_number(value: float, lang: Lang, decimals: int = 0) -> str:
    """`value` rounded to `decimals`, with the decimal mark and thousands separator of `lang`."""
    decimal_mark, thousands = _SEPARATORS.get(lang, _SEPARATORS["nl"])
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)


def format_percent(share: float, lang: Lang, decimals: int = 0) -> str:
    """A share (0..1) as a percentage: "36 %" in nl/fr/de (with a no-break space), "36%" in English."""
    number = format_number(share * 100, lang, decimals)
    return f"{number}%" if lang == "en" else f"{number}\u00a0%"
