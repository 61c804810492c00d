"""Every wait on the database ends: a database that stops answering makes calls fail with DatabaseTimeout
instead of hanging them, and the executor works again once the database answers.

PostgreSQL goes through a TCP proxy that can be told to stall (connections stay open, nothing answers:
tests/harness/stall_proxy.py); SQLite is held up by a statement that runs for ever and by another
connection holding the write lock. No timing is asserted: each call must end (the outer bound only keeps a
hang from hanging the suite), with DatabaseTimeout; the durations are printed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from nwow.feedback.store import Recorded
from nwow.storage import Database, DatabaseTimeout, Deadlines, open_database
from tests.harness.stall_proxy import StallingProxy, proxied_url, upstream_of
from tests.replicas.databases import fresh_postgres_database
from tests.storage.factories import survey

DEADLINES = Deadlines.uniform(1.0)
HANG_GUARD = 30.0  # far past any deadline: only a hang reaches it


async def _times_out(label: str, call: Awaitable[Any]) -> None:
    started = time.perf_counter()
    async with asyncio.timeout(HANG_GUARD):
        with pytest.raises(DatabaseTimeout):
            await call
    print(f"{label}: DatabaseTimeout after {time.perf_counter() - started:.2f} s")


@pytest.fixture
async def stalled_postgres() -> AsyncIterator[tuple[Database, StallingProxy]]:
    async with fresh_postgres_database() as url:
        proxy = await StallingProxy(*upstream_of(url)).start()
        database = await open_database(proxied_url(url, proxy.port), deadlines=DEADLINES)
        try:
            yield database, proxy
        finally:
            proxy.resume()
            await database.close()
            await proxy.close()


@pytest.mark.postgres
async def test_a_stalled_postgresql_fails_every_kind_of_call_within_its_deadline_and_recovers(
    stalled_postgres: tuple[Database, StallingProxy],
) -> None:
    database, proxy = stalled_postgres
    await database.feedback.record_survey(survey("before"))
    proxy.stall()
    await _times_out("ping", database.ping())
    await _times_out("single statement", database.executor.execute("SELECT 1"))
    await _times_out("state read", database.kv.read(["some/key"]))
    await _times_out("state write (transaction)", database.kv.write([("some/key", "{}", None)]))
    await _times_out("survey (transaction)", database.feedback.record_survey(survey("during")))
    calls = [database.executor.fetch("SELECT 1") for _ in range(15)]  # more than the pool holds
    async with asyncio.timeout(HANG_GUARD):
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(outcome, DatabaseTimeout) for outcome in outcomes), outcomes

    proxy.resume()
    async with asyncio.timeout(HANG_GUARD):
        await database.ping()
        assert await database.feedback.record_survey(survey("after")) == Recorded.STORED
        assert len(await database.feedback.surveys_between(datetime(2000, 1, 1, tzinfo=UTC), _future())) >= 2


@pytest.mark.postgres
async def test_opening_a_stalled_postgresql_fails_within_the_connect_deadline() -> None:
    async with fresh_postgres_database() as url:
        proxy = await StallingProxy(*upstream_of(url)).start()
        proxy.stall()
        try:
            await _times_out("open", open_database(proxied_url(url, proxy.port), deadlines=DEADLINES))
        finally:
            await proxy.close()


@pytest.fixture
async def sqlite_database(tmp_path: Path) -> AsyncIterator[tuple[Database, Path]]:
    path = tmp_path / "nwow.sqlite3"
    database = await open_database(f"sqlite:///{path}", deadlines=DEADLINES)
    try:
        yield database, path
    finally:
        await database.close()


_FOREVER = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


async def test_a_sqlite_statement_running_past_its_deadline_is_interrupted_and_the_store_goes_on(
    sqlite_database: tuple[Database, Path],
) -> None:
    database, _ = sqlite_database
    await _times_out("endless query", database.executor.fetch(_FOREVER))
    assert await database.executor.fetch("SELECT 1") == [(1,)]  # the connection's queue moved on

    async def endless_transaction() -> None:
        async with database.executor.transaction() as tx:
            await tx.fetch(_FOREVER)

    await _times_out("endless query in a transaction", endless_transaction())
    assert await database.feedback.record_survey(survey("after")) == Recorded.STORED


async def test_a_sqlite_write_waiting_for_another_process_lock_fails_within_its_deadline(
    sqlite_database: tuple[Database, Path],
) -> None:
    database, path = sqlite_database
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process's writer, holding the lock
        await _times_out("survey while locked", database.feedback.record_survey(survey("locked")))
        await _times_out("state write while locked", database.kv.write([("k", "{}", None)]))
        assert await database.executor.fetch("SELECT 1") == [(1,)]  # reads go on (WAL)
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert await database.feedback.record_survey(survey("unlocked")) == Recorded.STORED


def _future() -> datetime:
    return datetime(2100, 1, 1, tzinfo=UTC)
