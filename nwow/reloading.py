"""A value loaded from files that ambassadors edit, reloaded when they change, swapped only when valid.

`Reloading(name, files, load, poll_seconds)` keeps `current` always a complete, validated version:
`start()` loads once (in a worker thread); a background task polls the files' names, sizes and
modification times every `poll_seconds` and reloads in a thread when they changed. A load with errors is
logged problem by problem and the previous version stays in service.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, TypeVar

from nwow.problems import Problem

logger = logging.getLogger(__name__)

T = TypeVar("T")
Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """What one load produced: the value (None when any problem is an error) and every problem."""

    value: T | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class LoadFailed(RuntimeError):
    """The files do not validate; the message lists every error."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.problems = problems
        listed = "\n".join(f"  {p}" for p in problems if p.severity == "error")
        super().__init__(f"The {name} does not validate (run `nwow faq check`):\n{listed}")


def fingerprint(paths: Iterable[Path]) -> Fingerprint:
    """Names, sizes and modification times (blocking: call it in a thread)."""
    out: list[tuple[str, int, int]] = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(out))


class Reloading(Generic[T]):
    def __init__(
        self,
        name: str,
        files: Callable[[], Iterable[Path]],
        load: Callable[[], Loaded[T]],
        poll_seconds: float = 2.0,
    ) -> None:
        self.name = name
        self.poll_seconds = poll_seconds
        self._files = files
        self._load = load
        self._current: T | None = None
        self._fingerprint: Fingerprint | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._polled = asyncio.Condition()
        self._polls = 0
        self.last_problems: list[Problem] = []
        self.last_error_at: datetime | None = None
        self.reload_count = 0

    @property
    def current(self) -> T:
        if self._current is None:
            raise RuntimeError(f"the {self.name} is not loaded yet: await start() first")
        return self._current

    @property
    def started(self) -> bool:
        return self._current is not None

    @property
    def polls(self) -> int:
        return self._polls

    async def start(self) -> None:
        """Load now; raises LoadFailed when the files do not validate. Then poll for changes."""
        loaded = await self.reload()
        if loaded.value is None:
            raise LoadFailed(self.name, loaded.problems)
        if self.poll_seconds > 0 and self._task is None:
            self._task = asyncio.create_task(self._poll(), name=f"reload-{self.name}")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def reload(self) -> Loaded[T]:
        """Load now; swap the result in if it validates, else keep the current version."""
        async with self._lock:
            stamp = await asyncio.to_thread(lambda: fingerprint(self._files()))
            loaded = await asyncio.to_thread(self._load)
            self._fingerprint = stamp
            self.last_problems = loaded.problems
            if loaded.value is None:
                self.last_error_at = datetime.now(UTC)
                kept = "keeping the previous version" if self._current is not None else "nothing loaded"
                logger.error("%s reload failed (%s): %d error(s)", self.name, kept, len(loaded.errors))
            else:
                self._current = loaded.value
                self.reload_count += 1
                logger.info("%s loaded (load #%d)", self.name, self.reload_count)
            for problem in loaded.problems:
                logger.log(logging.ERROR if problem.severity == "error" else logging.WARNING, "%s", problem)
            return loaded

    async def wait_for_polls(self, count: int) -> None:
        """Wait until the poller has completed `count` checks in total (for tests; no sleeps)."""
        async with self._polled:
            await self._polled.wait_for(lambda: self._polls >= count)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                stamp = await asyncio.to_thread(lambda: fingerprint(self._files()))
                if stamp != self._fingerprint:
                    await self.reload()
            except Exception:
                logger.exception(
                    "%s reload check failed; trying again in %.1f s", self.name, self.poll_seconds
                )
            async with self._polled:
                self._polls += 1
                self._polled.notify_all()
