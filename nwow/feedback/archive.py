"""Monthly figures are computed once, when a closed month is first asked for, and kept: every later report,
card and digest shows the kept figures. So answers that arrive late, answers deleted on request, the
retention purge, a new minimum group size or a new units list never change a month already published, and
two publications of one month can never be subtracted from one another (docs/anonymity.md).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Final, Protocol

from nwow.feedback.figures import MonthFigures, compute_month, decode, encode
from nwow.feedback.periods import Month
from nwow.feedback.store import FeedbackStore

logger = logging.getLogger(__name__)

KEY_PREFIX: Final = "nwow/feedback/month/"


class WriteOnce(Protocol):
    """Documents written once and never changed (nwow.storage.write_once.KvWriteOnce)."""

    async def get(self, key: str) -> str | None: ...

    async def put_once(self, key: str, document: str) -> str:
        """Store `document` under `key` unless a document is there already; return the one that is kept."""
        ...


class MonthNotClosed(ValueError):
    """Figures are only published for months that are over (plus the settling time)."""


async def month_figures(
    store: FeedbackStore, archive: WriteOnce, month: Month, *, min_group_size: int, now: datetime
) -> MonthFigures:
    """The published figures of `month`: the kept ones, or computed now (closed months only) and kept.

    When two replicas compute a month at once, both return the figures that were stored first.
    """
    if not month.closed(now):
        raise MonthNotClosed(f"{month} is not over yet; figures are published per closed calendar month")
    key = KEY_PREFIX + month.key
    kept = await archive.get(key)
    if kept is None:
        since, until = month.bounds()
        surveys = await store.surveys_between(since, until)
        votes = await store.votes_between(since, until)
        figures = await asyncio.to_thread(
            compute_month, month, surveys, votes, min_group_size=min_group_size, frozen_at=now
        )
        kept = await archive.put_once(key, encode(figures))
        logger.info("froze the feedback figures of %s", month, extra={"event": "feedback.month_frozen"})
    return decode(kept)
