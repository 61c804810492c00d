"""Load generator: N concurrent conversations against a bot's /api/messages, replies to a loopback connector.

Each conversation is a closed loop: POST a message activity, wait for the HTTP answer, repeat, for `--duration`
seconds (after `--warmup`). The activities carry `serviceUrl` = a loopback fake Bot Connector run in this
process, which counts the replies. Reported per concurrency level: messages/s, latency p50/p95/p99 (POST
round trip, which for a Bot Framework bot includes sending the reply), replies received, errors, and the bot
process's CPU use when it was spawned here (or given with --pid), and the generator's own CPU use (near
100% means the generator, not the bot, is the limit).

    # the stock botbuilder echo bot, single user and 32 users, 15 s each
    .venv/bin/python -m bench.loadgen --spawn ".venv/bin/python -m bench.echo_baseline" -c 1,32
    # any running bot (development mode, so loopback serviceUrl and no token)
    .venv/bin/python -m bench.loadgen --url http://127.0.0.1:3978/api/messages -c 32 --texts faq.txt
    # start the real bot, load it once its port is open, stop it afterwards
    .venv/bin/python -m bench.loadgen --spawn "nwow serve --dev --port 3979" \\
        --url http://127.0.0.1:3979/api/messages --texts questions.txt

Without --url, a spawned command must print `LISTENING <base url>` on stdout once it accepts requests.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shlex
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class ReplySink:
    """The loopback Bot Connector: answers every send/reply with a resource id and counts them."""

    replies: int = 0
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    async def handle(self, request: web.Request) -> web.Response:
        await request.read()
        self.replies += 1
        return web.json_response({"id": f"r{next(self._ids)}"}, status=201)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self.handle)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", self.handle)
        app.router.add_put("/v3/conversations/{conversation_id}/activities/{activity_id}", self.handle)
        return app

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[str]:
        """Serve the sink on a free loopback port for the block; its base URL (the activities' serviceUrl)."""
        runner = web.AppRunner(self.app(), access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            yield f"http://127.0.0.1:{runner.addresses[0][1]}"
        finally:
            await runner.cleanup()


@dataclass
class Result:
    concurrency: int
    duration_s: float
    messages: int
    errors: int
    replies: int
    messages_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    bot_cpu_percent: float | None
    loadgen_cpu_percent: float

    def row(self) -> str:
        cpu = "-" if self.bot_cpu_percent is None else f"{self.bot_cpu_percent:.0f}%"
        return (
            f"| {self.concurrency} | {self.messages_per_s:.1f} | {self.p50_ms:.2f} | {self.p95_ms:.2f} | "
            f"{self.p99_ms:.2f} | {self.messages} | {self.replies} | {self.errors} | {cpu} | "
            f"{self.loadgen_cpu_percent:.0f}% |"
        )


TABLE_HEADER = (
    "| users | msg/s | p50 ms | p95 ms | p99 ms | messages | replies | errors | bot CPU | loadgen CPU |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process (Linux /proc), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def activity(service_url: str, run_id: str, conversation: int, sequence: int, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"{run_id}-{conversation}-{sequence}",
        "timestamp": "2026-11-23T12:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:load-user-{conversation}", "name": f"Load user {conversation}"},
        "conversation": {"id": f"a:load-conversation-{conversation}", "conversationType": "personal"},
        "recipient": {"id": "28:bot", "name": "bot"},
        "text": text,
        "locale": "en-US",
        "channelData": {"tenant": {"id": "load-tenant"}},
    }


@dataclass
class LoopSample:
    """What one closed-loop measurement saw: round-trip latencies (sorted), failures, measured seconds."""

    latencies: list[float]
    errors: int
    elapsed: float


async def closed_loop(
    session: aiohttp.ClientSession,
    urls: Sequence[str],
    service_url: str,
    users: int,
    duration: float,
    warmup: float,
    texts: Sequence[str],
    run_id: str,
    *,
    text_stride: int = 1,
    on_start: Callable[[], None] = lambda: None,
    on_end: Callable[[], None] = lambda: None,
) -> LoopSample:
    """`users` conversations, each POSTing its next message as soon as the previous one was answered.

    Message k of conversation n is text (n * text_stride + k) and goes to urls[(n + k) % len(urls)] (a
    load balancer without affinity when there are several). `on_start` / `on_end` run exactly when the
    measured window (after `warmup`) opens and closes, for the caller's own counters.
    """
    latencies: list[float] = []
    errors = 0
    measuring = False
    stop = False

    async def conversation(number: int) -> None:
        nonlocal errors
        for sequence in itertools.count():
            if stop:
                return
            text = texts[(number * text_stride + sequence) % len(texts)]
            body = json.dumps(activity(service_url, run_id, number, sequence, text)).encode()
            url = urls[(number + sequence) % len(urls)]
            started = time.perf_counter()
            try:
                async with session.post(
                    url, data=body, headers={"Content-Type": "application/json"}
                ) as response:
                    await response.read()
                    ok = response.status < 300
            except aiohttp.ClientError:
                ok = False
            elapsed = time.perf_counter() - started
            if measuring:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

    tasks = [asyncio.create_task(conversation(n)) for n in range(users)]
    await asyncio.sleep(warmup)
    measuring = True
    on_start()
    started = time.perf_counter()
    await asyncio.sleep(duration)
    measuring = False
    elapsed = time.perf_counter() - started
    on_end()
    stop = True
    await asyncio.gather(*tasks)
    return LoopSample(sorted(latencies), errors, elapsed)


async def run_level(
    session: aiohttp.ClientSession,
    url: str,
    service_url: str,
    sink: ReplySink,
    concurrency: int,
    duration: float,
    warmup: float,
    texts: Sequence[str],
    bot_pid: int | None,
    run_id: str,
) -> Result:
    marks: dict[str, Any] = {}

    def start() -> None:
        marks.update(
            replies=sink.replies, cpu=cpu_seconds(bot_pid) if bot_pid else None, own=time.process_time()
        )

    def end() -> None:
        marks.update(
            replies=sink.replies - marks["replies"],
            cpu_after=cpu_seconds(bot_pid) if bot_pid else None,
            own=time.process_time() - marks["own"],
        )

    sample = await closed_loop(
        session, [url], service_url, concurrency, duration, warmup, texts, run_id, on_start=start, on_end=end
    )
    elapsed, ordered = sample.elapsed, sample.latencies
    cpu = None
    if marks["cpu"] is not None and marks["cpu_after"] is not None:
        cpu = 100.0 * (marks["cpu_after"] - marks["cpu"]) / elapsed
    return Result(
        concurrency=concurrency,
        duration_s=round(elapsed, 2),
        messages=len(ordered),
        errors=sample.errors,
        replies=marks["replies"],
        messages_per_s=len(ordered) / elapsed,
        p50_ms=1000 * percentile(ordered, 0.50),
        p95_ms=1000 * percentile(ordered, 0.95),
        p99_ms=1000 * percentile(ordered, 0.99),
        bot_cpu_percent=cpu,
        loadgen_cpu_percent=100.0 * marks["own"] / elapsed,
    )


async def spawn(command: str, url: str | None) -> tuple[asyncio.subprocess.Process, str]:
    """Start the bot; its base URL from a `LISTENING <url>` line, or wait until `url` accepts connections."""
    process = await asyncio.create_subprocess_exec(
        *shlex.split(command), stdout=asyncio.subprocess.PIPE if url is None else asyncio.subprocess.DEVNULL
    )
    async with asyncio.timeout(60):
        if url is not None:
            parts = urlsplit(url)
            while True:
                if process.returncode is not None:
                    raise RuntimeError(f"{command!r} exited with {process.returncode}")
                try:
                    _, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
                except OSError:
                    await asyncio.sleep(0.2)
                    continue
                writer.close()
                await writer.wait_closed()
                return process, url
        return process, await read_listening(process, command) + "/api/messages"


async def read_listening(process: asyncio.subprocess.Process, what: str) -> str:
    """The base URL from the `LISTENING <url>` line the process prints on stdout once it accepts requests."""
    assert process.stdout is not None
    while True:
        line = (await process.stdout.readline()).decode()
        if not line:
            raise RuntimeError(f"{what!r} exited before printing LISTENING")
        if line.startswith("LISTENING "):
            return line.split(None, 1)[1].strip().rstrip("/")


async def stop_process(process: asyncio.subprocess.Process, *, within_seconds: float = 10.0) -> None:
    """SIGTERM, and SIGKILL if it has not exited within `within_seconds`."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(within_seconds):
                await process.wait()
        except TimeoutError:
            process.kill()
    await process.wait()


async def main_async(args: argparse.Namespace) -> list[Result]:
    texts: list[str] = args.texts
    sink = ReplySink()
    async with sink.serving() as service_url:
        process = None
        url = args.url
        bot_pid = args.pid
        if args.spawn:
            process, url = await spawn(args.spawn, args.url)
            bot_pid = process.pid
        if not url:
            raise SystemExit("give --url or --spawn")

        results = []
        try:
            connector = aiohttp.TCPConnector(limit=0)
            async with aiohttp.ClientSession(connector=connector) as session:
                for level in args.concurrency:
                    result = await run_level(
                        session,
                        url,
                        service_url,
                        sink,
                        level,
                        args.duration,
                        args.warmup,
                        texts,
                        bot_pid,
                        run_id=f"run{time.time_ns()}",
                    )
                    results.append(result)
                    print(result.row() if not args.json else json.dumps(asdict(result)), flush=True)
        finally:
            if process is not None:
                await stop_process(process)
    return results


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="the bot's messages endpoint, e.g. http://127.0.0.1:3978/api/messages")
    parser.add_argument(
        "--spawn",
        help="command that starts the bot (and stops on SIGTERM); without --url it must print "
        "'LISTENING <base url>', with --url the load starts once that port accepts connections",
    )
    parser.add_argument("--pid", type=int, help="with --url: the bot's process id, to report its CPU use")
    parser.add_argument(
        "-c",
        "--concurrency",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[1, 32],
        help="comma-separated concurrent conversations per run (default 1,32)",
    )
    parser.add_argument("-d", "--duration", type=float, default=15.0, help="measured seconds per level")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each level")
    parser.add_argument("--text", default="hello", help="message text (default 'hello')")
    parser.add_argument("--texts", help="file with one message text per line, used round-robin")
    parser.add_argument("--json", action="store_true", help="print one JSON object per level")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.texts:
        args.texts = [line.strip() for line in Path(args.texts).read_text().splitlines() if line.strip()]
    else:
        args.texts = [args.text]
    if not args.json:
        print(TABLE_HEADER, flush=True)
    results = asyncio.run(main_async(args))
    return 0 if all(r.errors == 0 and r.messages > 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
