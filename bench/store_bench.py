"""Store benchmark: feedback submissions per second into SQLite and PostgreSQL through the store
(sequential, and from 32 concurrent tasks), and report generation time for 100,000 stored responses.

    .venv/bin/python bench/store_bench.py                       # SQLite only
    NWOW_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/store_bench.py

PostgreSQL runs in a database created for the run (nwow_bench_<random>) and dropped at the end; SQLite in a
temporary folder. Every submission is a separate committed transaction, as in the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from nwow.feedback.models import SurveyResponse, UnansweredQuestion, Vote
from nwow.feedback.periods import Month, last_closed_month, months_between
from nwow.feedback.render import render
from nwow.feedback.report import build_report
from nwow.storage import Database, open_database
from nwow.storage.write_once import KvWriteOnce

TOOLS = ("teams", "yammer", "office365", "telework", "satellite", "wikipol", "besecure", "other")
UNITS = (
    "fed-cg",
    "fed-dga",
    "fed-dgj",
    "fed-dgr",
    "fed-dri",
    "local-antwerpen",
    "local-brussel",
    "local-liege",
)
QUESTIONS = (
    "Hoe reserveer ik een bureau in een satellietkantoor?",
    "Waar vind ik mijn loonbrief?",
    "Comment réinitialiser mon MFA ?",
    "Wie kann ich Teams auf meinem Handy installieren?",
    "How do I share my screen in a Teams meeting?",
    "Mag ik thuiswerken op woensdag?",
)


@dataclass(frozen=True)
class Row:
    backend: str
    what: str
    count: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else float("inf")


def make_response(n: int, rnd: random.Random, now: datetime, span_days: int = 365) -> SurveyResponse:
    return SurveyResponse(
        submission_id=f"bench-{n}",
        user_key=f"user-{rnd.randrange(20_000):05d}",
        tool=rnd.choice(TOOLS),
        rating=rnd.randint(1, 5),
        works=rnd.choice(("", "Chat works well", "Video calls are stable", "Shared files are easy to find")),
        obstacles=rnd.choice(("", "VPN drops at home", "Too many channels", "Training was too short")),
        unit=rnd.choice(UNITS),
        contact_ok=False,
        contact_id=None,
        lang=rnd.choice(("nl", "fr", "de", "en")),
        submitted_at=now - timedelta(seconds=rnd.randrange(span_days * 86_400)),
    )


async def timed(backend: str, what: str, count: int, work: Callable[[], object]) -> Row:
    started = time.perf_counter()
    result = work()
    if asyncio.iscoroutine(result):
        await result
    return Row(backend, what, count, time.perf_counter() - started)


async def submit_all(db: Database, responses: list[SurveyResponse], concurrency: int) -> None:
    queue = iter(responses)

    async def worker() -> None:
        for response in queue:
            if not await db.feedback.record_survey(response):
                raise RuntimeError(f"{response.submission_id} was not new")

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def bench_backend(
    backend: str, url: str, submissions: int, report_rows: int, concurrency: int
) -> list[Row]:
    rows: list[Row] = []
    rnd = random.Random(20261123)
    now = datetime.now(UTC)
    db = await open_database(url)
    try:
        sequential = [make_response(i, rnd, now) for i in range(submissions)]
        rows.append(
            await timed(backend, "submit, sequential", submissions, lambda: submit_all(db, sequential, 1))
        )
        concurrent = [make_response(submissions + i, rnd, now) for i in range(submissions)]
        rows.append(
            await timed(
                backend,
                f"submit, {concurrency} tasks",
                submissions,
                lambda: submit_all(db, concurrent, concurrency),
            )
        )
        retries = concurrent[: min(1000, submissions)]

        async def resubmit() -> None:
            results = await asyncio.gather(*(db.feedback.record_survey(r) for r in retries))
            if any(results):
                raise RuntimeError("a retried submission was stored twice")

        rows.append(await timed(backend, "retried submit (no-op)", len(retries), resubmit))

        missing = report_rows - 2 * submissions
        if missing > 0:
            seed = [make_response(10 * submissions + i, rnd, now) for i in range(missing)]
            rows.append(
                await timed(
                    backend, f"seed, {concurrency} tasks", missing, lambda: submit_all(db, seed, concurrency)
                )
            )
        questions = [
            UnansweredQuestion(
                f"q{i}",
                rnd.choice(QUESTIONS) + rnd.choice(("", "?", " ", "!")),
                "nl",
                now - timedelta(seconds=rnd.randrange(365 * 86_400)),
            )
            for i in range(report_rows // 10)
        ]
        votes = [
            Vote(
                f"v{i}",
                f"user-{rnd.randrange(20_000)}",
                f"entry-{rnd.randrange(80)}",
                f"a{i}",
                rnd.random() < 0.7,
                "nl",
                now - timedelta(seconds=rnd.randrange(365 * 86_400)),
            )
            for i in range(report_rows // 5)
        ]
        await submit_other(db, questions, votes, concurrency)

        # The last 12 closed months: the first report computes each month's protected figures and keeps
        # them; a second report reads the kept figures.
        last = last_closed_month(now)
        months = months_between(_months_before(last, 11), last)
        archive = KvWriteOnce(db.kv)
        started = time.perf_counter()
        report = await build_report(db.feedback, archive, months, 5, now=now)
        first = time.perf_counter() - started
        answers = sum(f.overall.responses for f in report.months if f.overall)
        rows.append(Row(backend, "report: 12 months, figures computed and kept", answers, first))
        started = time.perf_counter()
        report = await build_report(db.feedback, archive, months, 5, now=now)
        rows.append(Row(backend, "report: 12 months, kept figures", answers, time.perf_counter() - started))
        for fmt in ("md", "csv", "html"):
            started = time.perf_counter()
            render(report, fmt, "nl")
            rows.append(Row(backend, f"report: render {fmt}", answers, time.perf_counter() - started))
    finally:
        await db.close()
    return rows


def _months_before(month: Month, count: int) -> Month:
    for _ in range(count):
        month = month.previous()
    return month


async def submit_other(
    db: Database, questions: list[UnansweredQuestion], votes: list[Vote], concurrency: int
) -> None:
    q_iter, v_iter = iter(questions), iter(votes)

    async def worker() -> None:
        for q in q_iter:
            await db.feedback.record_unanswered(q)
        for v in v_iter:
            await db.feedback.record_vote(v)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


@asynccontextmanager
async def postgres_database(server: str) -> AsyncIterator[str]:
    import asyncpg

    name = f"nwow_bench_{secrets.token_hex(5)}"
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        admin = await asyncpg.connect(server)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def print_table(rows: list[Row]) -> None:
    header = f"{'backend':<11} {'measurement':<36} {'rows':>9} {'seconds':>9} {'rows/s':>10}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row.backend:<11} {row.what:<36} {row.count:>9,} {row.seconds:>9.3f} {row.rate:>10,.0f}")


async def run(args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="nwow-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        rows += await bench_backend("sqlite", url, args.submissions, args.report_rows, args.concurrency)
    server = args.postgres or os.environ.get("NWOW_TEST_POSTGRES_URL", "")
    if server:
        async with postgres_database(server) as url:
            rows += await bench_backend(
                "postgresql", url, args.submissions, args.report_rows, args.concurrency
            )
    else:
        print("PostgreSQL skipped: set NWOW_TEST_POSTGRES_URL or pass --postgres URL", file=sys.stderr)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=5000, help="submissions per mode (default 5000)")
    parser.add_argument("--report-rows", type=int, default=100_000, help="survey responses for the report")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--postgres", default="", help="PostgreSQL server URL (default NWOW_TEST_POSTGRES_URL)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    rows = asyncio.run(run(args))
    print_table(rows)
    print(f"\n({os.cpu_count()} CPUs; whole run {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
