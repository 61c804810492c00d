"""The single-statement half of the executor API (`Executor.execute` / `Executor.fetch`), on every backend."""

from __future__ import annotations

import asyncio

import pytest

from nwow.storage import Database


class Rollback(Exception):
    pass


async def _table(db: Database) -> None:
    async with db.executor.transaction() as tx:
        await tx.execute("CREATE TABLE probe (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")


async def test_execute_counts_changed_rows_and_fetch_returns_tuples(db: Database) -> None:
    await _table(db)
    assert await db.executor.execute("INSERT INTO probe (k, v) VALUES ($1, $2)", "a", 1) == 1
    assert (
        await db.executor.execute(
            "INSERT INTO probe (k, v) VALUES ($1, $2) ON CONFLICT (k) DO NOTHING", "a", 2
        )
        == 0
    )
    assert await db.executor.execute("UPDATE probe SET v = v + 1 WHERE k = $1", "missing") == 0
    assert await db.executor.fetch("SELECT k, v FROM probe WHERE k IN ($1, $2)", "a", "b") == [("a", 1)]


async def test_a_single_statement_never_joins_another_coroutines_open_transaction(db: Database) -> None:
    """While one coroutine holds a transaction open, a single statement from another one must not become
    part of it: when that transaction rolls back, the single statement's row is still there."""
    await _table(db)
    inside = asyncio.Event()
    release = asyncio.Event()

    async def doomed_transaction() -> None:
        async with db.executor.transaction() as tx:
            await tx.execute("INSERT INTO probe (k, v) VALUES ($1, $2)", "doomed", 1)
            inside.set()
            await release.wait()
            raise Rollback

    task = asyncio.create_task(doomed_transaction())
    await inside.wait()
    single = asyncio.create_task(db.executor.execute("INSERT INTO probe (k, v) VALUES ($1, $2)", "kept", 2))
    # An observation window, not synchronisation: time for the single statement to reach the database
    # (and, were it wrongly routed, to join the open transaction) before that transaction rolls back.
    # Nothing observable marks "issued": on SQLite it then waits for the write lock, on PostgreSQL it ends.
    await asyncio.sleep(0.05)
    release.set()
    with pytest.raises(Rollback):
        await task
    assert await asyncio.wait_for(single, 10) == 1
    assert await db.executor.fetch("SELECT k FROM probe ORDER BY k") == [("kept",)]


async def test_a_single_read_does_not_wait_for_another_coroutines_open_transaction(db: Database) -> None:
    """The turn path's reads go on while a write transaction (a survey, a state save) is open elsewhere."""
    await _table(db)
    await db.executor.execute("INSERT INTO probe (k, v) VALUES ($1, $2)", "a", 1)
    inside = asyncio.Event()
    release = asyncio.Event()

    async def open_transaction() -> None:
        async with db.executor.transaction() as tx:
            await tx.execute("UPDATE probe SET v = 2 WHERE k = $1", "a")
            inside.set()
            await release.wait()

    task = asyncio.create_task(open_transaction())
    await inside.wait()
    try:
        # The last committed value, while the other transaction is still open.
        assert await asyncio.wait_for(db.executor.fetch("SELECT v FROM probe WHERE k = $1", "a"), 5) == [(1,)]
    finally:
        release.set()
        await task
    assert await db.executor.fetch("SELECT v FROM probe WHERE k = $1", "a") == [(2,)]


async def test_a_failing_statement_changes_nothing_and_the_executor_stays_usable(db: Database) -> None:
    await _table(db)
    await db.executor.execute("INSERT INTO probe (k, v) VALUES ($1, $2)", "a", 1)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        await db.executor.execute("INSERT INTO probe (k, v) VALUES ($1, $2), ($3, $4)", "b", 2, "a", 3)
    assert await db.executor.fetch("SELECT k FROM probe ORDER BY k") == [("a",)]
    async with db.executor.transaction() as tx:
        await tx.execute("INSERT INTO probe (k, v) VALUES ($1, $2)", "c", 3)
    assert await db.executor.fetch("SELECT count(*) FROM probe") == [(2,)]
