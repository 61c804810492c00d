"""Ask an ambassador: what the out-of-scope check decides and costs, what the ticket store costs, and what
the DRI outcome figures of a busy month cost to compute.

    .venv/bin/python -m bench.tickets_bench
    NWOW_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.tickets_bench

1. The out-of-scope check (`KnowledgeBase.covers`, nwow/faq/scope.py) on faq/tests.yml: in-scope questions
   wrongly called out of scope, out-of-scope questions caught; its cost per question (every unanswered
   question pays it), and for the longest text the intake lets through (1,000 characters, 150 words).
2. The stores, on SQLite (a temporary file) and PostgreSQL (a database created for the run and dropped):
   the question record every answered question now writes, opening a ticket, claiming (and 200 races of
   two claims on one ticket, from two connections: exactly one must win each), answering.
3. `compute_month` (the published outcome figures, anonymity rule included) for 100,000 question records
   of 20,000 askers over 15 topics and 40 units.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from nwow.faq.eval import load_test_cases
from nwow.faq.loader import load_knowledge_base
from nwow.feedback.periods import Month
from nwow.paths import default_faq_dir
from nwow.storage import Database, open_database
from nwow.tickets import Ambassador, NewTicket, TicketAnswer
from nwow.tickets.figures import compute_month
from nwow.tickets.hours import BusinessHours
from nwow.tickets.questions import AskedQuestion, Outcome, QuestionRecord
from tests.storage.ticket_factories import new_ticket

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
ANN = Ambassador("aaaaaaaa-0000-0000-0000-00000000000a", "Ann Peeters")
BEN = Ambassador("bbbbbbbb-0000-0000-0000-00000000000b", "Ben Dupont")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def scope_figures() -> None:
    kb = load_knowledge_base(default_faq_dir()).kb
    assert kb is not None
    cases = load_test_cases(default_faq_dir() / "tests.yml")
    in_scope = [c.question for c in cases if c.expect is not None]
    out_of_scope = [c.question for c in cases if c.expect is None]
    wrongly = [q for q in in_scope if not kb.covers(q)]
    caught = [q for q in out_of_scope if not kb.covers(q)]
    print("== out of scope (KnowledgeBase.covers) on faq/tests.yml ==")
    print(f"in-scope questions called out of scope: {len(wrongly)} of {len(in_scope)}")
    print(f"out-of-scope questions caught:          {len(caught)} of {len(out_of_scope)}")
    print('  (the others get "I don\'t know that yet" with the offer to ask an ambassador)')
    timings: list[float] = []
    for question in in_scope + out_of_scope:
        for _ in range(20):
            start = time.perf_counter_ns()
            kb.covers(question)
            timings.append((time.perf_counter_ns() - start) / 1000)
    print(
        f"cost per question: median {statistics.median(timings):.1f} µs, "
        f"p99 {_percentile(timings, 0.99):.1f} µs ({len(timings)} calls)"
    )
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)) for _ in range(150)]
    longest = " ".join(words)[:1000]
    runs = []
    for _ in range(50):
        start = time.perf_counter_ns()
        kb.covers(longest)
        runs.append((time.perf_counter_ns() - start) / 1000)
    print(
        f"the longest text the intake lets through (1,000 chars, unknown words): median {statistics.median(runs):.0f} µs"
    )


@asynccontextmanager
async def databases() -> AsyncIterator[list[tuple[str, str]]]:
    with tempfile.TemporaryDirectory() as folder:
        found = [("sqlite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")]
        server = os.environ.get("NWOW_TEST_POSTGRES_URL")
        if not server:
            yield found
            return
        import asyncpg

        name = f"nwow_bench_{secrets.token_hex(6)}"
        admin = await asyncpg.connect(server)
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield [*found, ("postgresql", urlunsplit(urlsplit(server)._replace(path=f"/{name}")))]
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()


def _ticket(n: int) -> NewTicket:
    at = T0 + timedelta(seconds=n)
    return new_ticket(f"form-{n}", f"user-{n % 500}", question_ref=f"q-{n}", created_at=at)


async def _timed(count: int, step: Callable[[int], Awaitable[object]]) -> tuple[float, float]:
    """(median, p99) milliseconds of `count` sequential calls."""
    timings = []
    for n in range(count):
        start = time.perf_counter()
        await step(n)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), _percentile(timings, 0.99)


async def store_figures(backend: str, url: str) -> None:
    first = await open_database(url)
    second = await open_database(url)
    try:
        print(f"== stores on {backend} (each call one committed transaction) ==")
        db: Database = first

        async def record(n: int) -> object:
            return await db.questions.record(
                AskedQuestion(
                    f"ref-{n}", f"user-{n % 500}", T0, "nl", Outcome.ANSWERED, "teams", "teams-what"
                )
            )

        median, p99 = await _timed(500, record)
        print(f"question record (every answered question): median {median:.2f} ms, p99 {p99:.2f} ms")
        median, p99 = await _timed(300, lambda n: db.tickets.create(_ticket(n)))
        print(f"open a ticket:                              median {median:.2f} ms, p99 {p99:.2f} ms")
        median, p99 = await _timed(300, lambda n: db.tickets.claim(n + 1, ANN, T0 + timedelta(hours=1)))
        print(f"claim:                                      median {median:.2f} ms, p99 {p99:.2f} ms")
        answer = TicketAnswer(text="Zie het onthaal van je gebouw.")
        median, p99 = await _timed(
            300, lambda n: db.tickets.answer(n + 1, ANN, answer, f"answer-{n}", T0 + timedelta(hours=2))
        )
        print(f"answer:                                     median {median:.2f} ms, p99 {p99:.2f} ms")

        winners = []
        start = time.perf_counter()
        for n in range(200):
            ticket, _ = await db.tickets.create(replace(_ticket(10_000 + n), submission_id=f"race-{n}"))
            ann, ben = await asyncio.gather(
                first.tickets.claim(ticket.number, ANN, T0), second.tickets.claim(ticket.number, BEN, T0)
            )
            winners.append(int(ann.changed) + int(ben.changed))
        elapsed = time.perf_counter() - start
        print(
            f"200 races of two claims from two connections: exactly one winner in "
            f"{winners.count(1)} of 200 (no winner {winners.count(0)}, two {winners.count(2)}); "
            f"{elapsed / 200 * 1000:.1f} ms per race"
        )
    finally:
        await second.close()
        await first.close()


def figures_cost() -> None:
    rng = random.Random(11)
    month = Month(2026, 10)
    since, until = month.bounds()
    span = (until - since).total_seconds()
    outcomes = list(Outcome)
    topics = [f"topic-{n}" for n in range(15)]
    units = {f"user-{n}": f"unit-{n % 40}" for n in range(20_000)}
    records = [
        QuestionRecord(
            ref=f"ref-{n}",
            user_key=f"user-{rng.randrange(20_000)}",
            asked_at=since + timedelta(seconds=rng.random() * span),
            lang="nl",
            outcome=rng.choice(outcomes),
            topic=rng.choice(topics),
            entry_id="",
            helpful=rng.choice([None, True, False]),
            ticket=None,
            updated_at=since,
        )
        for n in range(100_000)
    ]
    start = time.perf_counter()
    figures = compute_month(
        month,
        records,
        [],
        units,
        min_group_size=5,
        hours=BusinessHours(),
        frozen_at=until + timedelta(days=1),
    )
    elapsed = time.perf_counter() - start
    shown = len(figures.topics), len(figures.units)
    print("== DRI outcome figures ==")
    print(
        f"compute_month, 100,000 questions of 20,000 askers, 15 topics x 40 units: {elapsed:.2f} s "
        f"(topics shown {shown[0]}, units shown {shown[1]}); computed once per closed month, then frozen"
    )


async def main() -> None:
    scope_figures()
    async with databases() as found:
        for backend, url in found:
            await store_figures(backend, url)
    figures_cost()


if __name__ == "__main__":
    asyncio.run(main())
