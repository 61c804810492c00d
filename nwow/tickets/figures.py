"""DRI's figures on where questions end, counted per question the way Copilot Studio's analytics count
sessions: answered by the FAQ (with 👍/👎), resolved through "Did you mean", escalated to an ambassador (still
waiting), answered by an ambassador, abandoned (a suggestion or an "I don't know" left alone for 30 minutes),
out of scope.

Published like the feedback figures (docs/anonymity.md): per closed calendar month, computed once and then
frozen (`archive`), broken down by topic and by unit through `nwow.feedback.disclosure.protect` on one
two-way table (topic × unit), so that no difference of shown rows singles out fewer than k people; groups not
shown are counted in "others together" and not named. Only the `MAX_TOPICS` most asked topics of the month
are candidates; the others are in "others together" too. The weekly trend is per closed ISO week, each week a
table of its own (its total, shown only with k askers), frozen the same way. Time to answer is over the
tickets first answered in the month, shown with k distinct askers.

A question's unit is the one its asker gave last (in a ticket, else in the feedback survey), or "unknown".
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from nwow.feedback.disclosure import Cell, Dimension, Entry, Rule, protect
from nwow.feedback.periods import Month, Week
from nwow.tickets.hours import BusinessHours
from nwow.tickets.model import Ticket
from nwow.tickets.questions import Outcome, QuestionRecord

__all__ = [
    "CATEGORIES",
    "REST",
    "UNKNOWN_UNIT",
    "AnswerTimes",
    "MonthOutcomes",
    "OpenQuestion",
    "OutcomeCounts",
    "OutcomeReport",
    "WeekOutcomes",
    "category_of",
    "compute_month",
    "compute_week",
    "decode_month",
    "decode_week",
    "encode_month",
    "encode_week",
]

FORMAT_VERSION: Final = 1
MAX_SHARE: Final = 0.5
REST: Final = "rest"
UNKNOWN_UNIT: Final = "unknown"
TOPIC: Final = Dimension("topic")
UNIT: Final = Dimension("unit")
NO_TOPIC: Final = "none"
# Topics named in a month's breakdown: the most asked ones; the others are counted in "others together".
# This also bounds the anonymity check, which enumerates the splits of the smaller dimension (2^7 here,
# as for the survey's 8 tools), whatever the number of topics in the knowledge base.
MAX_TOPICS: Final = 7
# The outcomes in the order reports show them.
CATEGORIES: Final = (
    "answered",
    "resolved",
    "ambassador_answered",
    "escalated",
    "abandoned",
    "out_of_scope",
)


def category_of(record: QuestionRecord, now: datetime) -> str:
    """Where a question ended, as counted at `now` (a question still left alone counts as abandoned: the
    month is closed long after its last 30 minutes)."""
    if record.outcome in (Outcome.SUGGESTED, Outcome.UNANSWERED):
        return "abandoned"
    return record.outcome.value


@dataclass(frozen=True)
class OutcomeCounts:
    questions: int
    askers: int
    counts: Mapping[str, int]  # category -> questions
    up: int = 0  # 👍 on the answer the question got (FAQ or ambassador)
    down: int = 0

    def share(self, category: str) -> float:
        return self.counts.get(category, 0) / self.questions if self.questions else 0.0

    @property
    def escalated(self) -> int:
        """Questions passed to an ambassador, answered yet or not."""
        return self.counts.get("escalated", 0) + self.counts.get("ambassador_answered", 0)


@dataclass(frozen=True)
class AnswerTimes:
    tickets: int
    median_hours: float  # calendar time
    median_working_hours: float  # Brussels business hours
    p90_working_hours: float


@dataclass(frozen=True)
class MonthOutcomes:
    month: Month
    min_group_size: int
    frozen_at: datetime
    overall: OutcomeCounts | None  # None: no questions, or too few people to show anything
    topics: tuple[tuple[str, OutcomeCounts], ...] = ()  # shown topics, then REST
    units: tuple[tuple[str, OutcomeCounts], ...] = ()
    answer_times: AnswerTimes | None = None


@dataclass(frozen=True)
class WeekOutcomes:
    week: Week
    min_group_size: int
    frozen_at: datetime
    overall: OutcomeCounts | None


def _counts(records: Sequence[QuestionRecord], now: datetime) -> OutcomeCounts:
    categories = Counter(category_of(r, now) for r in records)
    return OutcomeCounts(
        questions=len(records),
        askers=len({r.user_key for r in records}),
        counts={c: categories[c] for c in CATEGORIES if categories[c]},
        up=sum(1 for r in records if r.helpful is True),
        down=sum(1 for r in records if r.helpful is False),
    )


def _breakdown(
    records: Sequence[QuestionRecord],
    shown: Callable[[str], bool],
    key: Callable[[QuestionRecord], str],
    now: datetime,
) -> tuple[tuple[str, OutcomeCounts], ...]:
    groups: dict[str, list[QuestionRecord]] = {}
    rest: list[QuestionRecord] = []
    for r in records:
        k = key(r)
        (groups.setdefault(k, []) if k != REST and shown(k) else rest).append(r)
    rows = [(k, _counts(group, now)) for k, group in sorted(groups.items())]
    if rest:
        rows.append((REST, _counts(rest, now)))
    return tuple(rows)


def _p90(values: Sequence[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def answer_times(tickets: Sequence[Ticket], hours: BusinessHours, rule: Rule) -> AnswerTimes | None:
    """Time from asking to the first answer, over tickets answered; None with fewer than k askers."""
    answered = [t for t in tickets if t.first_answered_at is not None]
    if not answered or not rule.allows(Counter(t.user_key for t in answered)):
        return None
    calendar = [
        (t.first_answered_at - t.created_at) / timedelta(hours=1) for t in answered if t.first_answered_at
    ]
    working = [
        hours.between(t.created_at, t.first_answered_at) / timedelta(hours=1)
        for t in answered
        if t.first_answered_at
    ]
    return AnswerTimes(
        tickets=len(answered),
        median_hours=statistics.median(calendar),
        median_working_hours=statistics.median(working),
        p90_working_hours=_p90(working),
    )


def compute_month(
    month: Month,
    records: Sequence[QuestionRecord],
    answered: Sequence[Ticket],
    units: Mapping[str, str],
    *,
    min_group_size: int,
    hours: BusinessHours,
    frozen_at: datetime,
) -> MonthOutcomes:
    """The figures of `month` (pure): `records` are its questions, `answered` the tickets first answered in
    it, `units` the unit of each asker."""
    since, until = month.bounds()
    if any(not since <= r.asked_at < until for r in records):
        raise ValueError(f"questions outside {month} given for its figures")
    rule = Rule(min_group_size, MAX_SHARE)
    asked = Counter(r.topic or NO_TOPIC for r in records)
    named = {k for k, _ in sorted(asked.items(), key=lambda item: (-item[1], item[0]))[:MAX_TOPICS]}

    def topic(r: QuestionRecord) -> str:
        key = r.topic or NO_TOPIC
        return key if key in named else REST

    def unit(r: QuestionRecord) -> str:
        return units.get(r.user_key) or UNKNOWN_UNIT

    table = protect([Entry(r.user_key, (topic(r), unit(r))) for r in records], [TOPIC, UNIT], rule)
    if not records or not table.shown(Cell.total()):
        return MonthOutcomes(
            month, min_group_size, frozen_at, None, answer_times=answer_times(answered, hours, rule)
        )
    return MonthOutcomes(
        month=month,
        min_group_size=min_group_size,
        frozen_at=frozen_at,
        overall=_counts(records, frozen_at),
        topics=_breakdown(records, lambda k: table.shown(Cell(TOPIC.name, k)), topic, frozen_at),
        units=_breakdown(records, lambda k: table.shown(Cell(UNIT.name, k)), unit, frozen_at),
        answer_times=answer_times(answered, hours, rule),
    )


def compute_week(
    week: Week, records: Sequence[QuestionRecord], *, min_group_size: int, frozen_at: datetime
) -> WeekOutcomes:
    since, until = week.bounds()
    if any(not since <= r.asked_at < until for r in records):
        raise ValueError(f"questions outside {week} given for its figures")
    rule = Rule(min_group_size, MAX_SHARE)
    shown = bool(records) and rule.allows(Counter(r.user_key for r in records))
    return WeekOutcomes(week, min_group_size, frozen_at, _counts(records, frozen_at) if shown else None)


# ---------------------------------------------------------------- the frozen documents


def _counts_json(c: OutcomeCounts) -> dict[str, Any]:
    return {
        "questions": c.questions,
        "askers": c.askers,
        "counts": dict(c.counts),
        "up": c.up,
        "down": c.down,
    }


def _counts_of(doc: Mapping[str, Any]) -> OutcomeCounts:
    return OutcomeCounts(
        questions=int(doc["questions"]),
        askers=int(doc["askers"]),
        counts={str(k): int(v) for k, v in doc["counts"].items()},
        up=int(doc["up"]),
        down=int(doc["down"]),
    )


def _rows_json(rows: Sequence[tuple[str, OutcomeCounts]]) -> list[dict[str, Any]]:
    return [{"key": key, **_counts_json(c)} for key, c in rows]


def _rows_of(docs: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, OutcomeCounts], ...]:
    return tuple((str(doc["key"]), _counts_of(doc)) for doc in docs)


def encode_month(figures: MonthOutcomes) -> str:
    times = figures.answer_times
    return json.dumps(
        {
            "version": FORMAT_VERSION,
            "month": figures.month.key,
            "min_group_size": figures.min_group_size,
            "frozen_at": figures.frozen_at.isoformat(),
            "overall": _counts_json(figures.overall) if figures.overall else None,
            "topics": _rows_json(figures.topics),
            "units": _rows_json(figures.units),
            "answer_times": None if times is None else times.__dict__,
        },
        sort_keys=True,
    )


class OutcomesUnreadable(ValueError):
    """A kept document is not outcome figures this version reads (never recomputed: they would change)."""


def decode_month(text: str) -> MonthOutcomes:
    try:
        doc = json.loads(text)
        if doc.get("version") != FORMAT_VERSION:
            raise OutcomesUnreadable(f"frozen outcome figures in format {doc.get('version')!r}")
        times = doc["answer_times"]
        return MonthOutcomes(
            month=Month.parse(doc["month"]),
            min_group_size=int(doc["min_group_size"]),
            frozen_at=datetime.fromisoformat(doc["frozen_at"]),
            overall=_counts_of(doc["overall"]) if doc["overall"] else None,
            topics=_rows_of(doc["topics"]),
            units=_rows_of(doc["units"]),
            answer_times=None
            if times is None
            else AnswerTimes(**{k: type_(times[k]) for k, type_ in _TIMES.items()}),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, OutcomesUnreadable):
            raise
        raise OutcomesUnreadable(f"not a document of frozen outcome figures: {exc!r}") from exc


_TIMES: Final[dict[str, Callable[[Any], Any]]] = {
    "tickets": int,
    "median_hours": float,
    "median_working_hours": float,
    "p90_working_hours": float,
}


def encode_week(figures: WeekOutcomes) -> str:
    return json.dumps(
        {
            "version": FORMAT_VERSION,
            "week": figures.week.key,
            "min_group_size": figures.min_group_size,
            "frozen_at": figures.frozen_at.isoformat(),
            "overall": _counts_json(figures.overall) if figures.overall else None,
        },
        sort_keys=True,
    )


def decode_week(text: str) -> WeekOutcomes:
    try:
        doc = json.loads(text)
        if doc.get("version") != FORMAT_VERSION:
            raise OutcomesUnreadable(f"frozen outcome figures in format {doc.get('version')!r}")
        return WeekOutcomes(
            week=Week.parse(doc["week"]),
            min_group_size=int(doc["min_group_size"]),
            frozen_at=datetime.fromisoformat(doc["frozen_at"]),
            overall=_counts_of(doc["overall"]) if doc["overall"] else None,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, OutcomesUnreadable):
            raise
        raise OutcomesUnreadable(f"not a document of frozen outcome figures: {exc!r}") from exc


@dataclass(frozen=True)
class OpenQuestion:
    """A question still waiting for an ambassador. Shown to DRI scrubbed of personal data unless its asker
    agreed to be contacted (shared their name)."""

    number: int
    text: str
    consented: bool
    waiting_working_hours: float


@dataclass(frozen=True)
class OutcomeReport:
    months: tuple[MonthOutcomes, ...]
    weeks: tuple[WeekOutcomes, ...]
    open_questions: tuple[OpenQuestion, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)

    def label(self, kind: str, key: str) -> str:
        return self.labels.get(f"{kind}:{key}", key)
