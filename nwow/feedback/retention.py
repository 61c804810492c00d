"""The retention period: feedback recorded more than N days ago is deleted, every day, by the running bot.

`purge_expired` is the one domain call (also behind `nwow feedback purge`): `purge_older_than` of every
store the period applies to (`Database.expiring`), with the cutoff N days before now: survey answers, votes,
unanswered questions, remembered preferences, the ledger of seen submission ids; the questions asked to the
ambassadors (tickets), the record of where each question ended and the knowledge-base proposals.

`RetentionSchedule` runs it in the bot: once when the bot starts, then every day at `DAILY_AT` (Brussels
time). With several replicas, each run first claims the Brussels calendar day in the shared key/value
store (`claim_period`, the compare-and-set the weekly digest uses), so one replica purges per day, whichever
replicas run and whenever they start. A run that fails (database unreachable) is logged; the next day's
makes it good, since it deletes everything past its cutoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Final, Protocol

from nwow.schedule import BRUSSELS
from nwow.storage.kv import KeyValueStore, claim_period
from nwow.tasks import stop_task

__all__ = ["CLAIM_KEY", "DAILY_AT", "Expiring", "RetentionSchedule", "purge_expired", "retention_cutoff"]

logger = logging.getLogger(__name__)

CLAIM_KEY: Final = "nwow/retention/last-day"
CLAIM_FIELD: Final = "day"
DAILY_AT: Final = time(3, 30)

Sleep = Callable[[float], Awaitable[None]]


class Expiring(Protocol):
    """A store the retention period applies to."""

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Delete what was recorded before `cutoff`; the number of rows removed."""
        ...


def retention_cutoff(now: datetime, days: int) -> datetime:
    if days < 1:
        raise ValueError("the retention period must be at least 1 day")
    return now - timedelta(days=days)


async def purge_expired(stores: Sequence[Expiring], now: datetime, days: int) -> int:
    """Delete what was recorded more than `days` days before `now`; the number of rows removed."""
    cutoff = retention_cutoff(now, days)
    removed = 0
    for store in stores:
        removed += await store.purge_older_than(cutoff)
    return removed


def next_daily_run(now: datetime) -> datetime:
    """The first `DAILY_AT` in Brussels strictly after `now`, as UTC."""
    local = now.astimezone(BRUSSELS)
    candidate = datetime.combine(local.date(), DAILY_AT, BRUSSELS)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), DAILY_AT, BRUSSELS)
    return candidate.astimezone(UTC)


class RetentionSchedule:
    """The daily purge in a running bot; `runs` counts the purges this replica did (tests wait on it)."""

    def __init__(
        self,
        stores: Sequence[Expiring],
        kv: KeyValueStore,
        days: int,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        retention_cutoff(datetime.now(UTC), days)  # validates days
        self._stores = tuple(stores)
        self._kv = kv
        self._days = days
        self._clock = clock
        self._sleep = sleep
        self.runs = 0
        self.removed = 0
        self._changed = asyncio.Condition()

    async def run_if_due(self) -> int | None:
        """Purge now unless another replica already did today (Brussels); the rows removed, or None."""
        now = self._clock()
        day = now.astimezone(BRUSSELS).date().isoformat()
        if not await claim_period(self._kv, CLAIM_KEY, day, field=CLAIM_FIELD):
            return None
        removed = await purge_expired(self._stores, now, self._days)
        logger.info(
            "retention: removed %d rows older than %d days",
            removed,
            self._days,
            extra={"event": "retention.purged"},
        )
        async with self._changed:
            self.runs += 1
            self.removed += removed
            self._changed.notify_all()
        return removed

    async def wait_for_runs(self, count: int) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.runs >= count)

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_if_due()
            except Exception:
                logger.exception("retention purge failed; the next day's purge makes it good")
            due = next_daily_run(self._clock())
            await self._sleep(max(0.0, (due - self._clock()).total_seconds()))

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[RetentionSchedule]:
        """Run the schedule in the background while the block runs."""
        task = asyncio.create_task(self.run_forever(), name="retention-purge")
        try:
            yield self
        finally:
            await stop_task(task)
