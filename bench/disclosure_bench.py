"""Time to protect one month of survey answers (nwow/feedback/disclosure.py): what the first publication of a
closed month costs, once, in a worker thread.

    .venv/bin/python bench/disclosure_bench.py [--rounds 5]

Months of 300, 2,000 and 8,000 answers over the 8 tools and 22 units of the survey: "sparse" draws tools and
units with the skew real answers have (most about Teams, a few big units), "uniform" spreads them evenly (the
slow case: every cell large, so every check runs to the end). Prints the median time and what was shown.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from nwow.feedback.disclosure import Dimension, Entry, Rule, protect
from nwow.feedback.figures import TOOL, UNIT
from nwow.feedback.survey import TOOLS

UNITS = tuple(f"unit-{n}" for n in range(22))
TOOL_WEIGHTS = (50, 5, 20, 10, 3, 2, 2, 1)
UNIT_WEIGHTS = tuple(1 / (n + 1) for n in range(len(UNITS)))


def month(answers: int, people: int, skewed: bool, rnd: random.Random) -> list[Entry]:
    tools = TOOL_WEIGHTS if skewed else None
    units = UNIT_WEIGHTS if skewed else None
    return [
        Entry(f"user-{rnd.randrange(people)}", (rnd.choices(TOOLS, tools)[0], rnd.choices(UNITS, units)[0]))
        for _ in range(answers)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rnd = random.Random(20261123)
    dimensions: list[Dimension] = [TOOL, UNIT]
    print(f"{'month':<22} {'answers':>8} {'median s':>9} {'shown':>6} {'hidden':>7}")
    for answers, people in ((300, 400), (2_000, 3_000), (8_000, 20_000)):
        for skewed in (True, False):
            times: list[float] = []
            for _ in range(args.rounds):
                entries = month(answers, people, skewed, rnd)
                started = time.perf_counter()
                result = protect(entries, dimensions, Rule(5))
                times.append(time.perf_counter() - started)
            label = f"{'sparse' if skewed else 'uniform'}, {people:,} people"
            print(
                f"{label:<22} {answers:>8,} {statistics.median(times):>9.3f} "
                f"{len(result.published):>6} {len(result.suppressed):>7}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
