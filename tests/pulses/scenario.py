"""One pulse's answers with every group the attacks need: units above and below the minimum group, answer
cells of 1..4 people inside large units, a homogeneous unit, people who gave no unit."""

from __future__ import annotations

from tests.pulses.results_seed import Person

K = 5


def _people(unit: str, prefix: str, rows: list[tuple[int, str, str]]) -> list[Person]:
    return [
        Person(f"{prefix}{n}", unit, {"teams-daily-work": r, "most-used-tool": tool, "telework-possible": yn})
        for n, (r, tool, yn) in enumerate(rows)
    ]


def people() -> list[Person]:
    rows = _people(
        "fed-dri", "dri", [(4, "teams", "yes")] * 7 + [(5, "teams", "yes")] * 4 + [(1, "yammer", "yes")]
    )
    rows += _people("fed-dgj", "dgj", [(3, "teams", "yes")] * 5 + [(4, "e-mail", "no")] * 4)
    rows += _people("local-antwerpen", "ant", [(2, "teams", "no")] * 2 + [(3, "teams", "no")] * 5)
    rows += _people("local-brussel", "bru", [(5, "yammer", "yes")] * 2 + [(5, "yammer", "no")])
    rows += _people("local-hainaut", "hai", [(1, "e-mail", "no"), (2, "e-mail", "no")])
    rows += _people("", "none", [(3, "teams", "yes")])
    # Free text from a few of them; one names a colleague and gives a phone number.
    comments = {
        "dri0": "More training please",
        "dgj1": "Call Jan Peeters at 0475 12 34 56",
        "ant2": "A second screen",
    }
    for person in rows:
        if person.key in comments:
            person.answers["what-would-help"] = comments[person.key]  # type: ignore[index]
    # Two people got the card and did not answer.
    rows += [Person("quiet1", "fed-dri", {}), Person("quiet2", "fed-dgj", {})]
    return rows
