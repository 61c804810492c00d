"""Soak: the real bot at a fixed message rate for a minute, zero errors expected, memory sampled over time.

    .venv/bin/python -m bench.soak                          # 100 msg/s for 60 s, SQLite
    .venv/bin/python -m bench.soak --rate 150 --duration 120 --setup postgres --postgres-url postgresql://...

Open loop: message k is sent at start + k / rate whatever the bot's speed (so a slow bot builds a backlog
instead of slowing the generator down), spread over `--conversations` conversations, FAQ questions
answered with a card (bench/throughput.py's set). The bot's resident memory (VmRSS) is sampled every
`--sample` seconds. Reported: messages sent, errors (non-2xx or connection failure), replies received,
latency p50/p95/p99, RSS at start/end/max, and the RSS growth over the second half of the run (the part
after caches have warmed), which should be about zero. The exit status is 1 on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bench.loadgen import activity, percentile
from bench.throughput import CardCountingSink, answered_questions, bots
from nwow.paths import default_faq_dir


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@dataclass
class SoakResult:
    rate: float
    duration_s: float
    sent: int
    errors: int
    replies: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rss_start_mb: float
    rss_end_mb: float
    rss_max_mb: float
    rss_second_half_growth_mb: float
    samples: list[tuple[float, float]]

    def report(self) -> str:
        lines = [
            f"rate {self.rate:.0f} msg/s for {self.duration_s:.0f} s: sent {self.sent}, errors {self.errors}, "
            f"replies {self.replies}",
            f"latency p50 {self.p50_ms:.2f} ms, p95 {self.p95_ms:.2f} ms, p99 {self.p99_ms:.2f} ms",
            f"RSS start {self.rss_start_mb:.1f} MB, end {self.rss_end_mb:.1f} MB, max {self.rss_max_mb:.1f} MB, "
            f"growth over the second half {self.rss_second_half_growth_mb:+.1f} MB",
            "RSS over time (s: MB): "
            + ", ".join(f"{t:.0f}: {mb:.1f}" for t, mb in self.samples[:: max(1, len(self.samples) // 12)]),
        ]
        return "\n".join(lines)


async def soak(
    url: str,
    service_url: str,
    sink: CardCountingSink,
    pid: int,
    *,
    rate: float,
    duration: float,
    conversations: int,
    sample_every: float,
    texts: Sequence[str],
) -> SoakResult:
    run_id = f"soak-{time.time_ns()}"
    latencies: list[float] = []
    errors = 0
    samples: list[tuple[float, float]] = []
    sequence = [0] * conversations
    in_flight: set[asyncio.Task[None]] = set()

    async def send(session: aiohttp.ClientSession, number: int) -> None:
        nonlocal errors
        step = sequence[number]
        sequence[number] += 1
        body = json.dumps(
            activity(service_url, run_id, number, step, texts[(number * 7 + step) % len(texts)])
        ).encode()
        started = time.perf_counter()
        try:
            async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as response:
                await response.read()
                ok = response.status < 300
        except (aiohttp.ClientError, TimeoutError):
            ok = False
        if ok:
            latencies.append(time.perf_counter() - started)
        else:
            errors += 1

    async def sampler(started: float) -> None:
        while True:
            mb = rss_mb(pid)
            if mb is not None:
                samples.append((time.perf_counter() - started, mb))
            await asyncio.sleep(sample_every)

    replies_before = sink.replies
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout) as session:
        started = time.perf_counter()
        sampling = asyncio.create_task(sampler(started))
        total = int(rate * duration)
        for k in range(total):
            delay = started + k / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(send(session, k % conversations))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        if in_flight:
            await asyncio.wait(in_flight, timeout=30)
        elapsed = time.perf_counter() - started
        sampling.cancel()
        final = rss_mb(pid)
        if final is not None:
            samples.append((elapsed, final))

    ordered = sorted(latencies)
    second_half = [mb for t, mb in samples if t >= elapsed / 2]
    return SoakResult(
        rate=rate,
        duration_s=elapsed,
        sent=int(rate * duration),
        errors=errors + len(in_flight),
        replies=sink.replies - replies_before,
        p50_ms=1000 * percentile(ordered, 0.50),
        p95_ms=1000 * percentile(ordered, 0.95),
        p99_ms=1000 * percentile(ordered, 0.99),
        rss_start_mb=samples[0][1] if samples else float("nan"),
        rss_end_mb=samples[-1][1] if samples else float("nan"),
        rss_max_mb=max((mb for _, mb in samples), default=float("nan")),
        rss_second_half_growth_mb=(second_half[-1] - second_half[0]) if len(second_half) > 1 else 0.0,
        samples=samples,
    )


async def main_async(args: argparse.Namespace) -> SoakResult:
    texts = answered_questions(args.faq_dir)
    sink = CardCountingSink()
    async with sink.serving() as service_url:
        with tempfile.TemporaryDirectory(prefix="nwow-soak-") as scratch:
            async with bots(args.setup, Path(scratch), args.postgres_url, args.faq_dir) as started:
                [(pid, url)] = started
                return await soak(
                    url,
                    service_url,
                    sink,
                    pid,
                    rate=args.rate,
                    duration=args.duration,
                    conversations=args.conversations,
                    sample_every=args.sample,
                    texts=texts,
                )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=100.0, help="messages per second (100)")
    parser.add_argument("-d", "--duration", type=float, default=60.0, help="seconds (60)")
    parser.add_argument(
        "--conversations", type=int, default=64, help="conversations the messages rotate over"
    )
    parser.add_argument("--sample", type=float, default=1.0, help="seconds between RSS samples (1)")
    parser.add_argument("--setup", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", default=os.environ.get("NWOW_TEST_POSTGRES_URL", ""))
    parser.add_argument("--faq-dir", type=Path, default=default_faq_dir())
    parser.add_argument("--json", type=Path, help="also write the result as JSON to this file")
    args = parser.parse_args(argv)
    if args.setup == "postgres" and not args.postgres_url:
        parser.error("--setup postgres needs --postgres-url (or NWOW_TEST_POSTGRES_URL)")
    result = asyncio.run(main_async(args))
    print(result.report())
    if args.json:
        args.json.write_text(json.dumps(result.__dict__, indent=2) + "\n", encoding="utf-8")
    return 0 if result.errors == 0 and result.sent > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
