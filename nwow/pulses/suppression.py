"""Which figures of a pulse's results may be published: one table per question, unit × answer, protected by
`nwow.feedback.disclosure.protect` (docs/anonymity.md, "Adoption pulses").

Each question with fixed answers (rating, choice, yes/no) is a table of its respondents, one entry each, in
two dimensions: the answer ("3", "yes", a choice id) and the unit, a hierarchy whose leaves are the cells
unit × answer and whose parents are the units. So the candidate cells are the total, each answer, each unit
and each unit × answer cell, and `protect` publishes only cells such that no linear combination of published
cells (total minus the shown units, an answer's count minus its shown units, a unit minus its shown answers,
...) involves the answers of 1..k-1 people.

The same people are in every question's table, so a unit shown in one question and hidden in another would
give the hidden one away. The units are therefore chosen once for the whole pulse: a unit is shown only if
every question's protection shows it; the others are merged into "other units together" and every question
is protected again, until the set of units no longer changes (it only shrinks, so this ends).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from nwow.feedback.disclosure import Cell, Dimension, Entry, Protection, Rule, protect

__all__ = ["ANSWER", "OTHER_UNITS", "UNIT", "QuestionTable", "TableProtection", "leaf", "protect_pulse"]

ANSWER: Final = "answer"
UNIT: Final = "unit"
# The units not shown, taken together (never a unit id: unit ids are printable).
OTHER_UNITS: Final = "\x00others"
_SEPARATOR: Final = "\x1f"


def leaf(unit: str, category: str) -> str:
    """The category of the unit dimension for the cell unit × answer."""
    return f"{unit}{_SEPARATOR}{category}"


@dataclass(frozen=True)
class QuestionTable:
    """One question's answers: (respondent, unit, answer category) per respondent."""

    question_id: str
    rows: Sequence[tuple[str, str, str]]


@dataclass(frozen=True)
class TableProtection:
    """The outcome for one question: its protection, over units where the hidden ones are OTHER_UNITS."""

    protection: Protection

    def answer_shown(self, category: str) -> bool:
        return self.protection.shown(Cell(ANSWER, category))

    def cell_shown(self, unit: str, category: str) -> bool:
        return self.protection.shown(Cell(UNIT, leaf(unit, category)))

    def unit_shown(self, unit: str) -> bool:
        return self.protection.shown(Cell(UNIT, unit))

    @property
    def total_shown(self) -> bool:
        return self.protection.shown(Cell.total())


def _protect_one(table: QuestionTable, shown_units: frozenset[str], rule: Rule) -> TableProtection:
    parents: dict[str, str] = {}
    entries: list[Entry] = []
    for respondent, unit, category in table.rows:
        group = unit if unit in shown_units else OTHER_UNITS
        cell = leaf(group, category)
        parents[cell] = group
        entries.append(Entry(respondent, (category, cell)))
    dimensions = [Dimension(ANSWER), Dimension(UNIT, parents=parents)]
    return TableProtection(protect(entries, dimensions, rule))


def protect_pulse(
    tables: Sequence[QuestionTable], rule: Rule
) -> tuple[frozenset[str], Mapping[str, TableProtection]]:
    """The units shown in every question, and each question's protection over those units."""
    present = {table.question_id: frozenset(unit for _, unit, _ in table.rows) for table in tables}
    shown = frozenset().union(*present.values())
    while True:
        protections = {table.question_id: _protect_one(table, shown, rule) for table in tables}
        kept = frozenset(
            unit
            for unit in shown
            if all(protections[qid].unit_shown(unit) for qid, units in present.items() if unit in units)
        )
        if kept == shown:
            return shown, protections
        shown = kept
