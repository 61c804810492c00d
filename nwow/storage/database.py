"""One database per deployment, chosen by URL: `sqlite:///ABS/PATH.sqlite3` or `postgresql://...`."""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

from nwow.feedback.store import FeedbackStore
from nwow.outbox import AddressBook, LeaseStore, OutboxStore
from nwow.pulses.store import PulseStore
from nwow.storage.errors import UnsupportedDatabaseUrl
from nwow.storage.feedback_sql import SqlFeedbackStore
from nwow.storage.kv import KeyValueStore, SqlKeyValueStore
from nwow.storage.migrations import apply_migrations, current_version
from nwow.storage.outbox_sql import SqlAddressBook, SqlLeaseStore, SqlOutboxStore
from nwow.storage.pulses_sql import SqlPulseStore
from nwow.storage.questions_sql import SqlProposalStore, SqlQuestionLog
from nwow.storage.sql import Backend, Deadlines, Executor, PostgresExecutor, SqliteExecutor
from nwow.storage.tickets_sql import SqlTicketStore
from nwow.tickets.store import ProposalStore, QuestionLog, TicketStore

if TYPE_CHECKING:
    from nwow.feedback.retention import Expiring

logger = logging.getLogger(__name__)


class Database:
    """An open database: the feedback store, the bot-state documents, the outbox and address book of
    proactive messages, leases, the tickets of questions for the ambassadors with the question log and the
    knowledge-base proposals, the adoption pulses, and `close()`."""

    def __init__(self, executor: Executor, display_url: str, applied_migrations: tuple[int, ...]) -> None:
        self._executor = executor
        self.display_url = display_url
        self.applied_migrations = applied_migrations
        self.feedback: FeedbackStore = SqlFeedbackStore(executor)
        self.kv: KeyValueStore = SqlKeyValueStore(executor)
        self.outbox: OutboxStore = SqlOutboxStore(executor)
        self.addresses: AddressBook = SqlAddressBook(executor)
        self.leases: LeaseStore = SqlLeaseStore(executor)
        self.tickets: TicketStore = SqlTicketStore(executor)
        self.questions: QuestionLog = SqlQuestionLog(executor)
        self.proposals: ProposalStore = SqlProposalStore(executor)
        self.pulses: PulseStore = SqlPulseStore(executor)
        self._closed = False

    @property
    def expiring(self) -> tuple[Expiring, ...]:
        """The stores the retention period applies to (nwow/feedback/retention.py)."""
        return (self.feedback, self.tickets, self.questions, self.proposals, self.pulses, self.outbox)

    @property
    def backend(self) -> Backend:
        return self._executor.backend

    @property
    def executor(self) -> Executor:
        """The transaction API, for stores outside this package (bot/turn/sql_dedupe.py)."""
        return self._executor

    async def schema_version(self) -> int:
        return await current_version(self._executor)

    async def ping(self) -> None:
        """Raise if the database cannot answer a trivial query within its statement deadline."""
        await self._executor.fetch("SELECT 1")

    @property
    def sqlite_file(self) -> Path | None:
        """The database file on SQLite (its folder must stay writable); None on PostgreSQL."""
        return self._executor.path if isinstance(self._executor, SqliteExecutor) else None

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._executor.close()
        logger.info("closed database %s", self.display_url)

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"Database({self.display_url!r})"


def redact_url(url: str) -> str:
    """The URL with any password replaced by ***, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    userinfo = netloc[0].split(":", 1)[0] + ":***"
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{netloc[1]}"))


def sqlite_path(url: str) -> Path:
    """The absolute file path in `sqlite:///ABS/PATH` (`sqlite:////ABS/PATH` is accepted too)."""
    rest = url[len("sqlite://") :]
    path_text = unquote(rest.split("?", 1)[0])
    if not path_text.startswith("/") or path_text.strip("/") == "" or ":memory:" in path_text:
        raise UnsupportedDatabaseUrl(
            f"{url!r} does not name a database file: use sqlite:///ABSOLUTE/PATH/nwow.sqlite3 "
            "(an in-memory database would lose the feedback on restart)"
        )
    return Path("/" + path_text.lstrip("/"))


# Schema migrations may wait for another replica's, and may rewrite a large table: their statements get
# this long instead of the everyday deadline.
MIGRATION_STATEMENT_TIMEOUT = 600.0


async def open_database(url: str, *, deadlines: Deadlines | None = None) -> Database:
    """Open the database at `url`, apply pending schema migrations, and return it. Call `close()` after.

    `deadlines` bounds every wait on the database (default `Deadlines()`: a few seconds each)."""
    scheme = urlsplit(url).scheme.lower()
    executor: Executor
    if scheme == "sqlite":
        path = sqlite_path(url)
        executor = await SqliteExecutor.open(path, deadlines=deadlines)
        display = f"sqlite:///{path}"
    elif scheme in ("postgresql", "postgres"):
        try:
            import asyncpg  # noqa: F401
        except ImportError as exc:
            raise UnsupportedDatabaseUrl(
                "a postgresql:// URL needs the asyncpg driver: pip install 'nwow-assistant[postgres]'"
            ) from exc
        display = redact_url(url)
        executor = await PostgresExecutor.open(url, deadlines=deadlines)
    else:
        raise UnsupportedDatabaseUrl(
            f"unsupported database URL scheme {scheme!r} in {redact_url(url)!r}: "
            "use sqlite:///ABSOLUTE/PATH/nwow.sqlite3 or postgresql://USER@HOST:PORT/DATABASE"
        )
    try:
        applied = await apply_migrations(executor, statement_timeout=MIGRATION_STATEMENT_TIMEOUT)
    except BaseException:
        await executor.close()
        raise
    logger.info("opened database %s (schema migrations applied now: %s)", display, list(applied) or "none")
    return Database(executor, display, applied)
