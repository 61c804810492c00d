"""The published results of a pulse: its response rate, and per question the answers overall and per unit,
under the disclosure rules (docs/pulses.md "Results", docs/anonymity.md "Adoption pulses").

- A running pulse publishes only counts: delivered, answered, the response rate. Its answers are published
  once it is closed, computed then and frozen (`nwow.pulses.published`), so no two publications differ by a
  colleague's answer.
- Per question (`suppression.protect_pulse`): the respondents and the number of them per answer (rating 1..5,
  choice, yes/no), overall, per shown unit and for the other units together, only in cells that protect
  lets through; answers in no shown cell of a group are counted under "other answers". A rating's mean is
  shown only where its whole distribution is (else mean and shown counts would give the hidden ones away).
- Free text is shown (scrubbed, by the renderers) only when the pulse's respondents reach the minimum group.
- The response rate per unit is by the unit the recipient let the bot remember (as `nwow pulse status`),
  only for units that have a row of their own in the results and whose recipients and respondents both
  reach the minimum group.

Pure functions of the rows: `compute_results` for a closed pulse, `live_counts` for a running one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from nwow.feedback.disclosure import Rule
from nwow.outbox import Delivery
from nwow.pulses.answering import offered_values
from nwow.pulses.model import PulseAnswer, PulseQuestion, QuestionKind, StartedPulse
from nwow.pulses.store import DeliveryRow
from nwow.pulses.suppression import OTHER_UNITS, QuestionTable, TableProtection, protect_pulse

__all__ = [
    "OTHER_UNITS",
    "Distribution",
    "PulseResults",
    "QuestionResult",
    "UnitRate",
    "categories",
    "category_of",
    "compute_results",
    "effective_min_group",
    "live_counts",
]

MAX_SHARE: Final = 0.5  # one answer per person and question: never binding, kept for the common rule


def effective_min_group(pulse_min_group: int, deployment_min_group: int) -> int:
    """The pulse's minimum group, never below the deployment's (NWOW_MIN_GROUP_SIZE)."""
    return max(pulse_min_group, deployment_min_group)


def categories(question: PulseQuestion) -> tuple[str, ...]:
    """The answers a question can get, in the order reports show them: the values its card offers."""
    return offered_values(question)


def category_of(question: PulseQuestion, value: object) -> str | None:
    """The answer category of a stored value, or None when it is not one of the question's answers."""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, int | str):
        text = str(value).strip()
    else:
        return None
    return text if text in categories(question) else None


@dataclass(frozen=True)
class Distribution:
    """The answers of a group: its respondents, the count of each shown answer, and how many answered
    something that is not shown on its own (`others`)."""

    respondents: int
    counts: Mapping[str, int]  # shown answers only
    mean: float | None = None  # ratings, when the whole distribution is shown

    @property
    def others(self) -> int:
        return self.respondents - sum(self.counts.values())

    @property
    def complete(self) -> bool:
        """Every answer's count is known (those not listed are 0)."""
        return self.others == 0

    def count(self, category: str) -> int | None:
        """The count of `category`: shown, 0 when the distribution is complete, else None (not published)."""
        if category in self.counts:
            return self.counts[category]
        return 0 if self.complete else None

    def share(self, category: str) -> float | None:
        count = self.count(category)
        return None if count is None or not self.respondents else count / self.respondents


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    kind: QuestionKind
    overall: Distribution | None = None  # None: not published (too few respondents), or free text
    units: tuple[tuple[str, Distribution], ...] = ()  # shown units, then OTHER_UNITS when it has people
    comments_shown: bool = False  # free text: the comments may be listed


@dataclass(frozen=True)
class UnitRate:
    unit: str
    recipients: int
    delivered: int
    respondents: int

    @property
    def rate(self) -> float | None:
        return self.respondents / self.delivered if self.delivered else None


@dataclass(frozen=True)
class PulseResults:
    pulse_id: str
    min_group: int
    closed: bool
    frozen_at: datetime | None  # when the results were computed and kept; None for a running pulse
    recipients: int
    delivered: int
    respondents: int
    unit_rates: tuple[UnitRate, ...] = ()
    questions: tuple[QuestionResult, ...] = field(default_factory=tuple)

    @property
    def response_rate(self) -> float | None:
        return self.respondents / self.delivered if self.delivered else None

    @property
    def shown(self) -> bool:
        """The answers are published: the pulse is closed and has at least the minimum group."""
        return self.closed and self.respondents >= self.min_group

    def question(self, question_id: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.question_id == question_id), None)


def _delivery_totals(rows: Sequence[DeliveryRow]) -> tuple[int, int, dict[str, tuple[int, int]]]:
    """Recipients, delivered, and both per recipient unit."""
    units: dict[str, tuple[int, int]] = {}
    for row in rows:
        recipients, delivered = units.get(row.unit, (0, 0))
        units[row.unit] = (
            recipients + row.recipients,
            delivered + (row.recipients if row.status is Delivery.SENT else 0),
        )
    return sum(r for r, _ in units.values()), sum(d for _, d in units.values()), units


def live_counts(
    started: StartedPulse,
    delivery: Sequence[DeliveryRow],
    answered_by_unit: Mapping[str, int],
    *,
    min_group: int,
) -> PulseResults:
    """What a running pulse publishes: the counts only."""
    recipients, delivered, _ = _delivery_totals(delivery)
    return PulseResults(
        pulse_id=started.pulse.id,
        min_group=min_group,
        closed=False,
        frozen_at=None,
        recipients=recipients,
        delivered=delivered,
        respondents=sum(answered_by_unit.values()),
    )


def _unit_rates(
    delivery: Sequence[DeliveryRow], answered_by_unit: Mapping[str, int], k: int, shown: frozenset[str]
) -> tuple[UnitRate, ...]:
    """Per recipient unit, for the units that have a row of their own in the results (so that, when people
    choose the unit they were asked in, the rate tells nothing the results do not) and whose recipients and
    respondents both reach k."""
    _, _, units = _delivery_totals(delivery)
    return tuple(
        UnitRate(unit, recipients, delivered, answered_by_unit.get(unit, 0))
        for unit, (recipients, delivered) in sorted(units.items())
        if unit in shown and recipients >= k and answered_by_unit.get(unit, 0) >= k
    )


def _distribution(
    question: PulseQuestion, respondents: int, counts: Mapping[str, int], shown: Sequence[str]
) -> Distribution:
    published = {c: counts.get(c, 0) for c in shown}
    distribution = Distribution(respondents, published)
    if question.kind is QuestionKind.RATING and distribution.complete and respondents:
        mean = sum(int(c) * n for c, n in published.items()) / respondents
        distribution = Distribution(respondents, published, mean)
    return distribution


def _question_result(
    question: PulseQuestion,
    rows: Sequence[tuple[str, str, str]],
    units: frozenset[str],
    protection: TableProtection,
) -> QuestionResult:
    if not rows or not protection.total_shown:
        return QuestionResult(question.id, question.kind)
    order = categories(question)
    overall = Counter(category for _, _, category in rows)
    by_unit: dict[str, Counter[str]] = {}
    for _, unit, category in rows:
        by_unit.setdefault(unit if unit in units else OTHER_UNITS, Counter())[category] += 1
    groups: list[tuple[str, Distribution]] = []
    for unit in [*sorted(units), OTHER_UNITS]:
        counts = by_unit.get(unit)
        if not counts:
            continue
        shown = [c for c in order if c in counts and protection.cell_shown(unit, c)]
        groups.append((unit, _distribution(question, sum(counts.values()), counts, shown)))
    shown_answers = [c for c in order if c in overall and protection.answer_shown(c)]
    return QuestionResult(
        question.id,
        question.kind,
        overall=_distribution(question, len(rows), overall, shown_answers),
        units=tuple(groups),
    )


def compute_results(
    started: StartedPulse,
    answers: Sequence[PulseAnswer],
    delivery: Sequence[DeliveryRow],
    answered_by_unit: Mapping[str, int],
    *,
    min_group: int,
    frozen_at: datetime,
) -> PulseResults:
    """The results of a closed pulse from its rows (pure; the caller freezes them)."""
    pulse = started.pulse
    answers = [a for a in answers if a.pulse_id == pulse.id]
    recipients, delivered, _ = _delivery_totals(delivery)
    respondents = len({a.user_key for a in answers})
    fixed = [q for q in pulse.questions if q.kind is not QuestionKind.TEXT]
    tables: dict[str, list[tuple[str, str, str]]] = {q.id: [] for q in fixed}
    for a in answers:
        for q in fixed:
            category = category_of(q, a.answers.get(q.id))
            if category is not None:
                tables[q.id].append((a.user_key, a.unit, category))
    rule = Rule(min_group, MAX_SHARE)
    shown = respondents >= min_group
    results: list[QuestionResult] = []
    units: frozenset[str] = frozenset()
    protections: Mapping[str, TableProtection] = {}
    if shown:
        units, protections = protect_pulse([QuestionTable(qid, rows) for qid, rows in tables.items()], rule)
    for q in pulse.questions:
        if q.kind is QuestionKind.TEXT:
            results.append(QuestionResult(q.id, q.kind, comments_shown=shown))
        elif shown:
            results.append(_question_result(q, tables[q.id], units, protections[q.id]))
        else:
            results.append(QuestionResult(q.id, q.kind))
    return PulseResults(
        pulse_id=pulse.id,
        min_group=min_group,
        closed=True,
        frozen_at=frozen_at,
        recipients=recipients,
        delivered=delivered,
        respondents=respondents,
        unit_rates=_unit_rates(delivery, answered_by_unit, min_group, units - {""}),
        questions=tuple(results),
    )
