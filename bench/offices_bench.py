"""Time to resolve a place and rank the offices, with the 26 shipped offices and 2,000 generated ones.

    .venv/bin/python bench/offices_bench.py [--rounds 20] [--json]

Prints the one-off cost of building the place index, then p50/p99 per question for: resolving the place,
ranking the offices (3 nearest, open now), and both together, over a fixed mix of questions (names in
Dutch, French and German, sub-municipalities, postal codes, typos, ambiguous and unknown names); then what
understanding a message costs (`detect.understand`, which decides office question or FAQ for every
message): over the shipped FAQ's questions (what a message for the FAQ pays), over office questions, and
over a 100,000-character message (bounded: only the start is read).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from nwow.faq.loader import load_knowledge_base
from nwow.offices.detect import understand
from nwow.offices.loader import OFFICES_FILE, load_offices
from nwow.offices.model import Office, OfficeDirectory
from nwow.offices.places import PlaceIndex, build_place_index
from nwow.offices.ranking import nearest
from nwow.paths import default_faq_dir

QUERIES: tuple[str, ...] = (
    "Gent",
    "Anvers",
    "Lüttich",
    "Bergen",
    "Bruxelles",
    "Sint-Niklaas",
    "Wilrijk",
    "Jambes",
    "3000",
    "9000 Gent",
    "4700",
    "Antwerpn",
    "Bruxeles",
    "Gnet",
    "Deurne",
    "Xyzzyqwv",
)


def generated_directory(
    base: OfficeDirectory, places: PlaceIndex, count: int, seed: int = 5
) -> OfficeDirectory:
    """`count` offices: copies of the shipped ones moved to random Belgian postal codes."""
    rng = random.Random(seed)
    codes = sorted(places.postal_codes)
    offices: list[Office] = []
    for number in range(count):
        template = base.offices[number % len(base.offices)]
        where = places.postal_code(rng.choice(codes))
        assert where is not None
        offices.append(
            replace(
                template,
                id=f"{template.id}-{number}",
                lat=where.lat,
                lon=where.lon,
                province=where.province_id or "",
            )
        )
    return OfficeDirectory(tuple(offices), base.provinces)


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"p50_us": statistics.median(ordered) * 1e6, "p99_us": p99 * 1e6, "n": len(ordered)}


def timed(action: Callable[[], object], rounds: int) -> list[float]:
    samples: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def measure(directory: OfficeDirectory, places: PlaceIndex, rounds: int) -> dict[str, dict[str, float]]:
    now = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    resolve: list[float] = []
    rank: list[float] = []
    both: list[float] = []
    for query in QUERIES:
        place = places.resolve(query).place
        resolve += timed(lambda q=query: places.resolve(q), rounds)  # type: ignore[misc]
        if place is not None:
            rank += timed(lambda p=place: nearest(directory, p.lat, p.lon, now), rounds)  # type: ignore[misc]

        def answer(q: str = query) -> None:
            found = places.resolve(q).place
            if found is not None:
                nearest(directory, found.lat, found.lon, now)

        both += timed(answer, rounds)
    return {"resolve": percentiles(resolve), "rank": percentiles(rank), "resolve_and_rank": percentiles(both)}


OFFICE_QUESTIONS: tuple[str, ...] = (
    "alle kantoren in Henegouwen",
    "bureau satellite Hainaut",
    "satellite offices in West Flanders",
    "waar kan ik werken dicht bij Brugge",
    "satellietkantoor Limburg",
    "satellietkantoor Kortrjik",
    "kantoor in de buurt van Bruge",
    "satellitenbüro st. vith",
    "Wo ist das nächste Satellitenbüro in der Nähe von Eupen?",
    "un bureau près de chez moi à Wavre",
)


def measure_understanding(places: PlaceIndex, rounds: int) -> dict[str, dict[str, float]]:
    loaded = load_knowledge_base(default_faq_dir())
    faq = [
        q
        for e in (loaded.kb.entries.values() if loaded.kb else ())
        for c in e.content.values()
        for q in c.questions
    ]
    hostile = "satellietkantoor " + "Kortrjik bij " * 8000
    figures = {}
    for label, texts in (
        ("faq_questions", faq),
        ("office_questions", list(OFFICE_QUESTIONS)),
        ("100k_chars", [hostile]),
    ):
        samples: list[float] = []
        for text in texts:
            samples += timed(lambda t=text: understand(t, places), max(1, rounds // 4))  # type: ignore[misc]
        figures[label] = percentiles(samples)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=20, help="repetitions of each question (default 20)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    places = build_place_index()
    build_s = time.perf_counter() - start
    shipped, problems = load_offices(default_faq_dir() / OFFICES_FILE, places=places)
    if shipped is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2
    results: dict[str, object] = {"place_index_build_s": round(build_s, 3), "names": len(places)}
    for label, directory in (("26", shipped), ("2000", generated_directory(shipped, places, 2000))):
        results[f"offices_{label}"] = measure(directory, places, args.rounds)
    results["understand"] = measure_understanding(places, args.rounds)

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"place index: {len(places)} names, built in {build_s:.2f} s (once per process)")
    for label in ("26", "2000"):
        figures = results[f"offices_{label}"]
        assert isinstance(figures, dict)
        for name, stats in figures.items():
            print(
                f"{label:>5} offices  {name:<17} p50 {stats['p50_us']:8.1f} µs   "
                f"p99 {stats['p99_us']:8.1f} µs   (n={stats['n']})"
            )
    understanding = results["understand"]
    assert isinstance(understanding, dict)
    for name, stats in understanding.items():
        print(
            f"understand  {name:<17} p50 {stats['p50_us']:8.1f} µs   p99 {stats['p99_us']:8.1f} µs   (n={stats['n']})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
