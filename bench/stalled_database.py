"""What the bot answers while its PostgreSQL stalls (TCP open, nothing answers), and how fast; prints figures.

    .venv/bin/python -m bench.stalled_database --postgres-url postgresql://postgres@127.0.0.1:5432/postgres

The real app (`create_app`, development mode) on a fresh database reached through the test harness's
stalling TCP proxy (tests/harness/stall_proxy.py), replies going to a loopback connector. Measured, each
`--samples` times: `/readyz` and a question while the database answers; `/readyz` and a question while it
stalls; a question whose database stalls right after its activity was claimed (the turn then fails and the
user gets the polite message); after the stall, how long until `/readyz` says 200 again. Nothing asserts a
time; `NWOW_DB_TIMEOUT_SECONDS` (default 3) sets the database deadlines.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from aiohttp import web

from bench.loadgen import ReplySink, activity
from bot.app import RUNTIME, create_app
from bot.settings import Settings
from tests.harness.postgres import admin
from tests.harness.stall_proxy import StallingProxy, proxied_url, upstream_of


async def _timed_get(http: aiohttp.ClientSession, url: str) -> tuple[int, float]:
    started = time.perf_counter()
    async with http.get(url) as response:
        await response.read()
        return response.status, time.perf_counter() - started


async def _timed_post(http: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> tuple[int, float]:
    started = time.perf_counter()
    async with http.post(url, json=body) as response:
        await response.read()
        return response.status, time.perf_counter() - started


async def _until_ready(http: aiohttp.ClientSession, base: str) -> float:
    """Probe /readyz every 0.1 s (like a load balancer, faster) until 200; the seconds it took."""
    started = time.perf_counter()
    for _ in range(600):
        if (await _timed_get(http, base + "/readyz"))[0] == 200:
            break
        await asyncio.sleep(0.1)
    return time.perf_counter() - started


def _row(what: str, samples: list[tuple[int, float]]) -> str:
    statuses = ", ".join(sorted({str(status) for status, _ in samples}))
    seconds = [took for _, took in samples]
    return (
        f"| {what} | {statuses} | {statistics.median(seconds):.2f} | {min(seconds):.2f} | "
        f"{max(seconds):.2f} | {len(samples)} |"
    )


async def run(postgres_url: str, samples: int) -> list[str]:
    name = f"nwow_bench_{secrets.token_hex(6)}"
    await admin(postgres_url, f'CREATE DATABASE "{name}"')
    database_url = urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
    proxy = await StallingProxy(*upstream_of(database_url)).start()
    sink = ReplySink()
    rows: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings.from_env(
                dev_mode=True, data_dir=Path(folder), database_url=proxied_url(database_url, proxy.port)
            )
            async with sink.serving() as service_url, aiohttp.ClientSession() as http:
                app = create_app(settings)
                runner = web.AppRunner(app, access_log=None)
                await runner.setup()
                site = web.TCPSite(runner, "127.0.0.1", 0)
                await site.start()
                base = f"http://127.0.0.1:{runner.addresses[0][1]}"
                sequence = iter(range(1_000_000))

                def question() -> dict[str, Any]:
                    return activity(service_url, "stall", 1, next(sequence), "what is mfa")

                async def probes(count: int) -> list[tuple[int, float]]:
                    return [await _timed_get(http, base + "/readyz") for _ in range(count)]

                async def questions(count: int) -> list[tuple[int, float]]:
                    return [await _timed_post(http, base + "/api/messages", question()) for _ in range(count)]

                try:
                    rows.append(_row("/readyz, database answering", await probes(samples)))
                    rows.append(_row("question, database answering", await questions(samples)))
                    proxy.stall()
                    rows.append(_row("/readyz, database stalled (first probe)", await probes(1)))
                    rows.append(_row("/readyz, database stalled (next probes)", await probes(samples)))
                    rows.append(
                        _row("question, database stalled (503 + Retry-After)", await questions(samples))
                    )
                    proxy.resume()
                    recovered = await _until_ready(http, base)
                    rows.append(f"| /readyz 200 again after the stall ends | 200 | {recovered:.2f} | | | 1 |")

                    dedupe = app[RUNTIME].dedupe
                    claim = dedupe.seen_before

                    async def claim_then_stall(conversation_id: str, activity_id: str) -> bool:
                        seen = await claim(conversation_id, activity_id)
                        proxy.stall()
                        return seen

                    dedupe.seen_before = claim_then_stall  # type: ignore[method-assign]
                    mid_turn = []
                    for _ in range(samples):
                        replies = sink.replies
                        mid_turn.append(await _timed_post(http, base + "/api/messages", question()))
                        proxy.resume()
                        if sink.replies == replies:
                            print("warning: no polite message was sent", file=sys.stderr)
                        await _until_ready(http, base)
                    dedupe.seen_before = claim  # type: ignore[method-assign]
                    rows.append(_row("question, database stalls after the claim (polite message)", mid_turn))
                finally:
                    proxy.resume()
                    await runner.cleanup()
    finally:
        await proxy.close()
        await admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres-url", required=True, help="a PostgreSQL server URL (a database is made)")
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args(argv)
    rows = asyncio.run(run(args.postgres_url, args.samples))
    print("| what | status | median s | min s | max s | samples |\n|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
