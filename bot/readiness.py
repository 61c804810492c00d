"""`GET /readyz`: is this replica able to serve a message now? Answered within `budget` seconds, always.

A replica is ready when
- its database answers a trivial query (`SELECT 1`);
- in production, the channel's signing keys are loaded (without them every message gets 503); when they
  are not, a (rate-limited) fetch is started, so a replica taken out of traffic recovers by itself;
- the folders it writes to (the data folder, and the SQLite database's folder) are writable and keep at
  least `min_free_bytes` free: a small file is written, synced and removed, and `statvfs` is read.

Each check runs in a task of its own and is waited for at most `budget` seconds; one that does not answer
in time (a stalled database, a hung disk) is reported as such and left to finish in the background, and
until it has, the next probe reports it again at once instead of piling up another one.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from bot.transport.auth import SigningKeys
from nwow.storage import Database

__all__ = ["Readiness", "check_folder"]

logger = logging.getLogger(__name__)

OK: Final = "ok"
NOT_USED: Final = "not used (development mode)"
DEFAULT_BUDGET: Final = 1.5
_MIB: Final = 1024 * 1024
_PROBE_BYTES: Final = 4096


def check_folder(folder: Path, min_free_bytes: int) -> None:
    """Blocking: raise OSError unless `folder` takes a small synced write and keeps `min_free_bytes` free."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    if free < min_free_bytes:
        raise OSError(f"{free // _MIB} MiB free in {folder}, less than {min_free_bytes // _MIB} MiB")
    probe = folder / f".nwow-ready-{os.getpid()}"
    try:
        with probe.open("wb") as handle:
            handle.write(b"\0" * _PROBE_BYTES)
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        probe.unlink(missing_ok=True)


@dataclass
class _Probe:
    """One check; at most one run of it in flight."""

    name: str
    run: Callable[[], Awaitable[None]]
    _task: asyncio.Task[None] | None = field(default=None, init=False)

    async def result(self, budget: float) -> str:
        """ "ok", or why not (no answer within `budget`, or the check's error)."""
        if self._task is not None and not self._task.done():
            return "no answer yet (the previous check is still waiting)"
        task = asyncio.ensure_future(self.run())
        task.add_done_callback(_retrieve)
        self._task = task
        done, _ = await asyncio.wait({task}, timeout=budget)
        if not done:
            return f"no answer within {budget:g} s"
        error = task.exception()
        if error is None:
            return OK
        return f"{type(error).__name__}: {error}" if isinstance(error, OSError) else type(error).__name__


def _retrieve(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved: a check that failed after its budget is not "never retrieved"


class Readiness:
    def __init__(
        self,
        database: Database,
        folders: Iterable[Path],
        *,
        min_free_bytes: int,
        signing_keys: SigningKeys | None,
        budget: float = DEFAULT_BUDGET,
    ) -> None:
        self._budget = budget
        self._signing_keys = signing_keys
        self._keys_fetch: asyncio.Task[object] | None = None
        unique = list(dict.fromkeys(Path(f) for f in folders))
        self._probes = [
            _Probe("database", database.ping),
            _Probe("disk", lambda: asyncio.to_thread(_check_folders, unique, min_free_bytes)),
        ]

    async def check(self) -> dict[str, str]:
        """{check name: "ok" or the reason}, within the budget."""
        results = await asyncio.gather(*(probe.result(self._budget) for probe in self._probes))
        checks = {probe.name: result for probe, result in zip(self._probes, results, strict=True)}
        checks["signing_keys"] = self._signing_keys_state()
        for name in self.failing(checks):
            logger.warning("not ready: %s: %s", name, checks[name], extra={"event": "readiness.failed"})
        return checks

    @staticmethod
    def failing(checks: dict[str, str]) -> list[str]:
        """The names of the checks that failed (empty: ready)."""
        return [name for name, result in checks.items() if result not in (OK, NOT_USED)]

    def _signing_keys_state(self) -> str:
        keys = self._signing_keys
        if keys is None:
            return NOT_USED
        if keys.loaded:
            return OK
        if self._keys_fetch is None or self._keys_fetch.done():
            # SigningKeys.get fetches (at most once per its failure interval) when nothing is loaded.
            self._keys_fetch = asyncio.ensure_future(keys.get(None))
            self._keys_fetch.add_done_callback(_retrieve)
        return "not loaded (the channel's OpenID metadata or keys could not be fetched)"


def _check_folders(folders: list[Path], min_free_bytes: int) -> None:
    for folder in folders:
        check_folder(folder, min_free_bytes)
