"""A value loaded from files that ambassadors edit, reloaded when they change, swapped only when valid.

`Reloading(name, folder, files, load, snapshots=..., poll_seconds=...)` keeps `current` always a complete,
validated version. `start()` loads the folder; when the files do not validate it starts from the last good
version kept in `snapshots` (with a loud warning naming the problems and the snapshot's date), and raises
`LoadFailed` only when there is none. A background task polls the files' names, sizes and modification
times every `poll_seconds` and reloads when they changed; a load with errors keeps the previous version.

Everything that costs (reading, validating, saving the snapshot, formatting and writing the log lines) runs
in a worker thread; the event loop only swaps the result in. A failed load logs at most LOG_LIMIT problems.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, TypeVar

from nwow.problems import LOG_LIMIT, Problem, has_errors, report_lines
from nwow.snapshot import Snapshot, SnapshotStore
from nwow.tasks import stop_task

logger = logging.getLogger(__name__)

T = TypeVar("T")
Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """What one load produced: the value (None when any problem is an error), every problem kept, and
    the bytes of the files read, by path relative to the folder (what a snapshot keeps)."""

    value: T | None
    problems: list[Problem]
    files: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    not_kept: int = 0  # problems counted beyond those kept

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class LoadFailed(RuntimeError):
    """The files do not validate and there is no snapshot to start from; the message says what to do."""

    def __init__(
        self,
        name: str,
        folder: Path,
        problems: list[Problem],
        *,
        not_kept: int = 0,
        snapshots: Path | None = None,
    ) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        listed = "".join(f"\n  {line}" for line in report_lines(errors, LOG_LIMIT, not_kept=not_kept))
        saved = f" (none in {snapshots})" if snapshots is not None else ""
        super().__init__(
            f"The {name} in {folder} does not validate, and there is no saved last good version to start "
            f"from{saved}. Fix the files (run `nwow faq check {folder}`):{listed}"
        )


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
        folder: Path,
        files: Callable[[Path], Iterable[Path]],
        load: Callable[[Path], Loaded[T]],
        *,
        snapshots: SnapshotStore | None = None,
        poll_seconds: float = 2.0,
    ) -> None:
        self.name = name
        self.folder = folder
        self.poll_seconds = poll_seconds
        self._files = files
        self._load = load
        self._snapshots = snapshots
        self._current: T | None = None
        self._fingerprint: Fingerprint | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._polled = asyncio.Condition()
        self._polls = 0
        self.last_problems: list[Problem] = []
        self.last_error_at: datetime | None = None
        self.reload_count = 0
        self.serving_snapshot: Snapshot | None = None  # set while the folder is broken since the start

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
        """Load the folder, else the last good snapshot; raises LoadFailed when neither is valid. Then
        poll for changes."""
        loaded = await self.reload()
        if loaded.value is None:
            restored = await asyncio.to_thread(self._restore_blocking, loaded)
            if restored is None:
                raise LoadFailed(
                    self.name,
                    self.folder,
                    loaded.problems,
                    not_kept=loaded.not_kept,
                    snapshots=self._snapshots.root if self._snapshots is not None else None,
                )
            self._current, self.serving_snapshot = restored
        if self.poll_seconds > 0 and self._task is None:
            self._task = asyncio.create_task(self._poll(), name=f"reload-{self.name}")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            await stop_task(task)

    async def reload(self) -> Loaded[T]:
        """Load now; swap the result in if it validates, else keep the current version."""
        async with self._lock:
            stamp, loaded = await asyncio.to_thread(self._reload_blocking, self._current is not None)
            self._fingerprint = stamp
            self.last_problems = loaded.problems
            if loaded.value is None:
                self.last_error_at = datetime.now(UTC)
            else:
                self._current = loaded.value
                self.serving_snapshot = None
                self.reload_count += 1
            return loaded

    def _reload_blocking(self, have_current: bool) -> tuple[Fingerprint, Loaded[T]]:
        stamp = fingerprint(self._files(self.folder))
        loaded = self._load(self.folder)
        errors = loaded.errors
        warnings = len(loaded.problems) - len(errors)
        counted = (
            f"; {warnings} warning(s): run `nwow faq check {self.folder}` to see them" if warnings else ""
        )
        if loaded.value is None:
            if not have_current:  # at start: start() reports it (serving the snapshot, or refusing to start)
                return stamp, loaded
            listed = "".join(
                f"\n  {line}" for line in report_lines(errors, LOG_LIMIT, not_kept=loaded.not_kept)
            )
            logger.error(
                "%s in %s does not validate (keeping the version in service): %d error(s)%s%s",
                self.name,
                self.folder,
                len(errors) + loaded.not_kept,
                counted,
                listed,
            )
            return stamp, loaded
        logger.log(
            logging.INFO if counted else logging.DEBUG,
            "%s loaded from %s (load #%d)%s",
            self.name,
            self.folder,
            self.reload_count + 1,
            counted,
        )
        if self._snapshots is not None and loaded.files:
            try:
                self._snapshots.save(loaded.files)
            except OSError as exc:
                logger.warning(
                    "%s: cannot save the last good version in %s: %s", self.name, self._snapshots.root, exc
                )
        return stamp, loaded

    def _restore_blocking(self, failed: Loaded[T]) -> tuple[T, Snapshot] | None:
        """The value of the last good snapshot (loaded and validated again), with a loud warning."""
        snapshot = self._snapshots.latest() if self._snapshots is not None else None
        if snapshot is None:
            return None
        loaded = self._load(snapshot.folder)
        if loaded.value is None or has_errors(loaded.problems):
            logger.error(
                "%s: the saved last good version in %s does not validate either (%d error(s))",
                self.name,
                snapshot.folder,
                len(loaded.errors),
            )
            return None
        lines = report_lines(failed.errors, LOG_LIMIT, not_kept=failed.not_kept)
        logger.warning(
            "%s in %s does not validate: SERVING THE LAST GOOD VERSION, saved %s (content hash %s, %s). "
            "Fix the files (nwow faq check %s): the bot switches to them as soon as they validate.%s",
            self.name.upper(),
            self.folder,
            snapshot.saved_at.strftime("%Y-%m-%d %H:%M UTC"),
            snapshot.content_hash[:16],
            snapshot.folder,
            self.folder,
            "".join(f"\n  {line}" for line in lines),
        )
        return loaded.value, snapshot

    async def wait_for_polls(self, count: int) -> None:
        """Wait until the poller has completed `count` checks in total (for tests; no sleeps)."""
        async with self._polled:
            await self._polled.wait_for(lambda: self._polls >= count)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                stamp = await asyncio.to_thread(lambda: fingerprint(self._files(self.folder)))
                if stamp != self._fingerprint:
                    await self.reload()
            except Exception:
                logger.exception(
                    "%s reload check failed; trying again in %.1f s", self.name, self.poll_seconds
                )
            async with self._polled:
                self._polls += 1
                self._polled.notify_all()
