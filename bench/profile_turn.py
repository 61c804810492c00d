"""Profile the bot under load: where a turn's CPU goes (cProfile in the bot process), top functions.

    .venv/bin/python -m bench.profile_turn                    # SQLite, 32 conversations, 10 s
    .venv/bin/python -m bench.profile_turn --setup postgres --postgres-url postgresql://...
    .venv/bin/python -m bench.profile_turn --top 25 --sort cumulative --save turn.pstats
    .venv/bin/python -m bench.profile_turn --sampler py-spy --top 25     # sampling, barely slowed down

Starts `python -m bench.serve_bot --cprofile FILE` (the real app), drives it with bench/throughput.py's
load (FAQ questions answered with a card) after a warm-up, stops it with SIGTERM so the profile is
written, and prints the top functions by own time (tottime; --sort cumulative for inclusive time). The
profile covers the whole process life including start-up; the load dominates it. cProfile slows Python
code down (deep call chains most), so messages/s here are not the benchmark's figures.

With `--sampler py-spy` (pip install py-spy) the bot runs unprofiled and `py-spy record` samples it
100 times a second during the load, counting only samples where a thread holds the GIL: the shares
it prints are shares of the bot's Python CPU time, with the run at close to the benchmark's speed. "own" counts samples where the function was
running, "incl." samples where it was anywhere on the stack.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import pstats
import re
import shutil
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import aiohttp

from bench.throughput import HEADER, CardCountingSink, Row, answered_questions, bots, drive
from nwow.paths import default_faq_dir


async def _sample_with_py_spy(pid: int, raw_path: Path) -> asyncio.subprocess.Process:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    return await asyncio.create_subprocess_exec(
        py_spy, "record", "--pid", str(pid), "--rate", "100", "--gil", "--format", "raw", "--output", str(raw_path),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def _stop_sampler(sampler: asyncio.subprocess.Process) -> None:
    """SIGINT makes py-spy write its output and exit."""
    if sampler.returncode is None:
        sampler.send_signal(signal.SIGINT)
    async with asyncio.timeout(60):
        _, err = await sampler.communicate()
    if sampler.returncode not in (0, -signal.SIGINT):
        raise RuntimeError(f"py-spy failed ({sampler.returncode}): {err.decode(errors='replace')[-500:]}")


_LINE = re.compile(r":\d+\)$")
# Frames under every sample (the event loop, the entry point): left out of the inclusive table.
_PLUMBING = ("asyncio/", "<frozen runpy>", "bench/serve_bot.py")


def sampled_top(raw_path: Path, top: int) -> str:
    """The top functions in py-spy's raw (collapsed stacks) output, by own and by inclusive samples."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw_path.read_text(encoding="utf-8").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame.strip() for frame in stack.split(";") if frame.strip()]
        # "function (path:line)" -> "function (path)": a function's lines counted together.
        frames = [_LINE.sub(")", f) for f in frames if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            if not any(part in frame for part in _PLUMBING):
                inclusive[frame] += count
    if not total:
        return "py-spy recorded no samples"

    def table(counter: Counter[str], title: str) -> list[str]:
        rows = [f"| {title} | samples | share |", "|---|---|---|"]
        rows += [f"| `{frame}` | {n} | {100 * n / total:.1f}% |" for frame, n in counter.most_common(top)]
        return rows

    lines = [f"{total} samples of the bot's CPU (py-spy, 100 Hz, GIL held)", ""]
    lines += table(own, "own time")
    lines += ["", *table(inclusive, "inclusive time (event loop and entry point left out)")]
    return "\n".join(lines)


async def run(
    args: argparse.Namespace, scratch: Path, *, cprofile_to: Path | None = None, py_spy_to: Path | None = None
) -> str:
    """One bot process under the benchmark's load; profiled from inside (cProfile, the whole process life)
    or sampled from outside (py-spy, the measured run only, after an unsampled warm-up)."""
    texts = answered_questions(args.faq_dir)
    sink = CardCountingSink()
    serve_args = ["--cprofile", str(cprofile_to)] if cprofile_to is not None else []
    async with (
        sink.serving() as service_url,
        bots(args.setup, scratch, args.postgres_url, args.faq_dir, serve_args) as started,
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session,
    ):
        [(pid, url)] = started

        async def load(duration: float, warmup: float, label: str) -> Row:
            return await drive(
                session, [url], service_url, sink, args.users, duration, warmup, texts, [pid], label
            )

        if py_spy_to is None:
            row = await load(args.duration, args.warmup, f"{args.setup} (profiled)")
        else:
            await load(args.warmup, 0.0, "warm-up")
            sampler = await _sample_with_py_spy(pid, py_spy_to)
            try:
                row = await load(args.duration, 0.0, f"{args.setup} (sampled)")
            finally:
                await _stop_sampler(sampler)
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

    answers, _ = find("bot/conversation/handler.py", "_answer_question")
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
    parser.add_argument(
        "--sampler",
        choices=("cprofile", "py-spy"),
        default="cprofile",
        help="cProfile in the bot (default), or py-spy sampling from outside",
    )
    args = parser.parse_args(argv)
    if args.setup == "postgres" and not args.postgres_url:
        parser.error("--setup postgres needs --postgres-url (or NWOW_TEST_POSTGRES_URL)")
    with tempfile.TemporaryDirectory(prefix="nwow-profile-") as scratch:
        if args.sampler == "py-spy":
            raw_path = args.save or Path(scratch) / "turn.raw.txt"
            row = asyncio.run(run(args, Path(scratch), py_spy_to=raw_path))
            print(HEADER)
            print(row)
            print(sampled_top(raw_path, args.top))
            return 0
        stats_path = args.save or Path(scratch) / "turn.pstats"
        row = asyncio.run(run(args, Path(scratch), cprofile_to=stats_path))
        print(HEADER)
        print(row)
        print(per_turn(stats_path))
        print(top_functions(stats_path, args.top, args.sort))
    return 0


if __name__ == "__main__":
    sys.exit(main())
