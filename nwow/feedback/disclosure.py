"""Which cells of a table of answers may be published so that no sum or difference of them singles out a
small group of people (statistical disclosure control; the guarantee and its proof: docs/anonymity.md).

A table here is a set of answers (`Entry`: who answered, and the answer's category in each of at most two
`Dimension`s, e.g. tool and unit), and its candidate cells are the total and every category of every
dimension (with its parent categories, when a dimension is a hierarchy). `protect` returns the cells that may
be published under a `Rule` (at least k distinct respondents, none of whom gave more than a share of the
answers):
- every published cell passes the rule;
- every linear combination of published cells, whatever its coefficients, involves the answers of nobody or
  of at least k respondents (so "the total minus the shown tools", "a tool minus a unit that only used that
  tool" or "a unit group minus its shown units" never isolate fewer than k people);
- every such combination that is a set of answers (coefficients 0 and 1) passes the rule.
Cells that fail the rule are suppressed ("small"); further cells are suppressed, the one with the fewest
respondents first, until the rest holds ("complementary").

How it is checked. A dimension's published cells are nested or disjoint, so they span the same combinations
as their *regions* (a cell minus its published sub-cells; answers in no published cell form the rest
region). With two dimensions a combination weighs each answer by (weight of its row region) + (weight of its
column region). In the graph of regions (an edge where a row and a column region share answers), the answers
a nonzero combination involves always include a whole cut, and every cut is what some combination involves:
so the second property holds iff every cut holds at least k people (`_cut_violation`). The sets of answers are
disjoint unions of "rows I minus columns J" with no answer in a column of J and a row outside I; for a given I
the smallest takes J as large as allowed, the others add whole column regions; and the rule is kept by
disjoint unions. So it is enough that every region passes (`_region_violation`) and, for every I, that
smallest set (`_group_violation`: a cut, so it has k people already; it checks the share). The enumerations
run over the dimension with fewer regions (at most 2^8 splits for 8 tools).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

TOTAL: Final = "*"
MAX_ENUMERATED_REGIONS: Final = 16


class Reason(StrEnum):
    SMALL = "small"  # the group itself fails the rule
    COMPLEMENTARY = "complementary"  # hidden so that published cells cannot reveal a small group


@dataclass(frozen=True)
class Dimension:
    """A way to break the answers down. `parents` makes it a hierarchy: category -> the category above it
    (top-level categories are not listed). Every answer carries one category of each dimension."""

    name: str
    parents: Mapping[str, str] = field(default_factory=dict)

    def lineage(self, category: str) -> tuple[str, ...]:
        """`category`, its parent, ..., up to its top-level category."""
        chain = [category]
        while chain[-1] in self.parents:
            chain.append(self.parents[chain[-1]])
            if len(chain) > len(self.parents) + 1:
                raise ValueError(f"dimension {self.name!r}: the parents of {category!r} form a loop")
        return tuple(chain)


@dataclass(frozen=True)
class Entry:
    """One answer: who gave it (a pseudonym) and its category in each dimension, in the table's order."""

    respondent: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A group may be published when it has at least `min_respondents` distinct respondents and no one of
    them gave more than `max_share` of its answers."""

    min_respondents: int
    max_share: float = 0.5

    def __post_init__(self) -> None:
        if self.min_respondents < 1:
            raise ValueError("min_respondents must be at least 1")
        if not 0.0 < self.max_share <= 1.0:
            raise ValueError("max_share must be in (0, 1]")

    def allows(self, respondents: Counter[str]) -> bool:
        """`respondents` counts the answers of each respondent in the group (an empty group is allowed)."""
        answers = sum(respondents.values())
        if answers == 0:
            return True
        return (
            len(respondents) >= self.min_respondents and max(respondents.values()) <= self.max_share * answers
        )


@dataclass(frozen=True, order=True)
class Cell:
    """A candidate cell: a category of a dimension, or the table's total (`Cell.total()`)."""

    dimension: str
    category: str

    @classmethod
    def total(cls) -> Cell:
        return cls(TOTAL, TOTAL)


@dataclass(frozen=True)
class Protection:
    """The outcome: every candidate cell (one with at least one answer) is published or suppressed."""

    rule: Rule
    published: frozenset[Cell]
    suppressed: Mapping[Cell, Reason]

    def shown(self, cell: Cell) -> bool:
        return cell in self.published

    def reason(self, cell: Cell) -> Reason | None:
        return self.suppressed.get(cell)


class _Table:
    def __init__(self, entries: Sequence[Entry], dimensions: Sequence[Dimension]) -> None:
        if not 1 <= len(dimensions) <= 2:
            raise ValueError("a protected table has one or two dimensions")
        if len({d.name for d in dimensions}) != len(dimensions) or TOTAL in {d.name for d in dimensions}:
            raise ValueError("dimension names must be distinct and not '*'")
        self.entries = entries
        self.dimensions = dimensions
        for entry in entries:
            if len(entry.categories) != len(dimensions):
                raise ValueError(
                    f"an entry has {len(entry.categories)} categories for {len(dimensions)} dimensions"
                )
        self.lineages = [[d.lineage(e.categories[i]) for e in entries] for i, d in enumerate(dimensions)]
        self.members: dict[Cell, list[int]] = {Cell.total(): list(range(len(entries)))}
        for i, d in enumerate(dimensions):
            for n, lineage in enumerate(self.lineages[i]):
                for category in lineage:
                    self.members.setdefault(Cell(d.name, category), []).append(n)

    def counts(self, indices: Iterable[int]) -> Counter[str]:
        return Counter(self.entries[n].respondent for n in indices)

    def size(self, cell: Cell) -> tuple[int, Cell]:
        """Sort key: the cell with the fewest respondents first (ties by name, for a stable outcome)."""
        return len(self.counts(self.members[cell])), cell

    def regions(self, i: int, published: Collection[Cell]) -> list[str]:
        """Each entry's region in dimension `i`: its deepest published category, or TOTAL (the rest)."""
        name = self.dimensions[i].name
        return [
            next((c for c in lineage if Cell(name, c) in published), TOTAL) for lineage in self.lineages[i]
        ]


def _region_violation(table: _Table, rule: Rule, published: set[Cell]) -> Cell | None:
    """A published cell to hide because some region of a dimension fails the rule, or None."""
    for i, d in enumerate(table.dimensions):
        regions = table.regions(i, published)
        by_region: dict[str, list[int]] = {}
        for n, region in enumerate(regions):
            by_region.setdefault(region, []).append(n)
        for region, indices in sorted(by_region.items()):
            if rule.allows(table.counts(indices)):
                continue
            # The region is the cell minus its published sub-cells: hide the smallest of those (it joins the
            # region). The region of a published cell without published sub-cells is the cell, which passes.
            inside = [
                cell
                for cell in published
                if cell.dimension == d.name
                and _nearest_published_above(d, cell.category, published) == region
            ]
            if not inside:
                raise AssertionError(f"region {region!r} of {d.name!r} fails but has no published sub-cell")
            return min(inside, key=table.size)
    return None


def _nearest_published_above(d: Dimension, category: str, published: Collection[Cell]) -> str:
    for above in d.lineage(category)[1:]:
        if Cell(d.name, above) in published:
            return above
    return TOTAL


def _two_way(table: _Table, published: set[Cell]) -> tuple[list[list[str]], int, dict[str, int]] | None:
    """Both dimensions' regions per entry, which side has fewer regions, and a bit for each of its regions."""
    if len(table.dimensions) < 2:
        return None
    regions = [table.regions(0, published), table.regions(1, published)]
    side = 0 if len(set(regions[0])) <= len(set(regions[1])) else 1
    names = sorted(set(regions[side]))
    if len(names) < 2:
        return None  # one region on a side: no split of it, every cut is a whole region of the other side
    if len(names) > MAX_ENUMERATED_REGIONS:
        raise ValueError(
            f"both dimensions have more than {MAX_ENUMERATED_REGIONS} shown categories; the check would not end"
        )
    return regions, side, {name: 1 << n for n, name in enumerate(names)}


def _smallest(table: _Table, published: set[Cell], involved: Iterable[Cell]) -> Cell:
    candidates = [cell for cell in involved if cell in published and cell.category != TOTAL]
    if not candidates:
        raise AssertionError("a derivable combination fails the rule but touches no published cell")
    return min(candidates, key=table.size)


def _cut_violation(table: _Table, rule: Rule, published: set[Cell]) -> Cell | None:
    """A published cell to hide because some combination of rows and columns, whatever its coefficients,
    involves the answers of 1..k-1 respondents; or None.

    Such a combination exists iff some cut of the graph of regions (an edge per pair of regions that share
    answers) carries that few respondents. For each split of the smaller side, every region of the other
    side goes to one side of the cut or the other; a region with answers on both sides of the split must
    put one of its two halves in the cut. The search looks for a choice of halves with fewer than k people.
    """
    found = _two_way(table, published)
    if found is None:
        return None
    regions, side, bit = found
    other = 1 - side
    columns: dict[str, dict[str, set[str]]] = {}
    for n, entry in enumerate(table.entries):
        columns.setdefault(regions[other][n], {}).setdefault(regions[side][n], set()).add(entry.respondent)
    dims = table.dimensions
    for split in range(1, 1 << (len(bit) - 1)):  # a split and its mirror image give the same cuts
        halves: list[tuple[str, frozenset[str], frozenset[str], list[str], list[str]]] = []
        for q, by_row in sorted(columns.items()):
            inside = [r for r in by_row if bit[r] & split]
            outside = [r for r in by_row if not bit[r] & split]
            if inside and outside:
                people = [frozenset().union(*(by_row[r] for r in rows)) for rows in (inside, outside)]
                halves.append((q, people[0], people[1], inside, outside))
        if not halves:
            continue
        choice = _few_people(halves, rule.min_respondents)
        if choice is not None:
            # The cut runs between the split's rows (with the columns that touch only them, and the columns
            # whose second half was picked) and the rest. Hiding any region next to it changes it.
            rows = {
                r
                for (_, _, _, inside, outside), first in zip(halves, choice, strict=True)
                for r in (inside if first else outside)
            }
            involved = {Cell(dims[side].name, r) for r in rows}
            involved |= {
                Cell(dims[other].name, q)
                for q, by_row in columns.items()
                if any(bit[r] & split or r in rows for r in by_row)
            }
            return _smallest(table, published, involved)
    return None


_SEARCH_BUDGET: Final = 100_000


def _few_people(
    halves: Sequence[tuple[str, frozenset[str], frozenset[str], list[str], list[str]]], k: int
) -> list[bool] | None:
    """A choice of one half per column (True: the first) whose people together are fewer than k; None if
    there is none. Gives up after a fixed number of steps by answering as if there were one (the caller then
    hides a cell: safe, if not minimal)."""
    steps = 0

    def search(i: int, people: frozenset[str]) -> list[bool] | None:
        nonlocal steps
        steps += 1
        if len(people) >= k:
            return None
        if i == len(halves) or steps > _SEARCH_BUDGET:
            return []
        _, first, second, _, _ = halves[i]
        for pick, half in sorted(((True, first), (False, second)), key=lambda o: len(people | o[1])):
            rest = search(i + 1, people | half)
            if rest is not None:
                return [pick, *rest]
        return None

    choice = search(0, frozenset())
    if choice is None:
        return None
    return choice + [True] * (len(halves) - len(choice))


def _group_violation(table: _Table, rule: Rule, published: set[Cell]) -> Cell | None:
    """A published cell to hide because rows minus columns single out a set of answers that one person
    dominates (more than the rule's share), or None. Run after `_cut_violation`: these sets are cuts, so they
    already hold at least k people."""
    found = _two_way(table, published)
    if found is None or rule.max_share >= 1.0:
        return None
    regions, side, bit = found
    other = 1 - side
    touches: dict[str, int] = {}
    edges: dict[tuple[str, str], Counter[str]] = {}
    for n, entry in enumerate(table.entries):
        mine, theirs = regions[side][n], regions[other][n]
        touches[theirs] = touches.get(theirs, 0) | bit[mine]
        edges.setdefault((mine, theirs), Counter())[entry.respondent] += 1
    sizes = {edge: sum(counts.values()) for edge, counts in edges.items()}
    heaviest = table.counts(range(len(table.entries))).most_common()
    dims = table.dimensions
    for chosen in range(1, (1 << len(bit)) - 1):
        closed = {q for q, mask in touches.items() if mask & ~chosen == 0}
        group = [(r, q) for (r, q) in edges if bit[r] & chosen and q not in closed]
        if not group:
            continue
        answers = sum(sizes[edge] for edge in group)
        # Only someone with more answers in the whole table than the share allows can dominate the set.
        dominated = False
        for person, total in heaviest:
            if total <= rule.max_share * answers:
                break
            if sum(edges[edge][person] for edge in group) > rule.max_share * answers:
                dominated = True
                break
        if not dominated:
            continue
        involved = {Cell(dims[side].name, r) for r in bit if bit[r] & chosen}
        involved |= {Cell(dims[other].name, q) for q in closed | {q for _, q in group}}
        return _smallest(table, published, involved)
    return None


def protect(entries: Sequence[Entry], dimensions: Sequence[Dimension], rule: Rule) -> Protection:
    """The cells of the table of `entries` that may be published under `rule` (see the module docstring).

    Deterministic: the same entries (in any order) give the same outcome. Hides the smallest cell first
    when it has to choose.
    """
    table = _Table(sorted(entries, key=lambda e: (e.respondent, e.categories)), dimensions)
    suppressed: dict[Cell, Reason] = {
        cell: Reason.SMALL
        for cell, indices in table.members.items()
        if not rule.allows(table.counts(indices))
    }
    if Cell.total() in suppressed:
        # Every cell is part of the total: with too few people in all, nothing is shown.
        suppressed = dict.fromkeys(table.members, Reason.SMALL)
    published = set(table.members) - set(suppressed)
    while published:
        hide = (
            _region_violation(table, rule, published)
            or _cut_violation(table, rule, published)
            or _group_violation(table, rule, published)
        )
        if hide is None:
            break
        published.discard(hide)
        suppressed[hide] = Reason.COMPLEMENTARY
    return Protection(rule, frozenset(published), suppressed)
