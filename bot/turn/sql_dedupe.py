"""Recognise a repeated activity across every replica, in the shared database, and never acknowledge a
delivery that nobody will process.

`SqlDeduplicator` implements `bot.turn.dedupe.ActivityDeduplicator` on the `processed_activities` table
(primary key (conversation_id, activity_id); schema migrations 2 and 3). The design, and why, is in
docs/scale-out.md ("Activities delivered twice, to any replica"); in short:

- `seen_before` claims the id with one `INSERT ... ON CONFLICT DO NOTHING` (atomic on SQLite and
  PostgreSQL alike): of the replicas that receive one activity at once exactly one processes it. The
  claim names its owner (this process) and holds a *lease* that ends `lease_seconds` later on the
  database's clock.
- While the turn runs, this process renews the lease of its claims (the heartbeat task, every
  `heartbeat_seconds`; a claim is renewed once a third of its lease has passed, so a turn shorter than
  that costs no renewal). When the turn is over, the claim is marked done (the marks are queued and
  written by the heartbeat, one UPDATE for all).
- Another delivery of the activity finds the claim and is
  - acknowledged (True) when the claim is done;
  - answered "retry later" (`ActivityInProgress`, the endpoint's 503 + Retry-After) while the claim is in
    progress and its lease has not run out: its owner is alive and working on it. A 2xx here would be
    data loss if that owner died before finishing;
  - processed (a takeover, compare-and-set on the expired lease) once the lease has run out: its owner
    died (SIGKILL, a lost node) or lost its database, and no longer renews it.
- Copies of an activity that arrive at this process while it is claiming or running it wait for that
  (at most `local_wait_seconds`) and get the same answer, without another trip to the database: ten
  concurrent copies make one turn and ten 2xx.
- Every lease decision compares `lease_until` with the database's clock in the statement that reads
  it (`Executor.clock_sql`), so the replicas' own clocks may disagree; the local monotonic clock only
  measures how long ago this process renewed.

A turn whose claim was taken over (`taken_over`) may have been saved by the replica that died:
`ConflictRetryingBot` then sends the turn's saved replies (bot/turn/saved_replies.py) instead of running it
again. The saved replies of finished turns are deleted with their done marks.

A request cancelled after its claim (shutdown, a client gone) calls `release`, which ends the claim's lease
now (and lets local copies claim it again), so the channel's retry is processed at once, as a takeover.
Claims older than `keep_seconds` are purged by the heartbeat (at most every `purge_every_seconds`; one
indexed DELETE), and saved replies left behind with them.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Final, TypeVar

from botbuilder.core import TurnContext

from bot.turn.dedupe import ActivityInProgress
from bot.turn.saved_replies import REPLIES_PREFIX, replies_key
from nwow.storage.sql import Executor
from nwow.tasks import stop_task

__all__ = ["SqlDeduplicator"]

logger = logging.getLogger(__name__)

Key = tuple[str, str]
T = TypeVar("T")

# Bound parameters per statement listing claims (SQLite allows 32,766; PostgreSQL 65,535).
_KEYS_PER_STATEMENT: Final = 400
# The longest Retry-After asked of the channel for an activity still in progress.
_MAX_RETRY_AFTER: Final = 5

# Which request (endpoint call) is running: set by `seen_before` in the request's context.
_REQUEST: ContextVar[object] = ContextVar("nwow_dedupe_request", default=None)


class _Verdict(Enum):
    PROCESS = "process"  # claimed (or taken over) here: run the turn
    DONE = "done"  # processed before: acknowledge
    BUSY = "busy"  # in progress under a live lease: retry later
    FAILED = "failed"  # the claim could not be decided (database error, cancelled): retry later


@dataclass(eq=False)
class _Claim:
    """An activity this process is deciding about, or running the turn of."""

    claimed_at: datetime
    renewed: float  # monotonic time the lease was last set (the statement's sending, conservatively)
    started: float
    decided: asyncio.Future[tuple[_Verdict, int]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    # The request that made the claim (`_REQUEST`): only it may release it (a cancelled copy must not).
    request: object = None
    processing: bool = False
    released: bool = False
    renewing: bool = True  # False once past max_turn_seconds, or once another replica took it over


def _values(count: int, first: int) -> str:
    """`($first, $first+1), ...` for `count` (conversation id, activity id) pairs; placeholders only."""
    return ", ".join(f"(${first + 2 * i}, ${first + 2 * i + 1})" for i in range(count))


def _chunks(items: Sequence[T]) -> list[Sequence[T]]:
    return [items[i : i + _KEYS_PER_STATEMENT] for i in range(0, len(items), _KEYS_PER_STATEMENT)]


class SqlDeduplicator:
    """Claims of (conversation_id, activity_id) in the shared database, with leases renewed by their owner.

    Call `start()` once the event loop runs (starts the heartbeat) and `close()` before the database
    closes (stops it and writes the queued done marks). `clock_offset` is added to the database's clock
    in every lease comparison: tests move time with it; it is 0 in production.
    """

    def __init__(
        self,
        executor: Executor,
        *,
        lease_seconds: float = 10.0,
        heartbeat_seconds: float = 1.0,
        max_turn_seconds: float = 60.0,
        local_wait_seconds: float = 10.0,
        keep_seconds: float = 24 * 3600.0,
        purge_every_seconds: float = 600.0,
        owner: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
        clock_offset: Callable[[], float] = lambda: 0.0,
    ) -> None:
        if not 0 < heartbeat_seconds < lease_seconds / 3:
            raise ValueError("need 0 < heartbeat_seconds < lease_seconds / 3 (a lease is renewed at 1/3)")
        if not lease_seconds < max_turn_seconds < keep_seconds or purge_every_seconds <= 0:
            raise ValueError("need lease < max_turn < keep seconds, and purge_every_seconds > 0")
        if local_wait_seconds <= 0:
            raise ValueError("local_wait_seconds must be positive")
        self._executor = executor
        self._lease = float(lease_seconds)
        self._renew_after = lease_seconds / 3
        self._heartbeat_every = heartbeat_seconds
        self._max_turn = max_turn_seconds
        self._local_wait = local_wait_seconds
        self._keep = timedelta(seconds=keep_seconds)
        self._purge_every = purge_every_seconds
        self.owner = owner or f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"
        self._clock = clock
        self._monotonic = monotonic
        self._offset = clock_offset
        self._next_purge = monotonic() + purge_every_seconds
        self._local: dict[Key, _Claim] = {}
        # Claims whose INSERT was cancelled in flight (with the request that made them): recorded or not,
        # `release` ends them.
        self._unsure: dict[Key, tuple[datetime, object]] = {}
        self._done: list[Key] = []  # finished here, "done" mark not yet written
        self._done_keys: set[Key] = set()
        self._taken_over: set[Key] = set()  # claims taken over here whose turn has not finished
        self._heartbeat: asyncio.Task[None] | None = None
        # The database clock's SQL is the only thing formatted into these statements (a constant of the
        # executor, never a value); every value is bound.
        now_sql = executor.clock_sql
        self._claim_sql = (
            "INSERT INTO processed_activities "  # noqa: S608
            "(conversation_id, activity_id, claimed_at, done, owner, lease_until) "
            f"VALUES ($1, $2, $3, $4, $5, {now_sql} + $6) "
            "ON CONFLICT (conversation_id, activity_id) DO NOTHING"
        )
        self._look_sql = (
            f"SELECT done, owner, lease_until - ({now_sql} + $3) FROM processed_activities "  # noqa: S608
            "WHERE conversation_id = $1 AND activity_id = $2"
        )
        self._take_over_sql = (
            f"UPDATE processed_activities SET owner = $3, lease_until = {now_sql} + $4, claimed_at = $5 "  # noqa: S608
            "WHERE conversation_id = $1 AND activity_id = $2 AND done = $6 "
            f"AND (lease_until IS NULL OR lease_until < {now_sql} + $7)"
        )
        self._now_sql = now_sql

    # --- the endpoint's questions ------------------------------------------------------------------

    async def seen_before(self, conversation_id: str, activity_id: str) -> bool:
        """False: process it (claimed here). True: processed before, acknowledge. Raises
        `ActivityInProgress` while its turn runs elsewhere under a live lease."""
        key = (conversation_id, activity_id)
        # This request's mark, in the request's context: `release`, called later by the same request (even
        # from a task it starts, e.g. under asyncio.shield, which copies the context), finds it there.
        _REQUEST.set(object())
        while True:
            if key in self._done_keys:
                return True  # finished here; the mark is queued
            local = self._local.get(key)
            if local is None:
                return await self._claim(key)
            # A copy of an activity this process is deciding about or running: its answer, once known.
            verdict, retry_after = await asyncio.shield(local.decided)
            if verdict is _Verdict.DONE:
                return True
            if verdict is not _Verdict.PROCESS:
                raise ActivityInProgress(retry_after)
            try:
                async with asyncio.timeout(self._local_wait):
                    await local.ended.wait()
            except TimeoutError:
                raise ActivityInProgress(_MAX_RETRY_AFTER) from None
            if not local.released:
                return True  # the turn ran to its end here
            # That turn was cancelled and its claim released: claim it again for this copy.

    async def finished(self, conversation_id: str, activity_id: str) -> None:
        """The turn is over: queue the claim's "done" mark (written by the heartbeat, or at `close()`)."""
        key = (conversation_id, activity_id)
        self._unsure.pop(key, None)
        self._taken_over.discard(key)
        claim = self._local.pop(key, None)
        if key not in self._done_keys:
            self._done.append(key)
            self._done_keys.add(key)
        if claim is not None:
            claim.ended.set()

    async def release(self, conversation_id: str, activity_id: str) -> None:
        """End the lease of this process's claim of an activity whose turn was cancelled, so the channel's
        retry is processed at once (as a takeover: the cancelled turn may have saved its state) instead of
        being taken for a turn still running. Only a claim made by the calling request (the context
        `seen_before` ran in), still in progress, is changed: one another replica took over since has another owner, and
        a copy's cancelled request leaves the turn it waited for alone.

        It is an upsert: when `seen_before` was cancelled during its INSERT, that INSERT may reach the
        database before or after this statement (PostgreSQL: on another pooled connection); either way
        the claim ends up released, since a later INSERT of the same id does nothing."""
        key = (conversation_id, activity_id)
        request = _REQUEST.get()
        claim = self._local.get(key)
        if claim is not None and claim.processing and claim.request is request:
            claimed_at = claim.claimed_at
        elif key in self._unsure and self._unsure[key][1] is request:
            claimed_at, _ = self._unsure.pop(key)
        else:
            return  # not claimed by this request (a copy of it, whose request was cancelled, waited)
        self._taken_over.discard(key)
        try:
            await self._executor.execute(
                "INSERT INTO processed_activities "
                "(conversation_id, activity_id, claimed_at, done, owner, lease_until) "
                "VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (conversation_id, activity_id) DO UPDATE "
                "SET lease_until = NULL WHERE processed_activities.owner = $5 "
                "AND processed_activities.claimed_at = $3 AND processed_activities.done = $4",
                conversation_id,
                activity_id,
                claimed_at,
                False,
                self.owner,
            )
        finally:
            if claim is not None and self._local.get(key) is claim:
                del self._local[key]
                claim.released = True
                claim.ended.set()

    def taken_over(self, context: TurnContext) -> bool:
        """Whether this turn's activity was claimed before by a replica that did not finish it (its lease
        ran out, or it was released after a cancelled turn): `ConflictRetryingBot`'s `redelivered`."""
        activity = context.activity
        if not activity.id or not activity.conversation or not activity.conversation.id:
            return False
        return self.is_taken_over(activity.conversation.id, activity.id)

    def is_taken_over(self, conversation_id: str, activity_id: str) -> bool:
        return (conversation_id, activity_id) in self._taken_over

    async def turn_finished(self, context: TurnContext) -> None:
        """`ConflictRetryingBot`'s `on_finished` hook: mark this turn's activity done."""
        activity = context.activity
        if activity.id and activity.conversation and activity.conversation.id:
            await self.finished(activity.conversation.id, activity.id)

    # --- claiming ----------------------------------------------------------------------------------

    async def _claim(self, key: Key) -> bool:
        tick = self._monotonic()
        claim = _Claim(claimed_at=self._clock(), renewed=tick, started=tick, request=_REQUEST.get())
        self._local[key] = claim  # before any await: copies arriving meanwhile wait for this decision
        try:
            verdict, retry_after = await self._decide(key, claim)
        except asyncio.CancelledError:
            self._unsure[key] = (claim.claimed_at, claim.request)  # recorded or not: `release` ends it
            self._settle(key, claim, _Verdict.FAILED, 1)
            raise
        except BaseException:
            self._settle(key, claim, _Verdict.FAILED, 1)
            raise
        if verdict is _Verdict.PROCESS:
            claim.processing = True
            claim.decided.set_result((verdict, 0))
            return False
        self._settle(key, claim, verdict, retry_after)
        if verdict is _Verdict.DONE:
            return True
        raise ActivityInProgress(retry_after)

    def _settle(self, key: Key, claim: _Claim, verdict: _Verdict, retry_after: int) -> None:
        """A claim that will not run a turn here: tell the waiting copies, forget it."""
        if not claim.decided.done():
            claim.decided.set_result((verdict, retry_after))
        if self._local.get(key) is claim:
            del self._local[key]
        claim.ended.set()

    async def _decide(self, key: Key, claim: _Claim) -> tuple[_Verdict, int]:
        conversation_id, activity_id = key
        for _ in range(3):
            inserted = await self._executor.execute(
                self._claim_sql,
                conversation_id,
                activity_id,
                claim.claimed_at,
                False,
                self.owner,
                self._offset() + self._lease,
            )
            if inserted == 1:
                return _Verdict.PROCESS, 0
            rows = await self._executor.fetch(self._look_sql, conversation_id, activity_id, self._offset())
            if not rows:
                continue  # released or purged since: claim it again
            done, previous_owner, remaining = rows[0]
            if done:
                return _Verdict.DONE, 0
            if remaining is not None and remaining > 0:
                return _Verdict.BUSY, max(1, min(math.ceil(remaining), _MAX_RETRY_AFTER))
            taken = await self._executor.execute(
                self._take_over_sql,
                conversation_id,
                activity_id,
                self.owner,
                self._offset() + self._lease,
                claim.claimed_at,
                False,
                self._offset(),
            )
            if taken == 1:
                self._taken_over.add(key)
                logger.warning(
                    "activity claimed by %s, whose lease ran out unfinished; processing it here",
                    previous_owner or "an earlier version",
                    extra={
                        "activity_id": activity_id,
                        "conversation_id": conversation_id,
                        "event": "dedupe.takeover",
                    },
                )
                return _Verdict.PROCESS, 0
            # Another replica took it over or finished it a moment ago: look again.
        return _Verdict.BUSY, 1

    # --- the heartbeat -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the heartbeat (renews leases, writes done marks, purges old claims)."""
        if self._heartbeat is None:
            self._heartbeat = asyncio.create_task(self._beat_forever(), name="dedupe-heartbeat")

    async def close(self) -> None:
        """Stop the heartbeat and write the queued marks (call before the database closes)."""
        if self._heartbeat is not None:
            await stop_task(self._heartbeat)
            self._heartbeat = None
        await self.flush()

    async def beat(self) -> None:
        """One heartbeat: write the queued done marks, renew the leases that need it, purge if due."""
        await self.flush()
        await self.renew()
        if self._monotonic() >= self._next_purge:
            self._next_purge = self._monotonic() + self._purge_every
            await self.purge()

    async def _beat_forever(self) -> None:
        failures = 0
        while True:
            await asyncio.sleep(self._heartbeat_every)
            try:
                await self.beat()
            except Exception as exc:
                failures += 1
                if failures == 1 or failures % 30 == 0:
                    logger.warning(
                        "activity-claim heartbeat failed (%d in a row): %s",
                        failures,
                        type(exc).__name__,
                        extra={"event": "dedupe.heartbeat_failed"},
                    )
            else:
                failures = 0

    async def flush(self) -> None:
        """Write the queued "done" marks now."""
        done, self._done = self._done, []
        written = 0
        try:
            for chunk in _chunks(done):
                # Only numbered placeholders are formatted in; the values are bound.
                await self._executor.execute(
                    "UPDATE processed_activities SET done = $1 "  # noqa: S608
                    f"WHERE (conversation_id, activity_id) IN (VALUES {_values(len(chunk), 2)})",
                    True,
                    *(value for pair in chunk for value in pair),
                )
                # The saved replies of finished turns are no longer needed (bot/turn/saved_replies.py).
                placeholders = ", ".join(f"${n}" for n in range(1, len(chunk) + 1))
                await self._executor.execute(
                    f"DELETE FROM kv WHERE key IN ({placeholders})",  # noqa: S608
                    *(replies_key(*pair) for pair in chunk),
                )
                written += len(chunk)
                self._done_keys.difference_update(chunk)
        except BaseException:
            self._done[:0] = done[written:]  # not written: again with the next heartbeat
            raise

    async def renew(self) -> None:
        """Extend the lease of every claim of a turn still running here whose lease is a third gone."""
        tick = self._monotonic()
        due: list[tuple[Key, _Claim]] = []
        for key, claim in list(self._local.items()):  # (a copy: the awaits below let turns end)
            if not (claim.processing and claim.renewing) or tick - claim.renewed < self._renew_after:
                continue
            if tick - claim.started > self._max_turn:
                claim.renewing = False
                logger.warning(
                    "turn still running after %.0f s: its claim is no longer renewed, so a redelivery "
                    "will be processed by any replica",
                    self._max_turn,
                    extra={"activity_id": key[1], "conversation_id": key[0], "event": "dedupe.abandoned"},
                )
                continue
            due.append((key, claim))
        for chunk in _chunks(due):
            sent = self._monotonic()
            # Only numbered placeholders are formatted in; the values are bound.
            rows = await self._executor.fetch(
                f"UPDATE processed_activities SET lease_until = {self._now_sql} + $1 "  # noqa: S608
                "WHERE owner = $2 AND done = $3 "
                f"AND (conversation_id, activity_id) IN (VALUES {_values(len(chunk), 4)}) "
                "RETURNING conversation_id, activity_id",
                self._offset() + self._lease,
                self.owner,
                False,
                *(value for due_key, _ in chunk for value in due_key),
            )
            renewed = {(str(row[0]), str(row[1])) for row in rows}
            for key, claim in chunk:
                if key in renewed:
                    claim.renewed = sent
                else:
                    claim.renewing = False
                    logger.warning(
                        "the claim of a running turn was taken over by another replica (its lease ran out)",
                        extra={
                            "activity_id": key[1],
                            "conversation_id": key[0],
                            "event": "dedupe.lease_lost",
                        },
                    )

    async def purge(self, now: datetime | None = None) -> int:
        """Delete claims older than `keep_seconds`; the number deleted."""
        cutoff = (now or self._clock()) - self._keep
        removed = await self._executor.execute(
            "DELETE FROM processed_activities WHERE claimed_at < $1", cutoff
        )
        await self._executor.execute(
            "DELETE FROM kv WHERE key LIKE $1 AND updated_at < $2", REPLIES_PREFIX + "%", cutoff
        )
        if removed:
            logger.info("purged %d processed-activity ids", removed)
        return removed
