"""`SqlDeduplicator`: one claim per activity across replicas, takeover of a dead replica's claim, purge."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.turn.sql_dedupe import SqlDeduplicator
from nwow.storage import Database, open_database
from tests.replicas.databases import fresh_database

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class Clock:
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


def _dedupe(database: Database, clock: Clock) -> SqlDeduplicator:
    return SqlDeduplicator(
        database.executor,
        lease_seconds=60,
        keep_seconds=3600,
        purge_every_seconds=300,
        clock=lambda: clock.now,
        monotonic=lambda: clock.ticks,
    )


async def test_of_two_replicas_receiving_one_activity_exactly_one_processes_it(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    replicas = [_dedupe(databases[0], clock), _dedupe(databases[1], clock)]
    for number in range(20):
        seen = await asyncio.gather(*(r.seen_before("conv", f"act-{number}") for r in replicas))
        assert sorted(seen) == [False, True]
    assert await replicas[0].seen_before("other-conv", "act-0") is False


async def test_a_claim_left_by_a_dead_replica_is_taken_over_after_the_lease(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    dead, alive = _dedupe(databases[0], clock), _dedupe(databases[1], clock)
    assert await dead.seen_before("conv", "finished") is False
    await dead.finished("conv", "finished")  # queued, written with the next claim:
    assert await dead.seen_before("conv", "in-flight") is False  # then the replica is killed
    clock.advance(30)
    assert await alive.seen_before("conv", "in-flight") is True  # still within the lease: a duplicate
    clock.advance(31)
    assert await alive.seen_before("conv", "in-flight") is False  # the channel's retry is processed
    assert await alive.seen_before("conv", "in-flight") is True
    assert await alive.seen_before("conv", "finished") is True  # done claims never expire into a redo


async def test_old_claims_are_purged(databases: tuple[Database, Database]) -> None:
    clock = Clock()
    dedupe = _dedupe(databases[0], clock)
    assert await dedupe.seen_before("conv", "old") is False
    await dedupe.finished("conv", "old")
    await dedupe.close()
    clock.advance(3000)
    assert await dedupe.seen_before("conv", "recent") is False
    clock.advance(700)  # "old" is now 3700 s old, "recent" 700 s; the purge runs on this call
    assert await dedupe.seen_before("conv", "new") is False
    async with databases[0].executor.transaction(write=False) as tx:
        rows = await tx.fetch("SELECT activity_id FROM processed_activities ORDER BY activity_id")
    assert [r[0] for r in rows] == ["new", "recent"]


async def test_done_marks_are_written_with_a_later_claim_at_most_every_second_or_at_close(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    dedupe = _dedupe(databases[0], clock)

    async def done_ids() -> list[str]:
        async with databases[1].executor.transaction(write=False) as tx:
            rows = await tx.fetch(
                "SELECT activity_id FROM processed_activities WHERE done = $1 ORDER BY activity_id", True
            )
        return [r[0] for r in rows]

    async def turn(activity_id: str) -> None:
        assert await dedupe.seen_before("conv", activity_id) is False
        await dedupe.finished("conv", activity_id)

    await turn("a0")
    await turn("a1")  # writes a0's mark
    clock.advance(0.5)
    await turn("a2")  # a1's mark waits: the last write was half a second ago
    assert await done_ids() == ["a0"]
    clock.advance(1.0)
    await turn("a3")  # writes a1 and a2
    assert await done_ids() == ["a0", "a1", "a2"]
    await dedupe.close()
    assert await done_ids() == ["a0", "a1", "a2", "a3"]


async def test_a_claim_whose_request_was_cancelled_is_released_and_the_retry_is_processed(
    databases: tuple[Database, Database],
) -> None:
    """Cancelled at any point of `seen_before` (or of the turn after it), then released as the endpoint
    does: the channel's retry, to either replica, is processed, not taken for a turn still running."""
    clock = Clock()
    here, other = _dedupe(databases[0], clock), _dedupe(databases[1], clock)
    for steps in range(14):
        activity = f"cancelled-{steps}"
        task = asyncio.create_task(here.seen_before("conv", activity))
        for _ in range(steps):
            await asyncio.sleep(0)  # let the task run this many event-loop steps, then cancel it
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await here.release("conv", activity)
        retry_to = other if steps % 2 else here
        assert await retry_to.seen_before("conv", activity) is False, f"cancelled after {steps} steps"


async def test_release_leaves_a_finished_claim_and_another_replicas_takeover_alone(
    databases: tuple[Database, Database],
) -> None:
    clock = Clock()
    here, other = _dedupe(databases[0], clock), _dedupe(databases[1], clock)
    assert await here.seen_before("conv", "done") is False
    await here.finished("conv", "done")
    await here.release("conv", "done")  # finished: nothing to release
    await here.flush()
    assert await other.seen_before("conv", "done") is True

    assert await here.seen_before("conv", "slow") is False
    clock.advance(61)  # the lease ran out: another replica takes the claim over
    assert await other.seen_before("conv", "slow") is False
    await here.release("conv", "slow")  # the late release must not delete the takeover's claim
    assert await here.seen_before("conv", "slow") is True
