"""A thin layer over the two SQL drivers: one transaction API, `$n` placeholders on both backends.

SQL is written once with PostgreSQL's `$1, $2, ...` placeholders; on SQLite they become `?1, ?2, ...`
(SQLite's numbered parameters), so the same statement text serves both. Values are always bound, never
formatted into the SQL. SQLite has no timestamp or boolean type: datetimes are stored there as ISO 8601
text in UTC with microseconds (which sorts like time), booleans as 0/1.
"""

from __future__ import annotations

import asyncio
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    import aiosqlite
    import asyncpg

logger = logging.getLogger(__name__)

Backend = Literal["sqlite", "postgresql"]
Row = tuple[Any, ...]

_PLACEHOLDER = re.compile(r"\$(\d+)")


class Tx(Protocol):
    """One open transaction."""

    async def execute(self, sql: str, *args: object) -> int:
        """Run a statement; the number of rows it changed."""
        ...

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        """Run a query; its rows as tuples."""
        ...


class Executor(ABC):
    backend: Backend

    @abstractmethod
    def transaction(self, *, write: bool = True) -> AbstractAsyncContextManager[Tx]:
        """A transaction, committed when the block ends normally and rolled back when it raises."""

    # One statement on its own is atomic on both backends: the turn path (state reads, the dedupe claim)
    # uses these instead of a transaction, which on SQLite costs three trips to the database thread
    # (BEGIN, the statement, COMMIT) where these cost one, and they never wait for another coroutine's
    # open transaction to end (SQLite: a connection of their own; PostgreSQL: another pooled connection).
    @abstractmethod
    async def execute(self, sql: str, *args: object) -> int:
        """Run one statement in a transaction of its own; the number of rows it changed."""

    @abstractmethod
    async def fetch(self, sql: str, *args: object) -> list[Row]:
        """Run one query in a transaction of its own; its rows as tuples."""

    @abstractmethod
    async def close(self) -> None: ...


def utc_iso(value: datetime) -> str:
    """A timezone-aware datetime as fixed-width ISO 8601 text in UTC."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: give a timezone-aware datetime")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def as_datetime(value: object) -> datetime:
    """A stored timestamp (datetime from PostgreSQL, ISO text from SQLite) as an aware UTC datetime."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, str):
        return datetime.fromisoformat(value).astimezone(UTC)
    raise TypeError(f"not a timestamp: {value!r}")


@cache
def _sqlite_sql(sql: str) -> str:
    return _PLACEHOLDER.sub(r"?\1", sql)


def _sqlite_value(value: object) -> object:
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, bool):
        return int(value)
    return value


class _SqliteTx:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    # One trip to aiosqlite's thread per statement: the cursor is left to the garbage collector (closing it
    # is a second trip), and rows come back with the statement (execute_fetchall).
    async def execute(self, sql: str, *args: object) -> int:
        cursor = await self._conn.execute(_sqlite_sql(sql), [_sqlite_value(a) for a in args])
        return max(cursor.rowcount, 0)

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        rows = await self._conn.execute_fetchall(_sqlite_sql(sql), [_sqlite_value(a) for a in args])
        return [tuple(r) for r in rows]


async def _switch_to_wal(conn: aiosqlite.Connection, within_seconds: float) -> Row | None:
    """`PRAGMA journal_mode = WAL`, retried while another process holds the lock it needs.

    SQLite answers "database is locked" at once here, without waiting for busy_timeout, when another
    connection to a new file is switching or writing at the same moment (replicas starting together).
    """
    import sqlite3

    deadline = asyncio.get_running_loop().time() + within_seconds
    delay = 0.01
    while True:
        try:
            rows = list(await conn.execute_fetchall("PRAGMA journal_mode = WAL"))
            return tuple(rows[0]) if rows else None
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or asyncio.get_running_loop().time() > deadline:
                raise
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.2)


async def _connect(path: Path, busy_timeout_ms: int, *, switch_to_wal: bool) -> aiosqlite.Connection:
    import aiosqlite

    conn = await aiosqlite.connect(path, isolation_level=None)  # no implicit BEGIN: autocommit by default
    try:
        await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if switch_to_wal:
            mode = await _switch_to_wal(conn, busy_timeout_ms / 1000)
            if mode is None or str(mode[0]).lower() != "wal":
                logger.warning("SQLite at %s did not switch to WAL mode (got %r)", path, mode)
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        await conn.close()
        raise
    return conn


class SqliteExecutor(Executor):
    """Two connections kept open, each with its own aiosqlite thread, in WAL mode.

    - Transactions take turns on the first (an asyncio lock), and `BEGIN IMMEDIATE` takes SQLite's write
      lock up front so that other connections and processes on the same file wait (busy_timeout) instead
      of failing half-way.
    - Single statements (`execute` / `fetch`, the turn path) go to the second, in autocommit mode: they can
      never become part of a transaction, so they need no lock, and aiosqlite's queue runs them in the
      order they were sent while the event loop goes on. In WAL mode its reads see the last commit and do
      not wait for a writer; its writes wait for the write lock like any other connection's.
    """

    backend: Backend = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, statements: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._statements = statements
        self.path = path
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path, *, busy_timeout_ms: int = 10_000) -> SqliteExecutor:
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        conn = await _connect(path, busy_timeout_ms, switch_to_wal=True)
        try:
            statements = await _connect(path, busy_timeout_ms, switch_to_wal=False)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, statements, path)

    async def _control(self, sql: str) -> None:
        """Run BEGIN/COMMIT/ROLLBACK to completion even when the caller is cancelled meanwhile, so the
        connection is never left inside a transaction that nobody will end."""
        step = asyncio.ensure_future(self._conn.execute(sql))
        try:
            await asyncio.shield(step)
        except asyncio.CancelledError:
            await step
            raise

    async def _rollback(self) -> None:
        if self._conn.in_transaction:
            await self._control("ROLLBACK")

    async def execute(self, sql: str, *args: object) -> int:
        return await _SqliteTx(self._statements).execute(sql, *args)

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        return await _SqliteTx(self._statements).fetch(sql, *args)

    @asynccontextmanager
    async def transaction(self, *, write: bool = True) -> AsyncIterator[Tx]:
        async with self._lock:
            try:
                await self._control("BEGIN IMMEDIATE" if write else "BEGIN")
            except BaseException:
                await asyncio.shield(self._rollback())
                raise
            try:
                yield _SqliteTx(self._conn)
            except BaseException:
                await asyncio.shield(self._rollback())
                raise
            try:
                await self._control("COMMIT")
            except BaseException:
                await asyncio.shield(self._rollback())
                raise

    async def close(self) -> None:
        async with self._lock:
            await self._statements.close()
            await self._conn.close()


def _status_count(status: str) -> int:
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class _PgTx:
    def __init__(self, conn: asyncpg.pool.PoolConnectionProxy[Any]) -> None:
        self._conn = conn

    async def execute(self, sql: str, *args: object) -> int:
        return _status_count(await self._conn.execute(sql, *args))

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        return [tuple(r) for r in await self._conn.fetch(sql, *args)]


class PostgresExecutor(Executor):
    """A connection pool; each transaction holds one connection (READ COMMITTED, PostgreSQL's default)."""

    backend: Backend = "postgresql"

    def __init__(self, pool: asyncpg.Pool[Any]) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, dsn: str, *, min_size: int = 1, max_size: int = 10) -> PostgresExecutor:
        import asyncpg

        pool = await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size)
        return cls(pool)

    @asynccontextmanager
    async def transaction(self, *, write: bool = True) -> AsyncIterator[Tx]:
        async with self._pool.acquire() as conn, conn.transaction(readonly=not write):
            yield _PgTx(conn)

    async def execute(self, sql: str, *args: object) -> int:
        return _status_count(await self._pool.execute(sql, *args))

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        return [tuple(r) for r in await self._pool.fetch(sql, *args)]

    async def close(self) -> None:
        await self._pool.close()
