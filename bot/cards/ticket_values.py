"""Reading what the ticket cards' buttons sent, as the cards offered it (a client can send anything).

One parser per button, beside the cards that declare the buttons: only the declared fields are read, each
with its type and length; anything else is refused (`Refused`, naming the field, never its content).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Final

from nwow.tickets.model import MAX_ANSWER, MAX_CONTEXT, MAX_QUESTION, Origin

__all__ = [
    "AnswerSubmit",
    "AskSubmit",
    "RateSubmit",
    "Refused",
    "ReopenSubmit",
    "parse_answer",
    "parse_ask",
    "parse_rate",
    "parse_reopen",
    "parse_ticket_number",
]

MAX_ID: Final = 256
MAX_TICKET: Final = 10**12
_TOO_LONG: Final = 4  # text this many times longer than the card allows was not typed in it


class Refused(Exception):
    """A submitted value the card could not have sent; `field` names it."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _id(value: Mapping[str, object], field: str, *, required: bool = False) -> str:
    raw = value.get(field, "")
    if raw is None:
        raw = ""
    if not isinstance(raw, str) or len(raw) > MAX_ID or (required and not raw):
        raise Refused(field)
    return raw


def _text(value: Mapping[str, object], field: str, limit: int) -> str:
    raw = value.get(field)
    if raw is None:
        return ""
    if not isinstance(raw, str) or len(raw) > limit * _TOO_LONG:
        raise Refused(field)
    return raw.strip()[:limit]


def _toggle(value: Mapping[str, object], field: str) -> bool:
    raw = value.get(field, "false")
    if raw in ("true", True):
        return True
    if raw in ("false", False):
        return False
    raise Refused(field)


def parse_ticket_number(value: Mapping[str, object]) -> int:
    raw = value.get("ticket")
    if isinstance(raw, str) and raw.isdigit() and len(raw) <= 12:
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw < MAX_TICKET:
        raise Refused("ticket")
    return raw


@dataclass(frozen=True)
class AskSubmit:
    origin: Origin
    question: str
    q: str
    topic: str
    entry_id: str
    context: str
    unit: str
    share_name: bool


def parse_ask(
    value: Mapping[str, object], *, topics: Collection[str], entries: Collection[str], units: Collection[str]
) -> AskSubmit:
    """The "send to an ambassador" form. An unknown topic, entry or unit (the files changed since the card
    was drawn) is dropped, not refused."""
    try:
        origin = Origin(_id(value, "origin", required=True))
    except ValueError as exc:
        raise Refused("origin") from exc
    question = _text(value, "question", MAX_QUESTION)
    if not question:
        raise Refused("question")
    topic = _id(value, "topic")
    entry_id = _id(value, "entry_id")
    unit = _id(value, "unit")
    return AskSubmit(
        origin=origin,
        question=question,
        q=_id(value, "q"),
        topic=topic if topic in topics else "",
        entry_id=entry_id if entry_id in entries else "",
        context=_text(value, "context", MAX_CONTEXT),
        unit=unit if unit in units else "",
        share_name=_toggle(value, "share_name"),
    )


@dataclass(frozen=True)
class RateSubmit:
    ticket: int
    helpful: bool


def parse_rate(value: Mapping[str, object]) -> RateSubmit:
    helpful = value.get("helpful")
    if not isinstance(helpful, bool):
        raise Refused("helpful")
    return RateSubmit(parse_ticket_number(value), helpful)


@dataclass(frozen=True)
class ReopenSubmit:
    ticket: int
    note: str


def parse_reopen(value: Mapping[str, object]) -> ReopenSubmit:
    return ReopenSubmit(parse_ticket_number(value), _text(value, "note", MAX_CONTEXT))


@dataclass(frozen=True)
class AnswerSubmit:
    ticket: int
    text: str
    links: tuple[str, ...]
    draft: bool
    entry_id: str


def parse_answer(
    value: Mapping[str, object], *, links: Collection[str], entries: Collection[str], with_entry: bool
) -> AnswerSubmit:
    """An ambassador's answer form: a text with links and the draft toggle, or an FAQ entry."""
    number = parse_ticket_number(value)
    if with_entry:
        entry_id = _id(value, "entry", required=True)
        if entry_id not in entries:
            raise Refused("entry")
        return AnswerSubmit(number, "", (), False, entry_id)
    text = _text(value, "answer", MAX_ANSWER)
    if not text:
        raise Refused("answer")
    raw_links = _text(value, "links", MAX_ID * 8)
    chosen = tuple(dict.fromkeys(k.strip() for k in raw_links.split(",") if k.strip()))
    if any(k not in links for k in chosen):
        raise Refused("links")
    return AnswerSubmit(number, text, chosen, _toggle(value, "draft"), "")
