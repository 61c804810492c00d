"""An insider who reads every published figure of a pulse and combines them, with any coefficients.

The unknowns of a question are its *atoms*: how many people of one unit gave one answer (the attacker is
even told which atoms are empty). Every published number is a linear function of the atoms: a group's
respondents (the sum of its atoms), an answer's count in a group, "other answers" (the group's atoms outside
the shown answers), a rating's mean (times the group's size: the sum of rating × atom), a share on the card,
a unit's respondents in the response rate table (the people chose the unit they were asked in). A set of
atoms whose people the attacker can count exactly is one whose indicator lies in the span of the published
functions; if such a set holds 1..k-1 people, a small group's answers are out (a disclosure).

`read_csv`, `read_markdown`, `read_html` and `read_card` turn the real outputs into functions; `disclosures`
does the exact linear algebra (fractions, no rounding).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from html.parser import HTMLParser
from typing import Any

from nwow.pulses.model import Pulse, PulseQuestion, QuestionKind
from nwow.pulses.results import categories, category_of
from tests.pulses.results_seed import Person

Atom = tuple[str, str]  # (unit, answer)


@dataclass(frozen=True)
class Functional:
    source: str
    question: str
    weights: Mapping[Atom, int]


@dataclass(frozen=True)
class Disclosure:
    question: str
    atoms: tuple[Atom, ...]
    people: int
    sources: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.question}: {self.atoms} ({self.people} people) from {', '.join(self.sources)}"


@dataclass
class PulseAttacker:
    pulse: Pulse
    people: Sequence[Person]
    k: int
    labels: Mapping[str, str]  # unit label (English) -> unit id
    functionals: list[Functional] = field(default_factory=list)

    def atoms(self, question: PulseQuestion) -> Counter[Atom]:
        found: Counter[Atom] = Counter()
        for p in self.people:
            category = category_of(question, p.answers.get(question.id))
            if category is not None:
                found[(p.unit, category)] += 1
        return found

    def units(self) -> set[str]:
        return {p.unit for p in self.people if p.answers}

    def add(
        self,
        source: str,
        question: PulseQuestion,
        units: Iterable[str],
        answers: Iterable[str],
        rating_weights: bool = False,
    ) -> None:
        present = self.atoms(question)
        chosen = set(answers)
        weights = {
            atom: (int(atom[1]) if rating_weights else 1)
            for atom in present
            if atom[0] in set(units) and atom[1] in chosen
        }
        if weights:
            self.functionals.append(Functional(source, question.id, weights))

    def check_figure(
        self, question: PulseQuestion, units: Iterable[str], answers: Iterable[str], value: int
    ) -> None:
        """A published count agrees with the rows (else the reading is wrong, not the report)."""
        present = self.atoms(question)
        chosen, where = set(answers), set(units)
        true = sum(n for (u, a), n in present.items() if u in where and a in chosen)
        assert true == value, (question.id, sorted(where), sorted(chosen), true, value)

    def disclosures(self, max_atoms: int = 3) -> list[Disclosure]:
        found: list[Disclosure] = []
        for question in self.pulse.questions:
            if question.kind is QuestionKind.TEXT:
                continue
            present = self.atoms(question)
            atoms = sorted(present)
            rows = [f for f in self.functionals if f.question == question.id]
            basis = _basis([[Fraction(f.weights.get(a, 0)) for a in atoms] for f in rows])
            for size in range(1, max_atoms + 1):
                for chosen in itertools.combinations(range(len(atoms)), size):
                    people = sum(present[atoms[i]] for i in chosen)
                    if not 0 < people < self.k:
                        continue
                    target = [Fraction(1 if i in chosen else 0) for i in range(len(atoms))]
                    if _in_span(basis, target):
                        sources = tuple(sorted({f.source for f in rows}))
                        found.append(
                            Disclosure(question.id, tuple(atoms[i] for i in chosen), people, sources)
                        )
        return found


def _basis(rows: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Row echelon form: (pivot column, row) pairs."""
    basis: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        row = _reduce(basis, row)
        pivot = next((i for i, v in enumerate(row) if v), None)
        if pivot is None:
            continue
        row = [v / row[pivot] for v in row]
        basis = [
            (p, [a - b[p] * c for a, c in zip(b, row, strict=True)]) if b[pivot] else (p, b) for p, b in basis
        ]
        basis.append((pivot, row))
    return basis


def _reduce(basis: list[tuple[int, list[Fraction]]], row: list[Fraction]) -> list[Fraction]:
    row = list(row)
    for pivot, b in basis:
        if row[pivot]:
            factor = row[pivot]
            row = [a - factor * c for a, c in zip(row, b, strict=True)]
    return row


def _in_span(basis: list[tuple[int, list[Fraction]]], target: list[Fraction]) -> bool:
    return not any(_reduce(basis, target))


# ---------------------------------------------------------------- reading the outputs


def _int(text: str) -> int | None:
    text = text.strip().replace(",", "").replace("\u202f", "").replace(".", "")
    return int(text) if text.isdigit() else None


def _group_units(attacker: PulseAttacker, group: str, listed: set[str]) -> set[str] | None:
    """The units a row is about: all, a unit, or the units without a row of their own."""
    if group in ("all", "All respondents"):
        return attacker.units()
    if group in ("others", "Other units together"):
        return attacker.units() - listed
    if group in ("", "Unit not given"):
        return {""}
    if group in attacker.labels:
        return {attacker.labels[group]}
    if group in attacker.units():
        return {group}
    return None


def read_table(
    attacker: PulseAttacker,
    source: str,
    question: PulseQuestion,
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> None:
    """A question's table: Group | Respondents | answers... | Other answers | Mean."""
    answers = list(categories(question))
    labels = {_answer_label(question, c): c for c in answers}
    listed: set[str] = set()
    for row in rows:
        units = _group_units(attacker, row[0].strip(), set())
        if units is not None and len(units) == 1 and row[0].strip() not in ("All respondents",):
            listed |= units
    for row in rows:
        units = _group_units(attacker, row[0].strip(), listed)
        assert units is not None, f"{source}: unknown group {row[0]!r}"
        shown: list[str] = []
        for name, cell in zip(head[1:], row[1:], strict=True):
            value = _int(cell)
            what = f"{source} {question.id} {row[0].strip()} {name.strip()}"
            if name.strip() == "Respondents" and value is not None:
                attacker.check_figure(question, units, answers, value)
                attacker.add(what, question, units, answers)
            elif name.strip() in labels and value is not None:
                attacker.check_figure(question, units, [labels[name.strip()]], value)
                attacker.add(what, question, units, [labels[name.strip()]])
                shown.append(labels[name.strip()])
            elif name.strip() == "Other answers" and value is not None:
                others = [a for a in answers if a not in shown]
                attacker.check_figure(question, units, others, value)
                attacker.add(what, question, units, others)
            elif name.strip() == "Mean" and cell.strip() not in ("–", ""):
                attacker.add(what, question, units, answers, rating_weights=True)


def _answer_label(question: PulseQuestion, category: str) -> str:
    if question.kind is QuestionKind.YES_NO:
        return {"yes": "Yes", "no": "No"}[category]
    choice = next((c for c in question.choices if c.id == category), None)
    return choice.text("en") if choice else category


_QUESTION = re.compile(r"^Question (\d+): ")


def read_markdown(attacker: PulseAttacker, text: str, source: str) -> int:
    """Every question table of the pulse's section; the number of tables read."""
    lines = text.splitlines()
    start = next(
        i for i, line in enumerate(lines) if f"({attacker.pulse.id})" in line and line.startswith("### ")
    )
    question: PulseQuestion | None = None
    tables = 0
    i = start + 1
    while i < len(lines) and not lines[i].startswith("### "):
        line = lines[i]
        if line.startswith("#### "):
            m = _QUESTION.match(re.sub(r"\\(.)", r"\1", line[5:]))
            question = attacker.pulse.questions[int(m.group(1)) - 1] if m else None
        elif line.startswith("| ") and question is not None:
            rows = []
            while i < len(lines) and lines[i].startswith("|"):
                if not lines[i].startswith("|---"):
                    rows.append(
                        [re.sub(r"\\(.)", r"\1", c).strip() for c in re.split(r"(?<!\\)\|", lines[i])[1:-1]]
                    )
                i += 1
            read_table(attacker, source, question, rows[0], rows[1:])
            tables += 1
            question = None
            continue
        i += 1
    _rates_markdown(attacker, lines[start:i], source)
    return tables


def _rates_markdown(attacker: PulseAttacker, lines: Sequence[str], source: str) -> None:
    inside = False
    for line in lines:
        if line.startswith("#### "):
            inside = "Response rate by unit" in line
        elif inside and line.startswith("| ") and not line.startswith("| Unit"):
            cells = [c.strip() for c in line.split("|")[1:-1]]
            _rate(attacker, source, cells[0], _int(cells[2]))


def _rate(attacker: PulseAttacker, source: str, label: str, respondents: int | None) -> None:
    unit = attacker.labels.get(label, label)
    assert respondents is not None
    for question in attacker.pulse.questions:
        if question.kind is not QuestionKind.TEXT:
            attacker.check_figure(question, {unit}, categories(question), respondents)
            attacker.add(f"{source} rate {label}", question, {unit}, categories(question))


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, Any]] = []  # ("h3"/"h4", text) or ("table", rows)
        self.text: list[str] | None = None
        self.rows: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h3", "h4"):
            self.text = []
        elif tag == "table":
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h3", "h4") and self.text is not None:
            self.items.append((tag, "".join(self.text)))
            self.text = None
        elif tag in ("td", "th") and self.cell is not None and self.rows:
            self.rows[-1].append("".join(self.cell))
            self.cell = None
        elif tag == "table" and self.rows is not None:
            self.items.append(("table", self.rows))
            self.rows = None

    def handle_data(self, data: str) -> None:
        for sink in (self.cell, self.text):
            if sink is not None:
                sink.append(data)
                return


def read_html(attacker: PulseAttacker, text: str, source: str) -> int:
    parser = _Html()
    parser.feed(text)
    inside = False
    heading = ""
    tables = 0
    for kind, value in parser.items:
        if kind == "h3":
            inside = f"({attacker.pulse.id})" in value
        elif kind == "h4":
            heading = value
        elif kind == "table" and inside:
            m = _QUESTION.match(heading)
            if m:
                read_table(
                    attacker, source, attacker.pulse.questions[int(m.group(1)) - 1], value[0], value[1:]
                )
                tables += 1
            elif heading == "Response rate by unit":
                for row in value[1:]:
                    _rate(attacker, source, row[0], _int(row[2]))
    return tables


def read_csv(attacker: PulseAttacker, data: bytes, source: str) -> int:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    listed: dict[str, set[str]] = {}
    for row in rows:
        section = row["Section"]
        if row["period"] != attacker.pulse.id:
            continue
        if section == "pulse_unit_rate":
            _rate(attacker, source, row["key"], _int(row["Respondents"]))
        elif section in ("pulse_group", "pulse_answer"):
            _, question_id, group = row["key"].split("/")
            groups.setdefault((question_id, group), []).append(row)
            if group not in ("all", "others"):
                listed.setdefault(question_id, set()).add(group)
    for (question_id, group), entries in groups.items():
        question = attacker.pulse.question(question_id)
        assert question is not None
        units = _group_units(attacker, group, listed.get(question_id, set()))
        assert units is not None
        answers = list(categories(question))
        shown = [r["note"] for r in entries if r["Section"] == "pulse_answer" and r["note"] != "others"]
        for r in entries:
            what = f"{source} {question_id} {group} {r['Section']} {r['note']}"
            if r["Section"] == "pulse_group":
                attacker.check_figure(question, units, answers, int(r["Respondents"]))
                attacker.add(what, question, units, answers)
                if r["Mean"]:
                    attacker.add(what + " mean", question, units, answers, rating_weights=True)
            else:
                chosen = [a for a in answers if a not in shown] if r["note"] == "others" else [r["note"]]
                attacker.check_figure(question, units, chosen, int(r["Count"]))
                attacker.add(what, question, units, chosen)
    return len(groups)


def read_card(attacker: PulseAttacker, card: Mapping[str, Any], source: str) -> int:
    """The card's facts: a question's headline over all respondents (a mean, or an answer's share)."""
    read = 0
    for block in card.get("body", []):
        if block.get("type") != "FactSet":
            continue
        for fact in block["facts"]:
            question = next(
                (
                    q
                    for q in attacker.pulse.questions
                    if q.prompt("en").startswith(fact["title"].rstrip("…").replace("\\", ""))
                ),
                None,
            )
            if question is None:
                continue
            units = attacker.units()
            value = fact["value"].split(" (previous")[0]
            if value.startswith("mean "):
                attacker.add(
                    f"{source} {question.id} mean", question, units, categories(question), rating_weights=True
                )
                attacker.add(f"{source} {question.id} n", question, units, categories(question))
                read += 1
            elif ": " in value:
                label = value.split(": ")[0].replace("\\", "")
                category = next(
                    (c for c in categories(question) if _answer_label(question, c) == label), None
                )
                assert category is not None, value
                attacker.add(f"{source} {question.id} {category}", question, units, [category])
                attacker.add(f"{source} {question.id} n", question, units, categories(question))
                read += 1
    return read
