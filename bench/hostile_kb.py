"""What a hostile knowledge-base file costs: `nwow faq check` on it, and a running bot reloading it.

    .venv/bin/python -m bench.hostile_kb [--entries 7500] [--shared 700]

The file is an entry file of about 500 KB that uses YAML aliases: every one of `--entries` entries points
at one shared list of `--shared` aliases to an unknown link key, so a validator that follows aliases meets
entries x shared problems. Prints, for `nwow faq check` in a child process: wall time, peak RSS, lines
printed; for a knowledge base reloading that file in this process: the longest stall of the event loop
(a 10 ms ticker), log lines and bytes written, and the growth of this process's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nwow.faq.holder import KnowledgeBaseHolder
from nwow.paths import default_faq_dir


def alias_bomb(entries: int, shared: int) -> str:
    """An entry file whose entries all share, by alias, one list of `shared` aliases to one scalar."""
    lines = [
        "topic: bomb",
        "shared:",
        "  - &s nope",
        "  - &l [" + ", ".join(["*s"] * shared) + "]",
        "  - &n {questions: [Vraag], answer: Antwoord}",
        "entries:",
    ]
    lines.extend(
        f"  - {{id: e{i}, owner: o, reviewed: 2026-01-01, links: *l, nl: *n}}" for i in range(entries)
    )
    return "\n".join(lines) + "\n"


def check_in_child(folder: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, lines printed) of `nwow faq check folder` in its own process."""
    nwow = Path(sys.executable).with_name("nwow")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(nwow), "faq", "check", str(folder)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert process.stdout is not None
    lines = sum(1 for _ in process.stdout)
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0  # reaped by wait4
    return time.perf_counter() - started, usage.ru_maxrss / 1024, lines


class _Counting(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines = 0
        self.bytes = 0

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        self.lines += text.count("\n") + 1
        self.bytes += len(text.encode()) + 1


async def reload_in_process(good: Path, bomb: str) -> tuple[float, int, int, float]:
    """(longest loop stall in s, log lines, log bytes, peak-RSS growth in MB) of reloading the bomb."""
    holder = KnowledgeBaseHolder(good, poll_seconds=0)
    await holder.start()
    handler = _Counting()
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    stall = 0.0
    stop = asyncio.Event()

    async def ticker() -> None:
        nonlocal stall
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            stall = max(stall, now - last - 0.01)
            last = now

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    (good / "entries" / "bomb.yml").write_text(bomb, encoding="utf-8")
    tick = asyncio.create_task(ticker())
    try:
        await holder.reload()
    finally:
        stop.set()
        await tick
        root.removeHandler(handler)
        await holder.stop()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    return stall, handler.lines, handler.bytes, rss_growth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=7500)
    parser.add_argument("--shared", type=int, default=700)
    parser.add_argument("--skip-reload", action="store_true", help="only run `nwow faq check`")
    args = parser.parse_args()
    bomb = alias_bomb(args.entries, args.shared)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bomb"
        (folder / "entries").mkdir(parents=True)
        (folder / "entries" / "bomb.yml").write_text(bomb, encoding="utf-8")
        print(f"file: {len(bomb.encode()) / 1024:.0f} KB, {args.entries} entries x {args.shared} aliases")
        seconds, rss, lines = check_in_child(folder)
        print(f"nwow faq check: {seconds:.1f} s, peak RSS {rss:.0f} MB, {lines} lines printed")
        if not args.skip_reload:
            good = Path(tmp) / "faq"
            shutil.copytree(default_faq_dir(), good)
            stall, log_lines, log_bytes, growth = asyncio.run(reload_in_process(good, bomb))
            print(
                f"bot reload: longest event-loop stall {stall:.2f} s, {log_lines} log lines "
                f"({log_bytes / 1e6:.1f} MB), peak RSS +{growth:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
