"""Recognise a repeated activity across every replica, in the shared database.

`SqlDeduplicator` implements `bot.turn.dedupe.ActivityDeduplicator` on the `processed_activities` table
(primary key (conversation_id, activity_id), schema migration 2). `seen_before` claims the id with
`INSERT ... ON CONFLICT DO NOTHING`, which is atomic on SQLite and PostgreSQL alike, so of two replicas
that receive the same activity at once exactly one processes it.

A claim is first "in progress"; `finished` (awaited by `ConflictRetryingBot` when the turn is over)
marks it done. A claim still in progress after `lease_seconds` belonged to a replica that died in the
middle of the turn (SIGKILL, a lost node): a later delivery of that activity (the Bot Connector retries
what got no answer) takes the claim over and is processed, instead of being acknowledged unprocessed.
A delivery that finds a claim in progress within its lease is a duplicate of a turn still running and
is acknowledged.

To keep the turn path at one short database write for deduplication, `finished` only queues the mark;
the queued marks are written with a later claim (one UPDATE for all of them, at most every
`mark_every_seconds` or once `_MARKS_PER_STATEMENT` are queued) and at `close()`.
A replica killed with marks still queued leaves those claims "in progress": a delivery of such an
activity more than `lease_seconds` later would be processed again (its feedback writes are idempotent).
The Bot Connector retries within seconds, so in practice that does not happen.

A request cancelled after its claim (shutdown, a client gone) calls `release`, which deletes the claim
it made, so the channel's retry of that activity is processed at once.

Rows older than `keep_seconds` are purged (at most every `purge_every_seconds`, on the request path but
cheap: one indexed DELETE); the channel retries within minutes, so a day is plenty.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from botbuilder.core import TurnContext

from nwow.storage.sql import Executor, Tx

__all__ = ["SqlDeduplicator"]

logger = logging.getLogger(__name__)

_CLAIM = (
    "INSERT INTO processed_activities (conversation_id, activity_id, claimed_at, done) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (conversation_id, activity_id) DO NOTHING"
)

# Bound parameters per UPDATE of done marks (SQLite allows 32,766; PostgreSQL 65,535).
_MARKS_PER_STATEMENT = 400


class SqlDeduplicator:
    """Check-and-claim of (conversation_id, activity_id) in the shared database."""

    def __init__(
        self,
        executor: Executor,
        *,
        lease_seconds: float = 60.0,
        keep_seconds: float = 24 * 3600.0,
        purge_every_seconds: float = 600.0,
        mark_every_seconds: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if lease_seconds <= 0 or keep_seconds <= lease_seconds or purge_every_seconds <= 0:
            raise ValueError("need 0 < lease_seconds < keep_seconds and purge_every_seconds > 0")
        self._executor = executor
        self._lease = timedelta(seconds=lease_seconds)
        self._keep = timedelta(seconds=keep_seconds)
        self._purge_every = purge_every_seconds
        self._clock = clock
        self._monotonic = monotonic
        self._next_purge = monotonic() + purge_every_seconds
        self._mark_every = mark_every_seconds
        self._next_mark = monotonic()
        self._done: list[tuple[str, str]] = []
        # Claims made here whose turn has not finished: (conversation id, activity id) -> claim time.
        self._claims: dict[tuple[str, str], datetime] = {}

    async def seen_before(self, conversation_id: str, activity_id: str) -> bool:
        now = self._clock()
        await self._maybe_purge(now)
        tick = self._monotonic()
        done: list[tuple[str, str]] = []
        if self._done and (tick >= self._next_mark or len(self._done) >= _MARKS_PER_STATEMENT):
            done, self._done = self._done[:_MARKS_PER_STATEMENT], self._done[_MARKS_PER_STATEMENT:]
            self._next_mark = tick + self._mark_every
        if done:
            try:
                await self._mark_done(self._executor, done)  # an Executor runs single statements like a Tx
            except BaseException:
                self._done[:0] = done  # not written: try again with the next claim
                raise
        # One statement, one trip to the database. The claim's time is noted first: a caller cancelled
        # while the statement runs cannot tell whether it was recorded, and `release` needs the time.
        self._claims[(conversation_id, activity_id)] = now
        claimed = await self._executor.execute(_CLAIM, conversation_id, activity_id, now, False)
        if claimed == 1:
            return False
        del self._claims[(conversation_id, activity_id)]  # not ours (yet): only a takeover makes it ours
        # Claimed before: take the claim over only when it is still in progress and its lease has run
        # out. The condition is checked and the row changed in one statement, so of two replicas
        # taking over at once one wins.
        taken_over = await self._executor.execute(
            "UPDATE processed_activities SET claimed_at = $3 "
            "WHERE conversation_id = $1 AND activity_id = $2 AND done = $4 AND claimed_at < $5",
            conversation_id,
            activity_id,
            now,
            False,
            now - self._lease,
        )
        if taken_over == 1:
            self._claims[(conversation_id, activity_id)] = now
            logger.warning(
                "activity was claimed by a replica that did not finish it within %.0f s; processing it here",
                self._lease.total_seconds(),
                extra={
                    "activity_id": activity_id,
                    "conversation_id": conversation_id,
                    "event": "dedupe.takeover",
                },
            )
            return False
        return True

    async def finished(self, conversation_id: str, activity_id: str) -> None:
        """Queue the claim's "done" mark (written with the next claim, or at `close()`)."""
        self._claims.pop((conversation_id, activity_id), None)
        self._done.append((conversation_id, activity_id))

    async def release(self, conversation_id: str, activity_id: str) -> None:
        """Delete this replica's claim of an activity whose turn was cancelled, so the channel's retry is
        processed instead of being taken for a turn still running. Only the claim made here, still in
        progress, is deleted (a claim another replica took over since has another time). On SQLite the
        DELETE runs after the cancelled INSERT, on the single-statement connection's one thread; on PostgreSQL a cancelled
        INSERT that commits after the DELETE leaves the claim, which then expires with its lease."""
        claimed_at = self._claims.pop((conversation_id, activity_id), None)
        if claimed_at is None:
            return
        await self._executor.execute(
            "DELETE FROM processed_activities "
            "WHERE conversation_id = $1 AND activity_id = $2 AND claimed_at = $3 AND done = $4",
            conversation_id,
            activity_id,
            claimed_at,
            False,
        )

    async def flush(self) -> None:
        """Write the queued "done" marks now."""
        done, self._done = self._done, []
        if not done:
            return
        try:
            async with self._executor.transaction() as tx:
                await self._mark_done(tx, done)
        except BaseException:
            self._done[:0] = done
            raise

    async def close(self) -> None:
        """Flush the queued marks (call before the database closes)."""
        await self.flush()

    @staticmethod
    async def _mark_done(tx: Tx, done: list[tuple[str, str]]) -> None:
        for start in range(0, len(done), _MARKS_PER_STATEMENT):
            chunk = done[start : start + _MARKS_PER_STATEMENT]
            rows = ", ".join(f"(${2 * i + 2}, ${2 * i + 3})" for i in range(len(chunk)))
            # Only numbered placeholders are formatted in; the values are bound.
            sql = f"UPDATE processed_activities SET done = $1 WHERE (conversation_id, activity_id) IN (VALUES {rows})"  # noqa: S608
            await tx.execute(
                sql,
                True,
                *(value for pair in chunk for value in pair),
            )

    async def turn_finished(self, context: TurnContext) -> None:
        """`ConflictRetryingBot`'s `on_finished` hook: mark this turn's activity done."""
        activity = context.activity
        if activity.id and activity.conversation and activity.conversation.id:
            await self.finished(activity.conversation.id, activity.id)

    async def purge(self, now: datetime | None = None) -> int:
        """Delete claims older than `keep_seconds`; the number deleted."""
        cutoff = (now or self._clock()) - self._keep
        removed = await self._executor.execute(
            "DELETE FROM processed_activities WHERE claimed_at < $1", cutoff
        )
        if removed:
            logger.info("purged %d processed-activity ids", removed)
        return removed

    async def _maybe_purge(self, now: datetime) -> None:
        tick = self._monotonic()
        if tick < self._next_purge:
            return
        self._next_purge = tick + self._purge_every
        await self.purge(now)
