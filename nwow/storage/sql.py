"""A thin layer over the two SQL drivers: one transaction API, `$n` placeholders on both backends.

SQL is written once with PostgreSQL's `$1, $2, ...` placeholders; on SQLite they become `?1, ?2, ...`
(SQLite's numbered parameters), so the same statement text serves both. Values are always bound, never
formatted into the SQL. SQLite has no timestamp or boolean type: datetimes are stored there as ISO 8601
text in UTC with microseconds (which sorts like time), booleans as 0/1.

Every wait on the database has a deadline (`Deadlines`), so a database that stops answering (a hung
server, a stalled network path that keeps the TCP connection open, a file lock held elsewhere) makes a
caller fail with `DatabaseTimeout` within seconds instead of hanging it:

- PostgreSQL: the pool's connect timeout (also bounds asyncpg's cancel request), `command_timeout` for
  every statement including BEGIN/COMMIT/ROLLBACK, and an acquire timeout for a pooled connection. A
  connection whose statement timed out is handed back to the pool in the background (asyncpg first
  waits for its cancel request), so the caller is not held for that too.
- SQLite: `busy_timeout` for the file lock, the same deadline on every statement (past it the running
  statement is interrupted, `sqlite3_interrupt`, so the connection's queue moves on), and on the wait
  for the transaction lock.

`Executor.clock_sql` is an SQL expression for the database's own clock (seconds since the epoch), for
decisions that several replicas must make on one clock (bot/turn/sql_dedupe.py's leases).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, TypeVar

from nwow.storage.errors import DatabaseTimeout

if TYPE_CHECKING:
    import aiosqlite
    import asyncpg

logger = logging.getLogger(__name__)

Backend = Literal["sqlite", "postgresql"]
Row = tuple[Any, ...]

_PLACEHOLDER = re.compile(r"\$(\d+)")

T = TypeVar("T")

# The database's clock, in seconds since the epoch (a float), on each backend.
_SQLITE_CLOCK: Final = "((julianday('now') - 2440587.5) * 86400.0)"
_POSTGRES_CLOCK: Final = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS DOUBLE PRECISION)"


@dataclass(frozen=True)
class Deadlines:
    """How long the database may take, in seconds; past a deadline the caller gets `DatabaseTimeout`."""

    statement: float = 3.0  # one statement (BEGIN and COMMIT included); SQLite: also the file-lock wait
    connect: float = 3.0  # opening a connection (PostgreSQL; asyncpg's cancel request too)
    acquire: float = 3.0  # waiting for a pooled connection (PostgreSQL) or the transaction lock (SQLite)

    def __post_init__(self) -> None:
        if min(self.statement, self.connect, self.acquire) <= 0:
            raise ValueError(f"database deadlines must be positive: {self}")

    @classmethod
    def uniform(cls, seconds: float) -> Deadlines:
        return cls(statement=seconds, connect=seconds, acquire=seconds)


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
    # SQL for the database's clock as seconds since the epoch (float); formatted into statements, never
    # anything a caller gave.
    clock_sql: str
    deadlines: Deadlines

    @abstractmethod
    def transaction(
        self, *, write: bool = True, statement_timeout: float | None = None
    ) -> AbstractAsyncContextManager[Tx]:
        """A transaction, committed when the block ends normally and rolled back when it raises.

        `statement_timeout` overrides the deadline of each statement in it (schema migrations, which may
        wait for another replica's)."""

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


def _interrupt(conn: aiosqlite.Connection) -> None:
    """Abort the statement running on `conn`'s thread (sqlite3_interrupt is safe from any thread).

    aiosqlite has no public way to it: `_conn` is its sqlite3.Connection (aiosqlite 0.22, pinned)."""
    with contextlib.suppress(Exception):  # closed meanwhile: nothing to interrupt
        conn._conn.interrupt()


async def _sqlite_bounded(conn: aiosqlite.Connection, step: Awaitable[T], seconds: float) -> T:
    """Await one statement on `conn` for at most `seconds`; past that interrupt it, raise DatabaseTimeout.

    Statements on one connection run one after the other on its thread, so the one running when this
    deadline passes was sent no later than this one, and is at least as late: interrupting it is fair."""
    try:
        async with asyncio.timeout(seconds):
            return await step
    except TimeoutError:
        _interrupt(conn)
        raise DatabaseTimeout(f"SQLite did not answer within {seconds:g} s") from None


class _SqliteTx:
    def __init__(self, conn: aiosqlite.Connection, deadline: float) -> None:
        self._conn = conn
        self._deadline = deadline

    # One trip to aiosqlite's thread per statement: the cursor is left to the garbage collector (closing it
    # is a second trip), and rows come back with the statement (execute_fetchall).
    async def execute(self, sql: str, *args: object) -> int:
        step = self._conn.execute(_sqlite_sql(sql), [_sqlite_value(a) for a in args])
        cursor = await _sqlite_bounded(self._conn, step, self._deadline)
        return max(cursor.rowcount, 0)

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        step = self._conn.execute_fetchall(_sqlite_sql(sql), [_sqlite_value(a) for a in args])
        rows = await _sqlite_bounded(self._conn, step, self._deadline)
        return [tuple(r) for r in rows]


async def _switch_to_wal(conn: aiosqlite.Connection, within_seconds: float) -> Row | None:
    """`PRAGMA journal_mode = WAL`, retried while another process holds the lock it needs.

    SQLite answers "database is locked" at once here, without waiting for busy_timeout, when another
    connection to a new file is switching or writing at the same moment (replicas starting together).
    """
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

    # No implicit BEGIN (autocommit by default). `timeout` is the sqlite3 module's busy timeout.
    conn = await aiosqlite.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
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
    clock_sql = _SQLITE_CLOCK

    def __init__(
        self,
        conn: aiosqlite.Connection,
        statements: aiosqlite.Connection,
        path: Path,
        deadlines: Deadlines | None = None,
    ) -> None:
        self._conn = conn
        self._statements = statements
        self.path = path
        self.deadlines = deadlines or Deadlines()
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path, *, deadlines: Deadlines | None = None) -> SqliteExecutor:
        deadlines = deadlines or Deadlines()
        busy_timeout_ms = max(1, int(deadlines.statement * 1000))
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        conn = await _connect(path, busy_timeout_ms, switch_to_wal=True)
        try:
            statements = await _connect(path, busy_timeout_ms, switch_to_wal=False)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, statements, path, deadlines)

    async def _control(self, sql: str) -> None:
        """Run BEGIN/COMMIT/ROLLBACK to completion even when the caller is cancelled meanwhile, so the
        connection is never left inside a transaction that nobody will end; within the deadline."""
        step = asyncio.ensure_future(self._conn.execute(sql))
        try:
            await _sqlite_bounded(self._conn, asyncio.shield(step), self.deadlines.statement)
        except asyncio.CancelledError:
            await _sqlite_bounded(self._conn, step, self.deadlines.statement)
            raise

    async def _rollback(self) -> None:
        """End any transaction left open on the transaction connection, whatever happened before.

        It runs on the connection's thread after every step queued before it (a BEGIN or COMMIT that
        timed out here may still be running, and may yet open a transaction), and looks at the
        connection's state there: so it is queued before the lock is handed on, and the next
        transaction never finds one left open."""
        try:
            raw = self._conn._conn  # aiosqlite 0.22 (pinned): the sqlite3.Connection, for its own thread
        except ValueError:  # closed
            return
        # sqlite3's rollback() is a no-op when no transaction is open.
        step: Awaitable[None] = self._conn._execute(raw.rollback)  # type: ignore[no-untyped-call]
        with contextlib.suppress(DatabaseTimeout, sqlite3.Error):
            await _sqlite_bounded(self._conn, step, self.deadlines.statement)

    async def execute(self, sql: str, *args: object) -> int:
        return await _SqliteTx(self._statements, self.deadlines.statement).execute(sql, *args)

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        return await _SqliteTx(self._statements, self.deadlines.statement).fetch(sql, *args)

    @asynccontextmanager
    async def transaction(
        self, *, write: bool = True, statement_timeout: float | None = None
    ) -> AsyncIterator[Tx]:
        deadline = statement_timeout or self.deadlines.statement
        try:
            async with asyncio.timeout(max(deadline, self.deadlines.acquire)):
                await self._lock.acquire()
        except TimeoutError:
            raise DatabaseTimeout(
                f"no SQLite transaction could start within {self.deadlines.acquire:g} s"
            ) from None
        try:
            try:
                await self._control("BEGIN IMMEDIATE" if write else "BEGIN")
            except BaseException:
                await asyncio.shield(self._rollback())
                raise
            try:
                yield _SqliteTx(self._conn, deadline)
            except BaseException:
                await asyncio.shield(self._rollback())
                raise
            try:
                await self._control("COMMIT")
            except BaseException:
                await asyncio.shield(self._rollback())
                raise
        finally:
            self._lock.release()

    async def close(self) -> None:
        async with self._lock:
            await self._statements.close()
            await self._conn.close()


def _status_count(status: str) -> int:
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


def _pg_timeout(seconds: float) -> DatabaseTimeout:
    return DatabaseTimeout(f"PostgreSQL did not answer within {seconds:g} s")


class _PgTx:
    def __init__(self, conn: asyncpg.pool.PoolConnectionProxy[Any], deadline: float) -> None:
        self._conn = conn
        self._deadline = deadline

    async def execute(self, sql: str, *args: object) -> int:
        try:
            return _status_count(await self._conn.execute(sql, *args, timeout=self._deadline))
        except TimeoutError:
            raise _pg_timeout(self._deadline) from None

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        try:
            return [tuple(r) for r in await self._conn.fetch(sql, *args, timeout=self._deadline)]
        except TimeoutError:
            raise _pg_timeout(self._deadline) from None


class PostgresExecutor(Executor):
    """A connection pool; each transaction holds one connection (READ COMMITTED, PostgreSQL's default)."""

    backend: Backend = "postgresql"
    clock_sql = _POSTGRES_CLOCK

    def __init__(self, pool: asyncpg.Pool[Any], deadlines: Deadlines | None = None) -> None:
        self._pool = pool
        self.deadlines = deadlines or Deadlines()
        self._releasing: set[asyncio.Task[None]] = set()

    @classmethod
    async def open(
        cls, dsn: str, *, min_size: int = 1, max_size: int = 10, deadlines: Deadlines | None = None
    ) -> PostgresExecutor:
        import asyncpg

        deadlines = deadlines or Deadlines()
        try:
            pool = await asyncpg.create_pool(
                dsn,
                min_size=min_size,
                max_size=max_size,
                timeout=deadlines.connect,
                command_timeout=deadlines.statement,
            )
        except TimeoutError:
            raise DatabaseTimeout(f"could not connect to PostgreSQL within {deadlines.connect:g} s") from None
        return cls(pool, deadlines)

    async def _acquire(self) -> asyncpg.pool.PoolConnectionProxy[Any]:
        # asyncio.timeout rather than acquire(timeout=...), which runs every acquire in a task of its own.
        try:
            async with asyncio.timeout(self.deadlines.acquire):
                return await self._pool.acquire()
        except TimeoutError:
            raise DatabaseTimeout(f"no PostgreSQL connection within {self.deadlines.acquire:g} s") from None

    def _release_aside(self, conn: asyncpg.pool.PoolConnectionProxy[Any]) -> None:
        """Give back a connection whose statement failed or was cancelled without making the caller wait:
        asyncpg first waits (up to the acquire timeout) for the cancel request it sent on a stalled line."""
        task = asyncio.ensure_future(self._pool.release(conn, timeout=self.deadlines.acquire))
        self._releasing.add(task)
        task.add_done_callback(self._released)

    def _released(self, task: asyncio.Task[None]) -> None:
        self._releasing.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.debug("releasing a PostgreSQL connection failed: %r", task.exception())

    async def _one(self, run: Callable[[_PgTx], Awaitable[T]]) -> T:
        conn = await self._acquire()
        try:
            result = await run(_PgTx(conn, self.deadlines.statement))
        except BaseException:
            self._release_aside(conn)
            raise
        await self._pool.release(conn)
        return result

    @asynccontextmanager
    async def transaction(
        self, *, write: bool = True, statement_timeout: float | None = None
    ) -> AsyncIterator[Tx]:
        conn = await self._acquire()
        try:
            try:
                async with conn.transaction(readonly=not write):
                    yield _PgTx(conn, statement_timeout or self.deadlines.statement)
            except TimeoutError as exc:  # BEGIN, COMMIT or ROLLBACK past command_timeout
                if isinstance(exc, DatabaseTimeout):
                    raise
                raise _pg_timeout(self.deadlines.statement) from None
        except BaseException:
            self._release_aside(conn)
            raise
        await self._pool.release(conn)

    async def execute(self, sql: str, *args: object) -> int:
        return await self._one(lambda tx: tx.execute(sql, *args))

    async def fetch(self, sql: str, *args: object) -> list[Row]:
        return await self._one(lambda tx: tx.fetch(sql, *args))

    async def close(self) -> None:
        if self._releasing:
            await asyncio.wait(set(self._releasing), timeout=self.deadlines.acquire)
        try:
            await asyncio.wait_for(self._pool.close(), self.deadlines.connect + self.deadlines.statement)
        except TimeoutError:
            logger.warning("PostgreSQL pool did not close in time; terminating its connections")
            self._pool.terminate()
