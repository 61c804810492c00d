"""Profile the bot under load: where a turn's CPU goes (cProfile in the bot process), top functions.

    .venv/bin/python -m bench.profile_turn                    # SQLite, 32 conversations, 10 s
    .venv/bin/python -m bench.profile_turn --setup postgres --postgres-url postgresql://...
    .venv/bin/python -m bench.profile_turn --top 25 --sort cumulative --save turn.pstats

Starts `python -m bench.serve_bot --cprofile FILE` (the real app), drives it with bench/throughput.py's
load (FAQ questions answered with a card) after a warm-up, stops it with SIGTERM so the profile is
written, and prints the top functions by own time (tottime; --sort cumulative for inclusive time). The
profile covers the whole process life including start-up; the load dominates it. cProfile slows Python
code down, so messages/s here are not the benchmark's figures.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import pstats
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.throughput import (
    HEADER,
    CardCountingSink,
    answered_questions,
    bot_env,
    database_for,
    drive,
    start_bot,
    stop_bot,
)
from nwow.paths import default_faq_dir


async def run(args: argparse.Namespace, stats_path: Path, scratch: Path) -> str:
    texts = answered_questions(args.faq_dir)
    sink = CardCountingSink()
    runner = web.AppRunner(sink.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    service_url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with database_for(args.setup, scratch, args.postgres_url) as database_url:
            env = bot_env(database_url, scratch / "data", args.faq_dir)
            process, base_url = await start_bot(["bench.serve_bot", "--cprofile", str(stats_path)], env)
            try:
                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
                    row = await drive(
                        session,
                        [base_url + "/api/messages"],
                        service_url,
                        sink,
                        args.users,
                        args.duration,
                        args.warmup,
                        texts,
                        [process.pid],
                        f"{args.setup} (profiled)",
                    )
            finally:
                await stop_bot(process)
    finally:
        await runner.cleanup()
    return row.markdown()


def per_turn(stats_path: Path) -> str:
    """Profiled time inside the /api/messages handler per FAQ answer (both counted over the whole run).

    A coroutine's cumulative time counts only while it runs, so this is time on the CPU (slowed down by
    the profiler), not latency.
    """
    stats = pstats.Stats(str(stats_path)).stats  # type: ignore[attr-defined]

    def find(path_end: str, name: str) -> tuple[int, float]:
        for (path, _line, function), (_cc, calls, _tt, cumulative, _callers) in stats.items():
            if path.endswith(path_end) and function == name:
                return int(calls), float(cumulative)
        return 0, 0.0

    answers, _ = find("bot/handler.py", "_answer_question")
    _, handling = find("bot/app.py", "_messages")
    if not answers:
        return "no FAQ answer in the profile"
    return f"profiled: {answers} FAQ answers, {1000 * handling / answers:.2f} ms in the request handler per answer"


def top_functions(stats_path: Path, top: int, sort: str) -> str:
    out = io.StringIO()
    stats = pstats.Stats(str(stats_path), stream=out)
    stats.sort_stats(sort).print_stats(top)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=os.environ.get("NWOW_TEST_POSTGRES_URL", ""))
    parser.add_argument("-u", "--users", type=int, default=32, help="concurrent conversations (32)")
    parser.add_argument("-d", "--duration", type=float, default=10.0, help="profiled seconds of load (10)")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--top", type=int, default=10, help="how many functions to print (10)")
    parser.add_argument("--sort", choices=("tottime", "cumulative"), default="tottime")
    parser.add_argument("--save", type=Path, help="keep the .pstats file here")
    parser.add_argument("--faq-dir", type=Path, default=default_faq_dir())
    args = parser.parse_args(argv)
    if args.setup == "postgres" and not args.postgres_url:
        parser.error("--setup postgres needs --postgres-url (or NWOW_TEST_POSTGRES_URL)")
    with tempfile.TemporaryDirectory(prefix="nwow-profile-") as scratch:
        stats_path = args.save or Path(scratch) / "turn.pstats"
        row = asyncio.run(run(args, stats_path, Path(scratch)))
        print(HEADER)
        print(row)
        print(per_turn(stats_path))
        print(top_functions(stats_path, args.top, args.sort))
    return 0


if __name__ == "__main__":
    sys.exit(main())
