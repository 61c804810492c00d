"""Keeps the current knowledge base and swaps in a new one when the FAQ files change and validate."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import LoadResult, faq_files, load_knowledge_base
from nwow.problems import Problem
from nwow.reloading import Loaded, LoadFailed, Reloading
from nwow.snapshot import Snapshot, SnapshotStore

logger = logging.getLogger(__name__)


# The FAQ folder does not validate and there is no snapshot to start from.
KnowledgeBaseLoadError = LoadFailed


class KnowledgeBaseHolder:
    """The live knowledge base: `current` is always a complete, validated version.

    The FAQ files (not the offices or units files beside them) are watched by a `Reloading` holder:
    loaded once at start, then polled every `poll_seconds`, reloaded in a worker thread on a change and
    swapped in only when the new version validates. With `snapshots`, each good version is kept there,
    and a start on a broken folder serves the last good one. With `refuse_unvalidated` (the bot outside
    development mode), a version with draft security entries counts as broken (`nwow.content_gate`).
    """

    def __init__(
        self,
        folder: Path,
        poll_seconds: float = 2.0,
        *,
        snapshots: SnapshotStore | None = None,
        cache_dir: Path | None = None,
        refuse_unvalidated: bool = False,
    ) -> None:
        """`cache_dir`: where the variants' sentence embeddings are kept between loads (the data folder).
        `refuse_unvalidated` (the bot outside development mode): a version with draft security entries
        counts as broken (`nwow.content_gate`)."""
        self.folder = folder
        self._cache_dir = cache_dir
        self._refuse_unvalidated = refuse_unvalidated
        self._last_result: LoadResult | None = None
        self._reloading: Reloading[KnowledgeBase] = Reloading(
            "knowledge base", folder, faq_files, self._load, snapshots=snapshots, poll_seconds=poll_seconds
        )

    def _load(self, folder: Path) -> Loaded[KnowledgeBase]:
        result = load_knowledge_base(
            folder, cache_dir=self._cache_dir, refuse_unvalidated=self._refuse_unvalidated
        )
        if folder == self.folder:
            self._last_result = result
        if result.kb is not None:
            version = result.kb.version
            logger.info("FAQ loaded: %d entries, hash %s", version.entry_count, version.content_hash)
        files = {path.relative_to(folder).as_posix(): data for path, data in result.contents.items()}
        return Loaded(result.kb, result.problems, files, result.not_kept)

    async def start(self) -> None:
        """Load the folder (in a thread), else the last good snapshot; raises KnowledgeBaseLoadError when
        neither validates."""
        await self._reloading.start()

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
    def serving_snapshot(self) -> Snapshot | None:
        """The snapshot in service while the folder has been broken since the start, else None."""
        return self._reloading.serving_snapshot

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
