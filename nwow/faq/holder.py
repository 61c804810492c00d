"""Keeps the current knowledge base and swaps in a new one when the FAQ files change and validate."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import LoadResult, faq_files, load_knowledge_base
from nwow.problems import Problem
from nwow.reloading import Loaded, LoadFailed, Reloading

logger = logging.getLogger(__name__)


class KnowledgeBaseLoadError(RuntimeError):
    """The FAQ folder does not validate; the message lists every problem."""

    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        self.problems = problems
        listed = "\n".join(f"  {p}" for p in problems if p.severity == "error")
        super().__init__(f"The FAQ in {folder} does not validate (run `nwow faq check {folder}`):\n{listed}")


class KnowledgeBaseHolder:
    """The live knowledge base: `current` is always a complete, validated version.

    The FAQ files (not the offices or units files beside them) are watched by a `Reloading` holder:
    loaded once at start, then polled every `poll_seconds`, reloaded in a worker thread on a change and
    swapped in only when the new version validates.
    """

    def __init__(self, folder: Path, poll_seconds: float = 2.0, cache_dir: Path | None = None) -> None:
        """`cache_dir`: where the variants' sentence embeddings are kept between loads (the data folder)."""
        self.folder = folder
        self._cache_dir = cache_dir
        self._last_result: LoadResult | None = None
        self._reloading: Reloading[KnowledgeBase] = Reloading(
            "knowledge base", lambda: faq_files(folder), self._load, poll_seconds
        )

    def _load(self) -> Loaded[KnowledgeBase]:
        result = load_knowledge_base(self.folder, cache_dir=self._cache_dir)
        self._last_result = result
        if result.kb is not None:
            version = result.kb.version
            logger.info("FAQ loaded: %d entries, hash %s", version.entry_count, version.content_hash)
        return Loaded(result.kb, result.problems)

    async def start(self) -> None:
        """Load the folder (in a thread); raises KnowledgeBaseLoadError when it does not validate."""
        try:
            await self._reloading.start()
        except LoadFailed as exc:
            raise KnowledgeBaseLoadError(self.folder, exc.problems) from exc

    async def stop(self) -> None:
        await self._reloading.stop()

    async def reload(self) -> LoadResult:
        """Load the folder now; swap it in if it validates, else keep the current version."""
        await self._reloading.reload()
        assert self._last_result is not None
        return self._last_result

    @property
    def current(self) -> KnowledgeBase:
        return self._reloading.current

    @property
    def started(self) -> bool:
        return self._reloading.started

    @property
    def last_problems(self) -> list[Problem]:
        return self._reloading.last_problems

    @property
    def last_error_at(self) -> datetime | None:
        return self._reloading.last_error_at

    @property
    def reload_count(self) -> int:
        return self._reloading.reload_count

    @property
    def polls(self) -> int:
        return self._reloading.polls

    async def wait_for_polls(self, count: int) -> None:
        """Wait until the poller has completed `count` checks in total (for tests; no sleeps)."""
        await self._reloading.wait_for_polls(count)
