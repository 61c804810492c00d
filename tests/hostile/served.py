"""What the hostile tests attack and watch: the real bot in a process of its own, a fake Bot Connector and a
/healthz prober each on a thread of their own.

- `start_bot_process(folder, database_url)`: `python -m bench.serve_bot` (`create_app`, development mode)
  on a free loopback port, JSON logs at DEBUG into a file; `BotProcess.post(activity)` sends one activity
  and waits for the answer, which comes after the turn and its replies. A process of its own, so the
  test's work (generating examples, parsing answers) cannot stall the bot's event loop, and the prober
  measures the bot alone.
- `ConnectorThread`: `tests.harness.connector.FakeConnector` served by an event loop on its own thread, so
  it answers the bot whatever the test thread is doing.
- `Prober`: a process of its own (tests/hostile/prober.py) GETs /healthz back to back (a few milliseconds
  apart) on one keep-alive connection and keeps every latency, less the time the bot or the prober waited
  for a CPU the machine's other work held; `worst()` is the longest the bot itself took to answer one.

Everything is synchronous for the test (Hypothesis drives plain functions) and every wait is bounded.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from tests.harness.connector import FakeConnector, RecordedRequest
from tests.harness.http import start_app
from tests.replicas.processes import REPO, serve_bot_environment

START_TIMEOUT = 90.0
ANSWER_TIMEOUT = 60.0


def _connection(base_url: str) -> http.client.HTTPConnection:
    parts = urlsplit(base_url)
    return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=ANSWER_TIMEOUT)


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body.strip() else None


@dataclass
class BotProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    database_url: str

    def post(
        self, activity: Any, *, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        """POST one activity (or raw `data`) to /api/messages; the answer once the turn is over."""
        body = data if data is not None else json.dumps(activity).encode()
        connection = _connection(self.base_url)
        try:
            connection.request(
                "POST", "/api/messages", body, {"Content-Type": "application/json", **(headers or {})}
            )
            response = connection.getresponse()
            return Answer(response.status, response.read(), response.getheader("Content-Type") or "")
        finally:
            connection.close()

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()

    def log_records(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        for line in self.log_lines():
            try:
                record = json.loads(line)
            except ValueError:
                record = {"level": "RAW", "message": line}  # anything not written by the JSON formatter
            records.append(record if isinstance(record, dict) else {"level": "RAW", "message": line})
        return records

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def start_bot_process(folder: Path, database_url: str, **env: str) -> Iterator[BotProcess]:
    """The real bot on its own process until the block ends; `env` adds NWOW_* settings."""
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "bot.log"
    environment = serve_bot_environment(folder, database_url, **{"NWOW_LOG_LEVEL": "DEBUG", **env})
    with log_path.open("wb") as log:
        # cwd is the data folder, so a developer's .env in the repository is not read.
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.serve_bot"],
            stdout=subprocess.PIPE,
            stderr=log,
            env=environment,
            cwd=folder,
        )
    bot: BotProcess | None = None
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT
        while bot is None:
            line = process.stdout.readline().decode()
            if not line or time.monotonic() > deadline:
                raise RuntimeError(f"the bot did not start:\n{log_path.read_text(errors='replace')}")
            if line.startswith("LISTENING "):
                bot = BotProcess(process, line.split(None, 1)[1].strip(), log_path, database_url)
        yield bot
    finally:
        if bot is not None:
            bot.stop()
        elif process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


class ConnectorThread:
    """A FakeConnector served on its own thread and event loop; `base_url` is the activities' serviceUrl."""

    def __init__(self) -> None:
        self.connector = FakeConnector()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-connector", daemon=True)
        self._runner: web.AppRunner | None = None

    def start(self) -> ConnectorThread:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(start_app(self.connector.app()), self._loop)
        self._runner, self.connector.base_url = future.result(timeout=30)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()

    @property
    def base_url(self) -> str:
        return self.connector.base_url

    def requests_since(self, count: int) -> list[RecordedRequest]:
        return list(self.connector.requests[count:])


class Prober:
    """The /healthz prober (tests/hostile/prober.py) running as a process of its own while the block runs.

    `latencies` are the bot's own: each probe's time less what the prober's and the bot's threads waited
    for a CPU the machine's other work held; `raw` as measured. `worst()` is the longest the bot itself
    took to answer one.
    """

    def __init__(self, base_url: str, bot_pid: int) -> None:
        self.base_url = base_url
        self.bot_pid = bot_pid
        self.raw: list[float] = []
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.hostile.prober", self.base_url, str(self.bot_pid)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=REPO,
        )
        assert self._process.stdout is not None
        if self._process.stdout.readline().strip() != b"PROBING":
            raise RuntimeError("the /healthz prober did not start")

    def finish(self) -> None:
        if self._process is None:
            return
        try:
            out, _ = self._process.communicate(b"stop\n", timeout=ANSWER_TIMEOUT + 30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
            raise
        result = json.loads(out)
        self.raw, self.latencies, self.failures = result["raw"], result["own"], result["failures"]

    def worst(self) -> float:
        return max(self.latencies, default=float("nan"))

    def worst_raw(self) -> float:
        return max(self.raw, default=float("nan"))

    def summary(self) -> str:
        return (
            f"worst /healthz {1000 * self.worst():.1f} ms of the bot's own "
            f"({1000 * self.worst_raw():.1f} ms measured) over {len(self.latencies)} probes"
        )


@contextmanager
def probing(bot: BotProcess) -> Iterator[Prober]:
    """A running Prober of `bot` for the block; stopped (and joined) when it ends."""
    prober = Prober(bot.base_url, bot.process.pid)
    prober.start()
    try:
        yield prober
    finally:
        prober.finish()
