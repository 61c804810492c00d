"""Keeps the current knowledge base and swaps in a new one when the FAQ files change and validate."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from pathlib import Path

from nwow.faq.loader import LoadResult, faq_files, load_knowledge_base
from nwow.faq.model import KnowledgeBase
from nwow.problems import Problem

logger = logging.getLogger(__name__)

Fingerprint = tuple[tuple[str, int, int], ...]


class KnowledgeBaseLoadError(RuntimeError):
    """The FAQ folder does not validate; the message lists every problem."""

    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        self.problems = problems
        listed = "\n".join(f"  {p}" for p in problems if p.severity == "error")
        super().__init__(f"The FAQ in {folder} does not validate (run `nwow faq check {folder}`):\n{listed}")


def fingerprint(folder: Path) -> Fingerprint:
    """Names, sizes and modification times of the FAQ files (blocking: call it in a thread)."""
    out: list[tuple[str, int, int]] = []
    for path in faq_files(folder):
        try:
            stat = path.stat()
        except OSError:
            continue
        out.append((path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


class KnowledgeBaseHolder:
    """The live knowledge base: `current` is always a complete, validated version.

    `start()` loads it once; a background task then polls the folder every `poll_seconds` and reloads
    in a worker thread when a file changed. A reload with errors is logged problem by problem and the
    previous version stays in service.
    """

    def __init__(self, folder: Path, poll_seconds: float = 2.0) -> None:
        self.folder = folder
        self.poll_seconds = poll_seconds
        self._current: KnowledgeBase | None = None
        self._fingerprint: Fingerprint | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._polled = asyncio.Condition()
        self._polls = 0
        self.last_problems: list[Problem] = []
        self.last_error_at: datetime | None = None
        self.reload_count = 0

    @property
    def current(self) -> KnowledgeBase:
        if self._current is None:
            raise RuntimeError("the knowledge base is not loaded yet: await start() first")
        return self._current

    @property
    def started(self) -> bool:
        return self._current is not None

    async def start(self) -> None:
        """Load the folder (in a thread); raises KnowledgeBaseLoadError when it does not validate."""
        result = await self.reload()
        if result.kb is None:
            raise KnowledgeBaseLoadError(self.folder, result.problems)
        if self.poll_seconds > 0 and self._task is None:
            self._task = asyncio.create_task(self._poll(), name="faq-reload")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def reload(self) -> LoadResult:
        """Load the folder now; swap it in if it validates, else keep the current version."""
        async with self._lock:
            stamp = await asyncio.to_thread(fingerprint, self.folder)
            result = await asyncio.to_thread(load_knowledge_base, self.folder)
            self._fingerprint = stamp
            self.last_problems = result.problems
            if result.kb is None:
                self.last_error_at = datetime.now(UTC)
                level = logging.ERROR
                kept = "keeping the previous version" if self._current is not None else "nothing loaded"
                logger.error("FAQ reload failed (%s): %d problem(s)", kept, len(result.errors))
            else:
                level = logging.WARNING
                previous = self._current
                self._current = result.kb
                self.reload_count += 1
                version = result.kb.version
                logger.info(
                    "FAQ loaded: %d entries, hash %s%s",
                    version.entry_count,
                    version.content_hash,
                    f" (was {previous.version.content_hash})" if previous is not None else "",
                )
            for problem in result.problems:
                logger.log(level if problem.severity == "error" else logging.WARNING, "%s", problem)
            return result

    async def wait_for_polls(self, count: int) -> None:
        """Wait until the poller has completed `count` checks in total (for tests; no sleeps)."""
        async with self._polled:
            await self._polled.wait_for(lambda: self._polls >= count)

    @property
    def polls(self) -> int:
        return self._polls

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                stamp = await asyncio.to_thread(fingerprint, self.folder)
                if stamp != self._fingerprint:
                    await self.reload()
            except Exception:
                logger.exception("FAQ reload check failed; will try again in %.1f s", self.poll_seconds)
            async with self._polled:
                self._polls += 1
                self._polled.notify_all()
