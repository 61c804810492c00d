"""Hostile messages against the real bot: what one adversarial 28 KB message costs the event loop.

    .venv/bin/python -m bench.hostile_turns                  # every kind, 5 messages each
    .venv/bin/python -m bench.hostile_turns --kinds giant-word,at-tags -n 3 --json out.json

Serves the real bot (`bench.serve_bot`: `create_app`, development mode, SQLite in a temporary folder, JSON
logs at WARNING) and a loopback Bot Connector in this process (`bench.loadgen.ReplySink`). For each kind of
message, two phases:

1. Cost: the messages are sent one at a time (each POST waits for the bot's answer, which comes after the
   turn, replies included). Per message: the CPU time of the bot's main thread, which runs the event loop
   (`/proc/<pid>/task/<pid>/schedstat`, nanoseconds; SQLite's worker thread is not counted), and the bot's
   own request-handler time (wall clock, awaits included: the `nwow_turn_latency_seconds` histogram sum of
   /metrics, read before and after).
2. Liveness: a prober GETs /healthz back to back on one keep-alive connection while the same messages
   arrive (`--rate` per second); the /healthz latencies are those of the bot's event loop as seen from
   outside (a blocked loop answers late). The quiet row is the prober alone.

Targets (issue 12): worst-case turn < 50 ms of event-loop time, /healthz p99 < 20 ms while such messages
arrive. Figures move with the machine's other load: run it with the machine otherwise quiet.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import string
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bench.loadgen import ReplySink, activity, percentile, read_listening, stop_process

TEXT_BYTES = 28_000  # Teams caps a message at about 28 KB


def _random_letters(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(count))


def _fill(rng: random.Random, make: Callable[[random.Random], str], limit: int = TEXT_BYTES) -> str:
    parts: list[str] = []
    size = 0
    while size < limit:
        part = make(rng)
        parts.append(part)
        size += len(part.encode()) + 1
    return _clip_bytes(" ".join(parts), limit)


def _clip_bytes(text: str, limit: int) -> str:
    return text.encode()[:limit].decode("utf-8", "ignore")


# Combining marks of different canonical classes (230, 220, 202, 240, 10, ...): normalisation must reorder
# them, which is quadratic in the length of the run.
_COMBINING = "\u0301\u0316\u0327\u0328\u05b0\u0591\u0300\u0323\u031b\u0334\u0338\u093c\u20d0"


def _giant_word(rng: random.Random) -> str:
    return _random_letters(rng, TEXT_BYTES)


def _at_tags(rng: random.Random) -> str:
    return _random_letters(rng, 4) + "<at>" * (TEXT_BYTES // 4 - 1)


def _at_tags_20000(rng: random.Random) -> str:
    # 80 KB: the issue's case, above Teams' limit but under the body limit
    return _random_letters(rng, 4) + "<at>" * 20_000


def _random_words(rng: random.Random) -> str:
    return _fill(rng, lambda r: _random_letters(r, r.randint(1, 4)))


def _deep_unicode(rng: random.Random) -> str:
    # one base letter and a single run of combining marks (Zalgo text), the worst case of normalisation
    return _clip_bytes("a" + "".join(rng.choice(_COMBINING) for _ in range(TEXT_BYTES)), TEXT_BYTES)


def _compound(rng: random.Random) -> str:
    syllables = ["thuis", "werk", "vergoed", "ing", "laptop", "wacht", "woord", "satelliet", "kantoor", "ver"]
    return _clip_bytes("".join(rng.choice(syllables) for _ in range(TEXT_BYTES // 4)), TEXT_BYTES)


def _office_question(rng: random.Random) -> str:
    words = ["Gent", "Brugge", "bij", "in", "satellietkantoor", "Sint", "Jans", "Molenbeek", "near", "de"]
    return _fill(rng, lambda r: r.choice(words))


def _mixed(rng: random.Random) -> str:
    question = "<at>NWOW</at> waar is het dichtstbijzijnde satellietkantoor "
    chunks = [
        "<at>" * 500,
        "&amp;&lt;" * 300,
        _random_letters(rng, 3000),
        " ".join(_random_letters(rng, rng.randint(1, 3)) for _ in range(1500)),
        "é" + "".join(rng.choice(_COMBINING) for _ in range(2000)),
        "\U0001f469\u200d\U0001f4bb" * 300,
        "</at" * 500,
    ]
    rng.shuffle(chunks)
    return _clip_bytes(question + "".join(chunks) * 4, TEXT_BYTES)


KINDS: dict[str, Callable[[random.Random], str]] = {
    "question": lambda r: f"Hoe vraag ik een vergoeding voor thuiswerk aan? {r.randint(1, 999)}",
    "giant-word": _giant_word,
    "at-tags": _at_tags,
    "at-tags-20000": _at_tags_20000,
    "random-words": _random_words,
    "deep-unicode": _deep_unicode,
    "compound": _compound,
    "office-question": _office_question,
    "mixed": _mixed,
}


@dataclass
class Row:
    kind: str
    text_bytes: int
    messages: int
    statuses: str
    cpu_ms_median: float
    cpu_ms_max: float
    handler_ms_median: float
    handler_ms_max: float
    healthz_probes: int
    healthz_p50_ms: float
    healthz_p99_ms: float
    healthz_max_ms: float

    def line(self) -> str:
        return (
            f"| {self.kind} | {self.text_bytes} | {self.messages} | {self.statuses} | "
            f"{self.cpu_ms_median:.1f} / {self.cpu_ms_max:.1f} | "
            f"{self.handler_ms_median:.1f} / {self.handler_ms_max:.1f} | {self.healthz_probes} | "
            f"{self.healthz_p50_ms:.2f} | {self.healthz_p99_ms:.2f} | {self.healthz_max_ms:.1f} |"
        )


HEADER = (
    "| kind | bytes | msgs | HTTP | loop CPU ms per turn (median / max) | handler ms (median / max) | "
    "/healthz probes | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|---|---|"
)


def loop_thread_seconds(pid: int) -> float:
    """CPU seconds of the process's main thread (the event loop), from the scheduler's own account."""
    return int(Path(f"/proc/{pid}/task/{pid}/schedstat").read_text(encoding="ascii").split()[0]) / 1e9


_TURN_SUM = re.compile(r"^nwow_turn_latency_seconds_sum (\S+)$", re.MULTILINE)


async def _handler_seconds(session: aiohttp.ClientSession, base: str) -> float:
    async with session.get(base + "/metrics") as response:
        found = _TURN_SUM.search(await response.text())
    return float(found.group(1)) if found else 0.0


class Prober:
    """GET /healthz back to back on one connection, recording each latency, until stopped."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.latencies: list[float] = []
        self._stop = asyncio.Event()

    async def run(self) -> None:
        connector = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(connector=connector) as session:
            while not self._stop.is_set():
                started = time.perf_counter()
                async with session.get(self.base + "/healthz") as response:
                    await response.read()
                self.latencies.append(time.perf_counter() - started)
                await asyncio.sleep(0.002)

    def stop(self) -> None:
        self._stop.set()


async def _post(session: aiohttp.ClientSession, url: str, body: dict[str, Any], within: float) -> int:
    try:
        async with session.post(url, json=body, timeout=aiohttp.ClientTimeout(total=within)) as response:
            await response.read()
            return response.status
    except TimeoutError:
        return 0


async def measure_kind(
    kind: str,
    texts: Sequence[str],
    *,
    base: str,
    service_url: str,
    pid: int,
    messages: int,
    rate: float,
    within: float,
) -> Row:
    url = base + "/api/messages"
    run = f"{kind}-{time.time_ns()}"
    statuses: list[int] = []
    cpu: list[float] = []
    handler: list[float] = []
    async with aiohttp.ClientSession() as session:
        for n in range(messages):
            body = activity(service_url, run, n, 0, texts[n])
            before_handler = await _handler_seconds(session, base)
            before_cpu = loop_thread_seconds(pid)
            statuses.append(await _post(session, url, body, within))
            after_cpu = loop_thread_seconds(pid)
            after_handler = await _handler_seconds(session, base)
            cpu.append(1000 * (after_cpu - before_cpu))
            handler.append(1000 * (after_handler - before_handler))

        prober = Prober(base)
        probing = asyncio.create_task(prober.run())
        await asyncio.sleep(0.3)
        sends = []
        for n in range(messages):
            body = activity(service_url, run + "-live", n, 0, texts[messages + n])
            sends.append(asyncio.create_task(_post(session, url, body, within)))
            await asyncio.sleep(1 / rate)
        statuses += await asyncio.gather(*sends)
        await asyncio.sleep(0.3)
        prober.stop()
        await probing
    probes = sorted(prober.latencies)
    return Row(
        kind=kind,
        text_bytes=max(len(text.encode()) for text in texts),
        messages=messages,
        statuses=",".join(f"{s}x{statuses.count(s)}" for s in sorted(set(statuses))),
        cpu_ms_median=statistics.median(cpu),
        cpu_ms_max=max(cpu),
        handler_ms_median=statistics.median(handler),
        handler_ms_max=max(handler),
        healthz_probes=len(probes),
        healthz_p50_ms=1000 * percentile(probes, 0.50),
        healthz_p99_ms=1000 * percentile(probes, 0.99),
        healthz_max_ms=1000 * max(probes, default=float("nan")),
    )


async def quiet_row(base: str, seconds: float = 2.0) -> Row:
    prober = Prober(base)
    probing = asyncio.create_task(prober.run())
    await asyncio.sleep(seconds)
    prober.stop()
    await probing
    probes = sorted(prober.latencies)
    nan = float("nan")
    return Row(
        "(no messages)", 0, 0, "-", nan, nan, nan, nan,
        len(probes), 1000 * percentile(probes, 0.5), 1000 * percentile(probes, 0.99), 1000 * max(probes),
    )  # fmt: skip


async def main_async(args: argparse.Namespace) -> list[Row]:
    rng = random.Random(args.seed)
    # distinct texts per message (no cache of an earlier identical message can help)
    texts = {kind: [KINDS[kind](rng) for _ in range(2 * args.messages)] for kind in args.kinds}
    rows: list[Row] = []
    sink = ReplySink()
    with tempfile.TemporaryDirectory(prefix="nwow-hostile-") as data:
        env = {**os.environ, "NWOW_DATA_DIR": data, "NWOW_LOG_FORMAT": "json", "NWOW_LOG_LEVEL": "WARNING"}
        env.pop("NWOW_DATABASE_URL", None)
        async with sink.serving() as service_url:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bench.serve_bot", stdout=asyncio.subprocess.PIPE, env=env
            )
            try:
                async with asyncio.timeout(120):
                    base = await read_listening(process, "bench.serve_bot")
                async with aiohttp.ClientSession() as session:  # warm-up: first turn builds caches
                    for n in range(3):
                        await _post(
                            session, base + "/api/messages", activity(service_url, "warm", n, 0, "hallo"), 60
                        )
                    await _post(
                        session,
                        base + "/api/messages",
                        activity(service_url, "warm", 9, 0, "satellietkantoor bij Gent"),
                        60,
                    )
                row = await quiet_row(base)
                rows.append(row)
                print(row.line(), flush=True)
                for kind, kind_texts in texts.items():
                    row = await measure_kind(
                        kind,
                        kind_texts,
                        base=base,
                        service_url=service_url,
                        pid=process.pid,
                        messages=args.messages,
                        rate=args.rate,
                        within=args.timeout,
                    )
                    rows.append(row)
                    print(row.line(), flush=True)
            finally:
                await stop_process(process, within_seconds=30)
    return rows


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--kinds",
        type=lambda s: s.split(","),
        default=list(KINDS),
        help=f"comma-separated kinds of message (default all: {','.join(KINDS)})",
    )
    parser.add_argument(
        "-n", "--messages", type=int, default=5, help="messages per kind and phase (default 5)"
    )
    parser.add_argument("--rate", type=float, default=5.0, help="messages per second in the liveness phase")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one answer")
    parser.add_argument("--seed", type=int, default=12, help="random seed of the generated texts")
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    unknown = [k for k in args.kinds if k not in KINDS]
    if unknown:
        parser.error(f"unknown kinds: {', '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(HEADER, flush=True)
    rows = asyncio.run(main_async(args))
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
