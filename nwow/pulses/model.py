"""An adoption pulse: a short questionnaire DRI sends to the people, what each of them answered, and how
its delivery stands. Plain data; read from a YAML file by `nwow.pulses.reader`, kept by a `PulseStore`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Final, Literal

from nwow.schedule import BRUSSELS

__all__ = [
    "FREE_TEXT_LIMIT",
    "LANGS",
    "Audience",
    "Choice",
    "Pulse",
    "PulseAnswer",
    "PulseQuestion",
    "PulseState",
    "QuestionKind",
    "Recipient",
    "card_key",
]

LANGS: Final = ("nl", "fr", "de", "en")
FREE_TEXT_LIMIT: Final = 500  # characters of a free-text answer
MAX_QUESTIONS: Final = 8

PulseLang = Literal["nl", "fr", "de", "en"]


def card_key(pulse_id: str, user_key: str) -> str:
    """The outbox key of a recipient's pulse card: queued once per user and pulse, ever."""
    return f"pulse:{pulse_id}:{user_key}"


class QuestionKind(StrEnum):
    RATING = "rating"  # 1 to 5
    CHOICE = "choice"  # one of the options
    YES_NO = "yes-no"
    TEXT = "text"  # free text, at most FREE_TEXT_LIMIT characters, never required


@dataclass(frozen=True)
class Choice:
    id: str
    label: Mapping[str, str]  # by language

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("en") or self.label["nl"]


@dataclass(frozen=True)
class PulseQuestion:
    id: str
    kind: QuestionKind
    text: Mapping[str, str]  # by language
    choices: tuple[Choice, ...] = ()

    def prompt(self, lang: str) -> str:
        return self.text.get(lang) or self.text.get("en") or self.text["nl"]

    @property
    def required(self) -> bool:
        """Every question but free text must be answered: all counts of a pulse then cover the same
        respondents, so no figure differs from another by one person's choice to skip a question."""
        return self.kind is not QuestionKind.TEXT


@dataclass(frozen=True)
class Audience:
    """Who is asked: everyone the bot can reach (`all`), the users who chose one of `units` (and let the bot
    remember it), or the Entra object ids listed in a file (read when the pulse starts)."""

    kind: Literal["all", "units", "list"]
    units: frozenset[str] = frozenset()
    object_ids: frozenset[str] = frozenset()  # lower case
    # How many ids the list held: the store keeps this, not the ids (a started pulse read back has none).
    listed: int = 0

    @property
    def size(self) -> int:
        """The number of listed ids (audience by list), whether the ids are at hand or only their count."""
        return len(self.object_ids) or self.listed


@dataclass(frozen=True)
class Pulse:
    id: str
    title: Mapping[str, str]
    intro: Mapping[str, str]
    questions: tuple[PulseQuestion, ...]
    audience: Audience
    opens: date
    closes: date  # the last day answers are taken (Brussels time)
    reminder_days: int | None  # one reminder this many days after the start, to who has not answered
    min_group: int  # results of fewer respondents than this are not shown
    source_file: str = ""

    def heading(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.title["nl"]

    def introduction(self, lang: str) -> str:
        return self.intro.get(lang) or self.intro.get("en") or self.intro["nl"]

    def question(self, question_id: str) -> PulseQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)


class PulseState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class StartedPulse:
    """A pulse as the store keeps it: its definition and when it was started and closed."""

    pulse: Pulse
    started_at: datetime
    closes_at: datetime  # the end of the closing day, Brussels time
    closed_at: datetime | None = None
    started_by: str = ""

    def is_open(self, now: datetime) -> bool:
        """Not closed yet (cards may still be queued and sent; before the opening day they wait)."""
        return self.closed_at is None and now < self.closes_at

    def takes_answers(self, now: datetime) -> bool:
        """Open, and its opening day (from midnight, Brussels time) has come."""
        opening = datetime.combine(self.pulse.opens, time(0, 0), BRUSSELS).astimezone(UTC)
        return self.is_open(now) and now >= opening

    @property
    def state(self) -> PulseState:
        return PulseState.OPEN if self.closed_at is None else PulseState.CLOSED


@dataclass(frozen=True)
class Recipient:
    """One person a pulse goes to: their pseudonymous key, the language of their card, their unit if they
    let the bot remember it ("" otherwise)."""

    user_key: str
    lang: str
    unit: str = ""


@dataclass(frozen=True)
class PulseAnswer:
    pulse_id: str
    user_key: str
    unit: str  # the unit chosen on the card ("" when they did not say)
    lang: str
    answers: Mapping[str, str | int] = field(default_factory=dict)  # question id -> rating / choice / text
    answered_at: datetime | None = None
    submission_id: str = ""
