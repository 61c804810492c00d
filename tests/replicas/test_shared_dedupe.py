"""`SqlDeduplicator` on a real database, two replicas' connections to it: one claim per activity, "retry
later" while the owner is alive, takeover once its lease has run out, renewal by a live owner, done
marks, release, purge. Time moves with an offset on the database's clock (`clock_offset`) and a fake
monotonic clock; the heartbeat is driven by hand (`beat()`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.turn.dedupe import ActivityInProgress
from bot.turn.sql_dedupe import SqlDeduplicator
from nwow.storage import Database, open_database
from tests.replicas.databases import fresh_database

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LEASE = 10.0
LEASE_RETRY_AFTER = 5  # a fresh lease has more than 5 s left: the longest Retry-After is asked


class Clock:
    """Wall clock, monotonic clock and the database clock's offset, moved together."""

    def __init__(self) -> None:
        self.now = START
        self.ticks = 0.0

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.ticks += seconds


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def databases(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[Database, Database]]:
    """Two replicas' connections to one database."""
    async with fresh_database(request.param, tmp_path) as url:
        first = await open_database(url)
        second = await open_database(url)
        try:
            yield first, second
        finally:
            await second.close()
            await first.close()


def _dedupe(database: Database, clock: Clock, name: str) -> SqlDeduplicator:
    return SqlDeduplicator(
        database.executor,
        lease_seconds=LEASE,
        heartbeat_seconds=1,
        max_turn_seconds=60,
        local_wait_seconds=5,
        keep_seconds=3600,
        purge_every_seconds=300,
        owner=name,
        clock=lambda: clock.now,
        monotonic=lambda: clock.ticks,
        clock_offset=lambda: clock.ticks,
    )


async def _busy(dedupe: SqlDeduplicator, activity_id: str) -> int:
    """The Retry-After of a delivery answered "still in progress" (fails if it is answered otherwise)."""
    with pytest.raises(ActivityInProgress) as busy:
        await dedupe.seen_before("conv", activity_id)
    return busy.value.retry_after


async def _exactly_one_processes(replicas: list[SqlDeduplicator], activity_id: str) -> None:
    """Deliver `activity_id` to every replica at once: one processes it, the others are told to retry."""
    outcomes = await asyncio.gather(
        *(r.seen_before("conv", activity_id) for r in replicas), return_exceptions=True
    )
    assert outcomes.count(False) == 1, outcomes
    others = [o for o in outcomes if o is not False]
    assert all(isinstance(o, ActivityInProgress) and o.retry_after == LEASE_RETRY_AFTER for o in others)


async def test_of_two_replicas_receiving_one_activity_exactly_one_processes_it(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    replicas = [_dedupe(databases[0], clock, "a"), _dedupe(databases[1], clock, "b")]
    for number in range(20):
        await _exactly_one_processes(replicas, f"act-{number}")
    assert await replicas[0].seen_before("other-conv", "act-0") is False


async def test_a_redelivery_while_the_owner_is_alive_is_asked_to_retry_and_acknowledged_once_done(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    owner, other = _dedupe(databases[0], clock, "owner"), _dedupe(databases[1], clock, "other")
    assert await owner.seen_before("conv", "slow") is False
    for _ in range(12):  # a turn slower than the lease; the owner's heartbeat renews it
        clock.advance(1)
        await owner.beat()
        assert await _busy(other, "slow") >= 1  # never acknowledged while unfinished, never taken over
    await owner.finished("conv", "slow")
    assert await owner.seen_before("conv", "slow") is True  # done here, mark still queued
    assert await _busy(other, "slow") >= 1  # the other replica cannot know yet
    await owner.beat()  # writes the mark
    assert await other.seen_before("conv", "slow") is True


async def test_a_claim_left_by_a_dead_replica_is_taken_over_once_its_lease_runs_out(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    dead, alive = _dedupe(databases[0], clock, "dead"), _dedupe(databases[1], clock, "alive")
    assert await dead.seen_before("conv", "finished") is False
    await dead.finished("conv", "finished")
    await dead.beat()  # its mark is written
    assert await dead.seen_before("conv", "in-flight") is False
    assert await dead.seen_before("conv", "finished-unmarked") is False
    await dead.finished("conv", "finished-unmarked")  # queued: then the replica is killed, no heartbeat
    clock.advance(LEASE - 1)
    assert await _busy(alive, "in-flight") == 1
    assert await _busy(alive, "finished-unmarked") == 1
    clock.advance(1.5)
    assert await alive.seen_before("conv", "in-flight") is False  # the channel's retry is processed
    assert await alive.seen_before("conv", "finished-unmarked") is False  # processed again: idempotent
    third = _dedupe(databases[0], clock, "third")
    assert await _busy(third, "in-flight") >= 1  # and now held by the survivor's live lease
    assert await alive.seen_before("conv", "finished") is True  # a done claim never expires into a redo


async def test_of_two_replicas_taking_over_one_expired_claim_exactly_one_processes_it(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    dead = _dedupe(databases[0], clock, "dead")
    survivors = [_dedupe(databases[0], clock, "b"), _dedupe(databases[1], clock, "c")]
    for number in range(10):
        assert await dead.seen_before("conv", f"orphan-{number}") is False
    clock.advance(LEASE + 1)
    for number in range(10):
        await _exactly_one_processes(survivors, f"orphan-{number}")


async def test_ten_copies_at_one_replica_wait_for_its_turn_and_are_acknowledged(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    here = _dedupe(databases[0], clock, "here")
    first = await here.seen_before("conv", "copied")
    copies = [asyncio.create_task(here.seen_before("conv", "copied")) for _ in range(9)]
    await asyncio.sleep(0)
    assert first is False and not any(copy.done() for copy in copies)  # waiting for the turn's end
    await here.finished("conv", "copied")
    assert await asyncio.gather(*copies) == [True] * 9


async def test_copies_of_a_cancelled_turn_claim_it_again_and_one_of_them_runs_it(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    here = _dedupe(databases[0], clock, "here")
    assert await here.seen_before("conv", "cancelled") is False
    copies = [asyncio.create_task(here.seen_before("conv", "cancelled")) for _ in range(3)]
    await asyncio.sleep(0)
    await here.release("conv", "cancelled")  # the first delivery's request was cancelled mid-turn
    done, waiting = await asyncio.wait(copies, return_when=asyncio.FIRST_COMPLETED)
    [runner] = done
    assert runner.result() is False  # one copy runs the turn, as a takeover (the cancelled turn may
    assert here.is_taken_over("conv", "cancelled")  # have saved its state: its outbox is looked at)
    await here.finished("conv", "cancelled")
    assert await asyncio.gather(*waiting) == [True, True]  # the other copies waited for it


async def test_a_copy_whose_request_is_cancelled_leaves_the_running_turns_claim_alone(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    here, other = _dedupe(databases[0], clock, "here"), _dedupe(databases[1], clock, "other")
    assert await here.seen_before("conv", "running") is False

    async def copy_whose_client_goes_away() -> None:
        try:
            await here.seen_before("conv", "running")
        finally:  # what the endpoint does when the request is cancelled
            await asyncio.shield(here.release("conv", "running"))

    copy = asyncio.create_task(copy_whose_client_goes_away())
    await asyncio.sleep(0)
    copy.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await copy
    assert await _busy(other, "running") >= 1  # the turn's lease still holds: no takeover elsewhere
    await here.finished("conv", "running")
    assert await here.seen_before("conv", "running") is True


async def test_a_turn_running_past_the_longest_turn_stops_being_renewed(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    stuck, other = _dedupe(databases[0], clock, "stuck"), _dedupe(databases[1], clock, "other")
    assert await stuck.seen_before("conv", "hung") is False
    for _ in range(60):
        clock.advance(1)
        await stuck.beat()
    assert await _busy(other, "hung") >= 1  # renewed for a minute
    for _ in range(int(LEASE) + 1):
        clock.advance(1)
        await stuck.beat()
    assert await other.seen_before("conv", "hung") is False  # then left to lapse, and taken over


async def test_old_claims_are_purged(databases: tuple[Database, Database]) -> None:
    clock = Clock()
    dedupe = _dedupe(databases[0], clock, "a")
    assert await dedupe.seen_before("conv", "old") is False
    await dedupe.finished("conv", "old")
    await dedupe.close()
    clock.advance(3000)
    assert await dedupe.seen_before("conv", "recent") is False
    clock.advance(700)  # "old" is now 3700 s old, "recent" 700 s; the heartbeat purges
    await dedupe.beat()
    assert await dedupe.seen_before("conv", "new") is False
    rows = await databases[0].executor.fetch(
        "SELECT activity_id FROM processed_activities ORDER BY activity_id"
    )
    assert [r[0] for r in rows] == ["new", "recent"]


async def test_done_marks_are_written_by_the_heartbeat_or_at_close(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    dedupe = _dedupe(databases[0], clock, "a")

    async def done_ids() -> list[str]:
        rows = await databases[1].executor.fetch(
            "SELECT activity_id FROM processed_activities WHERE done = $1 ORDER BY activity_id", True
        )
        return [r[0] for r in rows]

    for number in range(3):
        assert await dedupe.seen_before("conv", f"a{number}") is False
        await dedupe.finished("conv", f"a{number}")
    assert await done_ids() == []  # the turn path writes only the claim
    await dedupe.beat()
    assert await done_ids() == ["a0", "a1", "a2"]
    assert await dedupe.seen_before("conv", "a3") is False
    await dedupe.finished("conv", "a3")
    await dedupe.close()
    assert await done_ids() == ["a0", "a1", "a2", "a3"]


async def test_a_claim_whose_request_was_cancelled_is_released_and_the_retry_is_processed(
    databases: tuple[Database, Database],
) -> None:
    """Cancelled at any point of `seen_before` (or of the turn after it), then released as the endpoint
    does: the channel's retry, to either replica, is processed, not taken for a turn still running."""
    clock = Clock()
    here, other = _dedupe(databases[0], clock, "here"), _dedupe(databases[1], clock, "other")
    for steps in range(14):
        activity = f"cancelled-{steps}"

        async def request(activity_id: str = activity) -> None:
            """The endpoint's request: claim, run the turn; when cancelled, release (in its own task)."""
            try:
                if not await here.seen_before("conv", activity_id):
                    await asyncio.Event().wait()  # the turn, cancelled before it ends
            except asyncio.CancelledError:
                await asyncio.shield(here.release("conv", activity_id))  # as the endpoint does
                raise

        task = asyncio.create_task(request())
        for _ in range(steps):
            await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        retry_to = other if steps % 2 else here
        assert await retry_to.seen_before("conv", activity) is False, f"cancelled after {steps} steps"


async def test_release_leaves_a_finished_claim_and_another_replicas_takeover_alone(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    here, other = _dedupe(databases[0], clock, "here"), _dedupe(databases[1], clock, "other")
    assert await here.seen_before("conv", "done") is False
    await here.finished("conv", "done")
    await here.release("conv", "done")  # finished: nothing to release
    await here.flush()
    assert await other.seen_before("conv", "done") is True

    assert await here.seen_before("conv", "slow") is False
    clock.advance(LEASE + 1)  # here's heartbeat did not run: the lease ran out, another replica takes over
    assert await other.seen_before("conv", "slow") is False
    await here.release("conv", "slow")  # the late release must not end the takeover's lease
    assert await _busy(here, "slow") >= 1
