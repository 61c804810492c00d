"""A pulse compared with the previous one on the same questions: for each question id it shares (with the
same kind) with the most recent earlier closed pulse that has it, that pulse's figure and the change, only
where both figures are published. Both sides are frozen results, so the comparison never changes either."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nwow.pulses.model import Pulse, QuestionKind
from nwow.pulses.results import PulseResults, QuestionResult, categories

__all__ = ["MEAN", "Change", "Comparison", "compare", "headline"]

MEAN = "mean"  # the figure of a rating question


@dataclass(frozen=True)
class Change:
    figure: str  # MEAN, "yes", or a choice id (its share of the respondents)
    previous: float
    current: float

    @property
    def delta(self) -> float:
        return self.current - self.previous


@dataclass(frozen=True)
class Comparison:
    question_id: str
    previous: Pulse  # the earlier pulse compared with
    changes: tuple[Change, ...]


def headline(pulse: Pulse, result: QuestionResult) -> dict[str, float]:
    """The published figures of a question that a comparison uses: a rating's mean, the share of yes, each
    shown option's share."""
    question = pulse.question(result.question_id)
    overall = result.overall
    if question is None or overall is None:
        return {}
    if result.kind is QuestionKind.RATING:
        return {} if overall.mean is None else {MEAN: overall.mean}
    wanted = ("yes",) if result.kind is QuestionKind.YES_NO else categories(question)
    figures: dict[str, float] = {}
    for category in wanted:
        share = overall.share(category)
        if share is not None:
            figures[category] = share
    return figures


def compare(
    pulse: Pulse, results: PulseResults, earlier: Sequence[tuple[Pulse, PulseResults]]
) -> tuple[Comparison, ...]:
    """`earlier`: the closed pulses started before `pulse`, the most recent first, with their results."""
    comparisons: list[Comparison] = []
    for result in results.questions:
        if result.kind is QuestionKind.TEXT:
            continue
        for previous, previous_results in earlier:
            question = previous.question(result.question_id)
            if question is None or question.kind is not result.kind:
                continue
            before = previous_results.question(result.question_id)
            old = headline(previous, before) if before is not None else {}
            new = headline(pulse, result)
            changes = tuple(Change(f, old[f], new[f]) for f in new if f in old)
            if changes:
                comparisons.append(Comparison(result.question_id, previous, changes))
            break  # only the most recent earlier pulse that asked it
    return tuple(comparisons)
