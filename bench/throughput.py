"""Issue 8's benchmark: FAQ questions answered with a card, through the real HTTP endpoint, against the stock
botbuilder echo bot measured in the same run with the same load generator.

    .venv/bin/python -m bench.throughput                       # every setup, 15 s per level, levels 1 and 32
    .venv/bin/python -m bench.throughput -d 5 --only echo,sqlite
    .venv/bin/python -m bench.throughput --postgres-url postgresql://postgres@127.0.0.1:5432/postgres

Setups (`--only`): `echo` (bench/echo_baseline.py: CloudAdapter, auth disabled, the SDK sample as shipped),
`sqlite` and `postgres` (one bot process, `python -m bench.serve_bot`, a fresh database each),
`sqlite-2` and `postgres-2` (two bot processes on one database; message k of conversation n goes to
replica (n + k) mod 2, a load balancer without session affinity, so every turn reads state another
process wrote). PostgreSQL setups need --postgres-url (or NWOW_TEST_POSTGRES_URL); each creates and drops
its own database.

Each level is a closed loop per conversation (POST, wait for the answer, repeat) for `--duration` seconds
after `--warmup` (bench/loadgen.py's activity shape and loopback connector). Reported per row: messages/s,
latency p50/p95/p99 of the POST round trip (which includes sending the reply to the connector), errors,
the share of replies that were Adaptive Cards, the CPU of the bot process(es), the bot's CPU time per
message (the figure least disturbed by other load on the machine), and the CPU of this load generator
(near 100% means the generator, not the bot, was the limit), and the machine's 1-minute load average
at the end of the level (2 cores here: above about 2.5, other work was competing). `--repeat N` runs every
setup N times, interleaved, and summarises the median round of each. The questions are the
in-scope paraphrases of faq/tests.yml that the shipped knowledge base answers (checked here, in-process,
before the run), office-finder questions left out. Results are printed as a Markdown table and, with
--json, written to a file. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from aiohttp import web

from bench.loadgen import ReplySink, closed_loop, cpu_seconds, percentile, read_listening, stop_process
from bot.settings import Settings
from nwow.faq.eval import load_test_cases
from nwow.faq.loader import load_knowledge_base
from nwow.offices.detect import is_office_question
from nwow.paths import default_faq_dir

SETUPS = ("echo", "sqlite", "postgres", "sqlite-2", "postgres-2")
CARD_TYPE = b"application/vnd.microsoft.card.adaptive"


@dataclass
class CardCountingSink(ReplySink):
    """The loopback connector, also counting the replies that carry an Adaptive Card."""

    cards: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        if CARD_TYPE in await request.read():  # aiohttp keeps the body: the base class reads it again
            self.cards += 1
        return await super().handle(request)


@dataclass
class Row:
    setup: str
    users: int
    messages_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    messages: int
    errors: int
    replies: int
    card_share: float
    bot_cpu_percent: float | None
    generator_cpu_percent: float = float("nan")
    load_average: float = float("nan")

    def markdown(self) -> str:
        cpu = "-" if self.bot_cpu_percent is None else f"{self.bot_cpu_percent:.0f}%"
        return (
            f"| {self.setup} | {self.users} | {self.messages_per_s:.1f} | {self.p50_ms:.2f} | "
            f"{self.p95_ms:.2f} | {self.p99_ms:.2f} | {self.messages} | {self.errors} | "
            f"{100 * self.card_share:.0f}% | {cpu} | {self.cpu_ms_per_message:.2f} | "
            f"{self.generator_cpu_percent:.0f}% | {self.load_average:.1f} |"
        )

    @property
    def cpu_ms_per_message(self) -> float:
        """Bot CPU time per message: less sensitive to a busy machine than messages/s."""
        if self.bot_cpu_percent is None or not self.messages_per_s:
            return float("nan")
        return 10.0 * self.bot_cpu_percent / self.messages_per_s


HEADER = (
    "| setup | users | msg/s | p50 ms | p95 ms | p99 ms | messages | errors | card replies | bot CPU | CPU ms/msg | generator CPU | load |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def answered_questions(faq_dir: Path) -> list[str]:
    """faq/tests.yml's in-scope questions that the knowledge base answers (not office-finder questions)."""
    result = load_knowledge_base(faq_dir)
    if result.kb is None:
        raise SystemExit(f"the knowledge base in {faq_dir} does not load: {result.errors[:3]}")
    defaults = Settings()
    questions: list[str] = []
    for case in load_test_cases(faq_dir / "tests.yml"):
        if case.expect is None or is_office_question(case.question):
            continue
        match = result.kb.match(
            case.question, None, threshold=defaults.match_threshold, gap=defaults.match_ambiguity_gap
        )
        if match.status == "answered":
            questions.append(case.question)
    if not questions:
        raise SystemExit("no test question is answered by the knowledge base")
    return questions


async def drive(
    session: aiohttp.ClientSession,
    urls: Sequence[str],
    service_url: str,
    sink: CardCountingSink,
    users: int,
    duration: float,
    warmup: float,
    texts: Sequence[str],
    pids: Sequence[int],
    setup: str,
) -> Row:
    """`users` closed-loop conversations; message k of conversation n goes to urls[(n + k) % len(urls)]."""
    run_id = f"{setup}-{users}-{time.time_ns()}"
    marks: dict[str, Any] = {}

    def start() -> None:
        marks.update(
            replies=sink.replies,
            cards=sink.cards,
            cpu=[cpu_seconds(pid) for pid in pids],
            generator=time.process_time(),
        )

    def end() -> None:
        marks.update(
            replies=sink.replies - marks["replies"],
            cards=sink.cards - marks["cards"],
            cpu_after=[cpu_seconds(pid) for pid in pids],
            generator=time.process_time() - marks["generator"],
        )

    sample = await closed_loop(
        session,
        urls,
        service_url,
        users,
        duration,
        warmup,
        texts,
        run_id,
        text_stride=7,
        on_start=start,
        on_end=end,
    )
    elapsed, ordered = sample.elapsed, sample.latencies
    cpu: float | None = None
    before_known = [c for c in marks["cpu"] if c is not None]
    after_known = [c for c in marks["cpu_after"] if c is not None]
    if pids and len(before_known) == len(after_known) == len(pids):
        cpu = 100.0 * (sum(after_known) - sum(before_known)) / elapsed
    replies, cards = marks["replies"], marks["cards"]
    return Row(
        setup=setup,
        users=users,
        messages_per_s=len(ordered) / elapsed,
        p50_ms=1000 * percentile(ordered, 0.50),
        p95_ms=1000 * percentile(ordered, 0.95),
        p99_ms=1000 * percentile(ordered, 0.99),
        messages=len(ordered),
        errors=sample.errors,
        replies=replies,
        card_share=cards / replies if replies else 0.0,
        bot_cpu_percent=cpu,
        generator_cpu_percent=100.0 * marks["generator"] / elapsed,
        load_average=os.getloadavg()[0],
    )


async def _admin(server: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(server)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def start_bot(args: Sequence[str], env: dict[str, str]) -> tuple[asyncio.subprocess.Process, str]:
    """Start `python -m <args>` with `env` added; its base URL, from the `LISTENING <url>` line it prints."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", *args, stdout=asyncio.subprocess.PIPE, env={**os.environ, **env}
    )
    try:
        async with asyncio.timeout(90):
            return process, await read_listening(process, " ".join(args))
    except BaseException:
        await stop_bot(process)
        raise


async def stop_bot(process: asyncio.subprocess.Process) -> None:
    """SIGTERM, and SIGKILL if it has not exited within 30 s (a profiled bot writes its stats first)."""
    await stop_process(process, within_seconds=30)


def bot_env(database_url: str, data_dir: Path, faq_dir: Path) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    return {
        "NWOW_DATABASE_URL": database_url,
        "NWOW_DATA_DIR": str(data_dir),
        "NWOW_FAQ_DIR": str(faq_dir),
        "NWOW_LOG_LEVEL": os.environ.get("NWOW_LOG_LEVEL", "INFO"),
        "NWOW_LOG_FORMAT": "json",
    }


@asynccontextmanager
async def database_for(setup: str, folder: Path, postgres_url: str) -> AsyncIterator[str]:
    if setup.startswith("sqlite"):
        yield f"sqlite:///{folder / f'{setup}.sqlite3'}"
        return
    name = f"nwow_bench_{secrets.token_hex(6)}"
    await _admin(postgres_url, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    finally:
        await _admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@asynccontextmanager
async def bots(
    setup: str, folder: Path, postgres_url: str, faq_dir: Path, serve_args: Sequence[str] = ()
) -> AsyncIterator[list[tuple[int, str]]]:
    """Start the setup's bot process(es); (pid, messages URL) of each, stopped when the block ends.
    `serve_args` go to each `bench.serve_bot` (e.g. `--cprofile FILE`)."""
    async with AsyncExitStack() as stack:
        if setup == "echo":
            commands: list[tuple[list[str], dict[str, str]]] = [(["bench.echo_baseline"], {})]
        else:
            database_url = await stack.enter_async_context(database_for(setup, folder, postgres_url))
            replicas = 2 if setup.endswith("-2") else 1
            commands = [
                (
                    ["bench.serve_bot", *serve_args],
                    bot_env(database_url, folder / f"{setup}-replica-{n}", faq_dir),
                )
                for n in range(replicas)
            ]
        started: list[tuple[int, str]] = []
        for command, env in commands:
            # Replicas start one after the other: the second finds the schema migrated by the first.
            process, base_url = await start_bot(command, env)
            stack.push_async_callback(stop_bot, process)
            started.append((process.pid, base_url + "/api/messages"))
        yield started


async def main_async(args: argparse.Namespace) -> list[Row]:
    texts = answered_questions(args.faq_dir)
    print(f"{len(texts)} questions the knowledge base answers; setups: {', '.join(args.only)}", flush=True)
    sink = CardCountingSink()
    rows: list[Row] = []
    print(HEADER, flush=True)
    async with sink.serving() as service_url:
        with tempfile.TemporaryDirectory(prefix="nwow-bench-") as scratch:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
                for _round in range(args.repeat):
                    for setup in args.only:
                        async with bots(setup, Path(scratch), args.postgres_url, args.faq_dir) as started:
                            pids = [pid for pid, _ in started]
                            urls = [url for _, url in started]
                            for users in args.concurrency:
                                row = await drive(
                                    session,
                                    urls,
                                    service_url,
                                    sink,
                                    users,
                                    args.duration,
                                    args.warmup,
                                    texts,
                                    pids,
                                    setup,
                                )
                                rows.append(row)
                                print(row.markdown(), flush=True)
    return rows


def medians(rows: Sequence[Row]) -> list[Row]:
    """Per (setup, users), the round with the median messages/s (a real row, so its columns agree)."""
    groups: dict[tuple[str, int], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.setup, row.users), []).append(row)
    chosen = []
    for group in groups.values():
        ordered = sorted(group, key=lambda r: r.messages_per_s)
        chosen.append(ordered[(len(ordered) - 1) // 2])
    return chosen


def summary(rows: Sequence[Row]) -> list[str]:
    """The issue-8 comparisons: bot vs echo at each level, per setup."""
    echo = {row.users: row for row in rows if row.setup == "echo"}
    lines = []
    for row in rows:
        if row.setup == "echo" or row.users not in echo or not echo[row.users].messages_per_s:
            continue
        ratio = row.messages_per_s / echo[row.users].messages_per_s
        lines.append(
            f"{row.setup} @ {row.users} users: {row.messages_per_s:.0f} msg/s = {ratio:.1f}x the echo bot "
            f"({echo[row.users].messages_per_s:.0f} msg/s)"
        )
    return lines


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-d", "--duration", type=float, default=15.0, help="measured seconds per level (15)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each level (2)")
    parser.add_argument(
        "-c",
        "--concurrency",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[1, 32],
        help="comma-separated concurrent conversations (default 1,32)",
    )
    parser.add_argument(
        "--only",
        type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
        default=list(SETUPS),
        help=f"comma-separated setups among {', '.join(SETUPS)} (default: all)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("NWOW_TEST_POSTGRES_URL", ""),
        help="PostgreSQL server for the postgres setups (default $NWOW_TEST_POSTGRES_URL)",
    )
    parser.add_argument(
        "--faq-dir", type=Path, default=default_faq_dir(), help="knowledge base (shipped faq/)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds over all setups; the median round is summarised (1)"
    )
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    args = parser.parse_args(argv)
    unknown = [s for s in args.only if s not in SETUPS]
    if unknown:
        parser.error(f"unknown setup(s) {unknown}; choose among {', '.join(SETUPS)}")
    if not args.postgres_url:
        skipped = [s for s in args.only if s.startswith("postgres")]
        if skipped:
            print(f"no --postgres-url: skipping {', '.join(skipped)}", file=sys.stderr)
        args.only = [s for s in args.only if not s.startswith("postgres")]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rows = asyncio.run(main_async(args))
    chosen = medians(rows)
    if args.repeat > 1:
        print(f"\nmedian of {args.repeat} rounds (by msg/s):\n{HEADER}")
        for row in chosen:
            print(row.markdown())
    print()
    for line in summary(chosen):
        print(line)
    if args.json:
        args.json.write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n", encoding="utf-8")
    return 0 if all(row.errors == 0 and row.messages > 0 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
