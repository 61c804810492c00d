"""Replicas of the real bot as separate processes (`python -m bench.serve_bot`), for the scale-out tests.

Each replica is a development-mode bot on 127.0.0.1 (any free port) with its own data folder and the
given database URL; its log goes to a file in that folder (JSON lines), which a failing test prints.
Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


@dataclass
class Replica:
    name: str
    process: asyncio.subprocess.Process
    base_url: str
    log_path: Path

    @property
    def messages_url(self) -> str:
        return self.base_url + "/api/messages"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no goodbye; in-flight requests see the connection drop."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> int:
        """SIGTERM and wait (SIGKILL after STOP_TIMEOUT); the exit status."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(STOP_TIMEOUT):
                    return await self.process.wait()
            except TimeoutError:
                self.process.kill()
        return await self.process.wait()


def serve_bot_environment(data: Path, database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a `bench.serve_bot` process: development mode (no app id), JSON logs, the given
    database and data folder, `settings` (NWOW_* variables) on top."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "NWOW_DATABASE_URL": database_url,
        "NWOW_DATA_DIR": str(data),
        "NWOW_LOG_FORMAT": "json",
        **settings,
    }
    env.pop("MicrosoftAppId", None)
    return env


async def start_replica(
    name: str, folder: Path, database_url: str, faq_dir: Path, env: Mapping[str, str] | None = None
) -> Replica:
    """Start one replica and wait (bounded) until it prints LISTENING; `env` adds NWOW_* variables."""
    data = folder / name
    data.mkdir(parents=True, exist_ok=True)
    log_path = data / "replica.log"
    settings = {"NWOW_FAQ_DIR": str(faq_dir), "NWOW_LOG_LEVEL": "INFO", **(env or {})}
    process_env = serve_bot_environment(data, database_url, **settings)
    with log_path.open("wb") as log:
        # cwd is the data folder, so a developer's .env in the repository is not read.
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.serve_bot",
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            env=process_env,
            cwd=data,
        )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(START_TIMEOUT):
            while True:
                line = (await process.stdout.readline()).decode()
                if not line:
                    raise RuntimeError(f"replica {name} exited before listening:\n{log_path.read_text()}")
                if line.startswith("LISTENING "):
                    return Replica(name, process, line.split(None, 1)[1].strip(), log_path)
    except BaseException:
        if process.returncode is None:
            process.kill()
        await process.wait()
        raise


@asynccontextmanager
async def running_replicas(
    folder: Path,
    database_url: str,
    faq_dir: Path,
    names: Sequence[str] = ("replica-a", "replica-b"),
    env: Mapping[str, str] | None = None,
) -> AsyncIterator[tuple[Replica, ...]]:
    """Replicas started one after the other, stopped (SIGTERM) at the end; their logs are printed then
    (pytest shows them when the test fails)."""
    started: list[Replica] = []
    try:
        for name in names:
            started.append(await start_replica(name, folder, database_url, faq_dir, env))
        yield tuple(started)
    finally:
        for replica in started:
            await replica.stop()
            print(f"--- log of {replica.name} ---\n{replica.log()}")
