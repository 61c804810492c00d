"""Reading what a card button sent, as the card offered it, or refusing it.

A submit's `value` is JSON a client can forge: any type, any size, any field. Each card module has one
parser per button (`parse_*`, beside the renderer that declares what the button offers) that reads the
value with the readers below and returns a typed submit or a `Refusal`. Only the declared fields are read;
unknown ones are ignored. A refusal names the field (for the log, never its content); the bot answers it
politely and stores nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Concatenate, Final, ParamSpec, TypeVar

from nwow.language import LANGS, Lang

__all__ = [
    "MAX_ID",
    "Refusal",
    "ValueRefused",
    "card_language",
    "card_parser",
    "read_choice",
    "read_flag",
    "read_id",
    "read_text",
    "read_toggle",
]

# Entry, topic, province and answer ids are short; an activity id (answer_id) is the longest the bot
# itself puts in a card (Teams ids run to ~100 characters).
MAX_ID: Final = 256
# Input.Toggle sends its valueOn / valueOff, strings; the survey's toggle declares these.
TOGGLE_ON: Final = "true"
TOGGLE_OFF: Final = "false"


@dataclass(frozen=True)
class Refusal:
    """A submitted value the card could not have sent: `field` names it (never its content)."""

    field: str


class ValueRefused(Exception):
    """Raised by the readers; the parsers turn it into a `Refusal`."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


P = ParamSpec("P")
T = TypeVar("T")


def card_parser(
    parse: Callable[Concatenate[Mapping[str, object], P], T],
) -> Callable[Concatenate[object, P], T | Refusal]:
    """Make a parser of a button's data (written with the readers below) take any JSON value and return a
    `Refusal` instead of raising: a value that is not an object is refused as a whole ("value")."""

    @functools.wraps(parse)
    def parser(value: object, /, *args: P.args, **kwargs: P.kwargs) -> T | Refusal:
        if not isinstance(value, Mapping):
            return Refusal("value")
        try:
            return parse(value, *args, **kwargs)
        except ValueRefused as refused:
            return Refusal(refused.field)

    return parser


def card_language(value: object) -> Lang | None:
    """The language the card was rendered in (every submit carries it), when it is one of ours."""
    if not isinstance(value, Mapping):
        return None
    lang = value.get("lang")
    for code in LANGS:
        if lang == code:
            return code
    return None


def read_id(value: Mapping[str, object], field: str, *, required: bool = True) -> str:
    """An id the card put in the button's data: a string of at most `MAX_ID` characters, non-empty when
    `required` (an optional one may be absent or empty: "")."""
    raw = value.get(field)
    if raw is None and not required:
        return ""
    if not isinstance(raw, str) or len(raw) > MAX_ID or (required and not raw):
        raise ValueRefused(field)
    return raw


def read_flag(value: Mapping[str, object], field: str) -> bool:
    """A boolean the card put in the button's data: JSON true or false, nothing else."""
    raw = value.get(field)
    if not isinstance(raw, bool):
        raise ValueRefused(field)
    return raw


def read_toggle(value: Mapping[str, object], field: str) -> bool:
    """An Input.Toggle declared with valueOn "true" / valueOff "false"; absent (never touched) is off."""
    raw = value.get(field, TOGGLE_OFF)
    if raw == TOGGLE_ON:
        return True
    if raw == TOGGLE_OFF:
        return False
    raise ValueRefused(field)


def read_choice(value: Mapping[str, object], field: str, offered: Collection[str]) -> str | None:
    """An Input.ChoiceSet answer: one of the `offered` values, or None when it is missing or anything else.

    None is not a refusal: the form goes back with "pick one" (a list can also change between rendering
    and submitting, e.g. the units file was edited).
    """
    raw = value.get(field)
    if isinstance(raw, str) and len(raw) <= MAX_ID and raw.strip() in offered:
        return raw.strip()
    return None


def read_text(value: Mapping[str, object], field: str, *, max_length: int, refuse_over: int) -> str:
    """An Input.Text answer, trimmed and clipped to the card's `max_length`; absent is empty.

    Some clients do not enforce maxLength, so a little more is clipped, not refused; past `refuse_over`
    characters it cannot be typing: refused.
    """
    raw = value.get(field)
    if raw is None:
        return ""
    if not isinstance(raw, str) or len(raw) > refuse_over:
        raise ValueRefused(field)
    return raw.strip()[:max_length]
