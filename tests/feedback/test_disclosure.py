"""The suppression module, checked against an exhaustive attacker on thousands of small random tables."""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction
from math import lcm

import pytest

from nwow.feedback.disclosure import Cell, Dimension, Entry, Reason, Rule, protect

TOOL = Dimension("tool")
UNIT = Dimension("unit")


def entries(*groups: tuple[str, str, int]) -> list[Entry]:
    """(tool, unit, how many people), each person answering once."""
    out: list[Entry] = []
    for tool, unit, people in groups:
        out += [Entry(f"{tool}/{unit}/{n}", (tool, unit)) for n in range(people)]
    return out


def one_way(*groups: tuple[str, int]) -> list[Entry]:
    """(category, how many people), each person answering once."""
    return [Entry(f"{category}/{n}", (category,)) for category, people in groups for n in range(people)]


def test_nothing_is_hidden_when_every_group_is_large() -> None:
    table = entries(("teams", "dri", 6), ("teams", "dgj", 5), ("yammer", "dri", 5), ("yammer", "dgj", 7))
    result = protect(table, [TOOL, UNIT], Rule(5))
    assert result.suppressed == {}
    assert result.published == {
        Cell.total(),
        Cell("tool", "teams"),
        Cell("tool", "yammer"),
        Cell("unit", "dri"),
        Cell("unit", "dgj"),
    }


def test_a_second_category_is_hidden_when_the_total_minus_the_shown_ones_is_small() -> None:
    table = one_way(("teams", 20), ("yammer", 6), ("wikipol", 2))
    result = protect(table, [TOOL], Rule(5))
    assert result.reason(Cell("tool", "wikipol")) is Reason.SMALL
    assert result.reason(Cell("tool", "yammer")) is Reason.COMPLEMENTARY
    assert result.shown(Cell("tool", "teams")) and result.shown(Cell.total())


def test_a_tool_minus_a_unit_that_used_only_that_tool_cannot_single_anyone_out() -> None:
    # Office 365: five people in Liège (who used nothing else) and one in Antwerp.
    table = entries(
        ("teams", "dri", 6), ("teams", "dgj", 6), ("office365", "liege", 5), ("office365", "antwerp", 1),
        ("yammer", "namur", 1), ("wikipol", "brussels", 2), ("besecure", "hainaut", 2),
    )  # fmt: skip
    result = protect(table, [TOOL, UNIT], Rule(5))
    assert result.shown(Cell("tool", "office365"))
    assert result.reason(Cell("unit", "liege")) is Reason.COMPLEMENTARY
    assert result.shown(Cell("unit", "dri")) and result.shown(Cell("unit", "dgj"))


def test_a_unit_group_minus_its_shown_units_is_protected() -> None:
    units = Dimension("unit", {"antwerp": "local", "liege": "local", "namur": "local", "dri": "federal"})
    table = one_way(("antwerp", 6), ("liege", 7), ("namur", 2), ("dri", 9))
    result = protect(table, [units], Rule(5))
    assert result.reason(Cell("unit", "namur")) is Reason.SMALL
    # "local" (15) minus Antwerp and Liège would be Namur's two people: one of them is hidden too.
    assert result.reason(Cell("unit", "antwerp")) is Reason.COMPLEMENTARY
    assert result.shown(Cell("unit", "local")) and result.shown(Cell("unit", "liege"))
    assert result.shown(Cell("unit", "federal")) and result.shown(Cell("unit", "dri"))


def test_a_group_where_one_person_gave_most_answers_is_not_shown() -> None:
    heavy = [Entry("keen", ("teams",)) for _ in range(6)] + [Entry(f"p{n}", ("teams",)) for n in range(4)]
    others = [Entry(f"q{n}", ("yammer",)) for n in range(8)]
    result = protect(heavy + others, [TOOL], Rule(5, max_share=0.5))
    assert result.reason(Cell("tool", "teams")) is Reason.SMALL
    assert result.reason(Cell("tool", "yammer")) is Reason.COMPLEMENTARY  # else total minus Yammer = Teams
    assert protect(heavy + others, [TOOL], Rule(5, max_share=1.0)).shown(Cell("tool", "teams"))


def test_a_difference_dominated_by_one_person_is_protected() -> None:
    # Tool A minus unit U (which used only A) is A in unit V: five people, but one gave 6 of its 10 answers.
    table = [Entry("keen", ("a", "v")) for _ in range(6)] + entries(
        ("a", "v", 4), ("a", "u", 10), ("b", "v", 10)
    )
    result = protect(table, [TOOL, UNIT], Rule(5, max_share=0.5))
    assert not (result.shown(Cell("tool", "a")) and result.shown(Cell("unit", "u")))
    assert leaks(table, [TOOL, UNIT], Rule(5, max_share=0.5), result.published) == []
    everything = frozenset(result.published | set(result.suppressed))
    assert leaks(table, [TOOL, UNIT], Rule(5, max_share=0.5), everything) != []


def test_too_few_people_in_all_shows_nothing() -> None:
    table = entries(("teams", "dri", 2), ("yammer", "dri", 2))
    result = protect(table, [TOOL, UNIT], Rule(5))
    assert result.published == frozenset()
    assert set(result.suppressed.values()) == {Reason.SMALL}


def test_the_outcome_does_not_depend_on_the_order_of_the_answers() -> None:
    table = entries(
        ("teams", "dri", 6), ("teams", "dgj", 6), ("office365", "liege", 5), ("office365", "antwerp", 1)
    )
    shuffled = list(table)
    random.Random(7).shuffle(shuffled)
    assert protect(table, [TOOL, UNIT], Rule(5)) == protect(shuffled, [TOOL, UNIT], Rule(5))


def test_bad_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="one or two"):
        protect([], [TOOL, UNIT, Dimension("week")], Rule(5))
    with pytest.raises(ValueError, match="loop"):
        protect([Entry("a", ("x",))], [Dimension("unit", {"x": "y", "y": "x"})], Rule(5))
    with pytest.raises(ValueError, match="categories"):
        protect([Entry("a", ("x",))], [TOOL, UNIT], Rule(5))
    with pytest.raises(ValueError):
        Rule(0)


# ---------------------------------------------------------------- the exhaustive attacker


def _null_space(rows: list[list[int]], width: int) -> list[list[int]]:
    """Integer vectors spanning {x : row . x = 0 for every row}."""
    matrix = [[Fraction(v) for v in row] for row in rows]
    pivots: list[int] = []
    r = 0
    for c in range(width):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][c] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        matrix[r] = [v / matrix[r][c] for v in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][c] != 0:
                factor = matrix[i][c]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(c)
        r += 1
    basis: list[list[int]] = []
    for free in (c for c in range(width) if c not in pivots):
        vector = [Fraction(0)] * width
        vector[free] = Fraction(1)
        for row, c in enumerate(pivots):
            vector[c] = -matrix[row][free]
        scale = lcm(*(v.denominator for v in vector))
        basis.append([int(v * scale) for v in vector])
    return basis


_PRIME = (1 << 61) - 1  # above every minor of a 0/1 matrix this small: ranks mod p are ranks over Q


def _rank(rows: list[list[int]]) -> int:
    matrix = [[v % _PRIME for v in row] for row in rows]
    rank = 0
    for c in range(len(matrix[0]) if matrix else 0):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][c]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        inverse = pow(matrix[rank][c], _PRIME - 2, _PRIME)
        matrix[rank] = [v * inverse % _PRIME for v in matrix[rank]]
        for i in range(len(matrix)):
            if i != rank and matrix[i][c]:
                factor = matrix[i][c]
                matrix[i] = [(a - factor * b) % _PRIME for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


def leaks(table: list[Entry], dimensions: list[Dimension], rule: Rule, shown: frozenset[Cell]) -> list[str]:
    """What an attacker with unlimited patience gets from the shown cells, by brute force over the atoms
    (answers with the same categories):
    - a group (a set of atoms) whose indicator is a linear combination of the shown cells and which fails
      the rule;
    - a combination of the shown cells, with any coefficients, that involves 1..k-1 respondents: a set S
      of atoms holds one iff dropping S's columns from the cells' matrix lowers its rank."""
    atoms = sorted({e.categories for e in table})
    members = {atom: Counter(e.respondent for e in table if e.categories == atom) for atom in atoms}

    def covers(cell: Cell, atom: tuple[str, ...]) -> bool:
        if cell == Cell.total():
            return True
        i = next(n for n, d in enumerate(dimensions) if d.name == cell.dimension)
        return cell.category in dimensions[i].lineage(atom[i])

    rows = [[int(covers(cell, atom)) for atom in atoms] for cell in sorted(shown)]
    found: list[str] = []
    null = (
        _null_space(rows, len(atoms))
        if rows
        else [[int(i == j) for j in range(len(atoms))] for i in range(len(atoms))]
    )
    sums = [[0] * len(null)]
    people: list[frozenset[str]] = [frozenset()]
    full_rank = _rank(rows)
    k = rule.min_respondents
    for mask in range(1, 1 << len(atoms)):
        low = (mask & -mask).bit_length() - 1
        previous = mask & (mask - 1)
        sums.append([s + v[low] for s, v in zip(sums[previous], null, strict=True)])
        people.append(people[previous] | members[atoms[low]].keys())
        picked = [a for n, a in enumerate(atoms) if mask >> n & 1]
        if not any(sums[mask]):
            group: Counter[str] = Counter()
            for atom in picked:
                group.update(members[atom])
            if not rule.allows(group):
                found.append(f"group {picked}: {dict(group)}")
        # Combinations: enough to look at the largest sets of atoms with fewer than k people.
        small = len(people[mask]) < k
        largest = small and all(
            len(people[mask] | members[atoms[n]].keys()) >= k for n in range(len(atoms)) if not mask >> n & 1
        )
        if largest and rows:
            rest = [[v for n, v in enumerate(row) if not mask >> n & 1] for row in rows]
            if _rank(rest) < full_rank:
                found.append(f"combination within {picked}: {sorted(people[mask])}")
    return found


def random_table(rng: random.Random) -> tuple[list[Entry], list[Dimension]]:
    tools = [f"t{n}" for n in range(rng.randint(2, 4))]
    units = [f"u{n}" for n in range(rng.randint(2, 5))]
    parents = {u: rng.choice(["g0", "g1"]) for u in units} if rng.random() < 0.4 else {}
    people = [f"p{n}" for n in range(rng.randint(4, 26))]
    weights = [rng.random() ** 2 for _ in tools], [rng.random() ** 2 for _ in units]
    table = [
        Entry(rng.choice(people), (rng.choices(tools, weights[0])[0], rng.choices(units, weights[1])[0]))
        for _ in range(rng.randint(5, 45))
    ]
    dimensions = [Dimension("tool"), Dimension("unit", parents)]
    if rng.random() < 0.25:
        return [Entry(e.respondent, e.categories[1:]) for e in table], dimensions[1:]
    return table, dimensions


def test_no_combination_of_published_cells_singles_out_a_small_group() -> None:
    rng = random.Random(20261123)
    checked = shown_cells = 0
    while checked < 800:
        table, dimensions = random_table(rng)
        if len({e.categories for e in table}) > 12:
            continue
        rule = Rule(rng.choice([2, 3, 5]), rng.choice([1.0, 0.5]))
        result = protect(table, dimensions, rule)
        assert leaks(table, dimensions, rule, result.published) == [], (
            table,
            dimensions,
            rule,
        )
        checked += 1
        shown_cells += len(result.published - {Cell.total()})
    # Not safe by showing nothing: on these tables most breakdowns keep cells.
    assert shown_cells > 2 * checked


def test_the_exhaustive_attacker_finds_what_a_naive_suppression_leaves() -> None:
    """The auditor itself can fail: showing every large cell of the Office 365 table leaks Antwerp."""
    table = entries(
        ("teams", "dri", 6), ("office365", "liege", 5), ("office365", "antwerp", 1), ("yammer", "namur", 5)
    )
    naive = frozenset(
        {Cell.total(), Cell("tool", "teams"), Cell("tool", "office365"), Cell("tool", "yammer")}
        | {Cell("unit", u) for u in ("dri", "liege", "namur")}
    )
    assert leaks(table, [TOOL, UNIT], Rule(5), naive) != []
