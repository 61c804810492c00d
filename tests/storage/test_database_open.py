"""Opening the database: URL forms, migrations applied once, durability across reopen."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nwow.feedback.models import SurveyResponse
from nwow.storage import UnsupportedDatabaseUrl, open_database, redact_url
from nwow.storage.database import sqlite_path
from nwow.storage.migrations import MIGRATIONS
from tests.storage.factories import survey as base_survey


def survey(submission_id: str = "act-1", user_key: str = "u1") -> SurveyResponse:
    return base_survey(submission_id, user_key, works="chat", obstacles="")


@pytest.mark.parametrize(
    "url",
    ["mysql://u@h/db", "memory://", "sqlite://", "sqlite:///:memory:", "sqlite:///", "nwow.sqlite3"],
)
async def test_unsupported_urls_raise_a_clear_error(url: str) -> None:
    with pytest.raises(UnsupportedDatabaseUrl) as info:
        await open_database(url)
    assert "sqlite:///" in str(info.value)


def test_sqlite_url_forms_name_an_absolute_file() -> None:
    assert sqlite_path("sqlite:///var/lib/nwow/nwow.sqlite3") == Path("/var/lib/nwow/nwow.sqlite3")
    assert sqlite_path("sqlite:////var/lib/nwow/nwow.sqlite3") == Path("/var/lib/nwow/nwow.sqlite3")
    assert sqlite_path("sqlite:///tmp/a%20b.sqlite3") == Path("/tmp/a b.sqlite3")


def test_redact_url_hides_the_password_only() -> None:
    assert redact_url("postgresql://bot:s3cret@db:5432/nwow") == "postgresql://bot:***@db:5432/nwow"
    assert redact_url("postgresql://bot@db/nwow") == "postgresql://bot@db/nwow"


async def test_the_error_for_an_unknown_scheme_does_not_show_the_password() -> None:
    with pytest.raises(UnsupportedDatabaseUrl) as info:
        await open_database("mysql://bot:s3cret@db/nwow")
    assert "s3cret" not in str(info.value)


async def test_sqlite_file_and_missing_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "nwow.sqlite3"
    db = await open_database(f"sqlite:///{path}")
    await db.close()
    assert path.is_file()


async def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    import aiosqlite

    path = tmp_path / "nwow.sqlite3"
    db = await open_database(f"sqlite:///{path}")
    await db.close()
    async with aiosqlite.connect(path) as conn, conn.execute("PRAGMA journal_mode") as cursor:
        row = await cursor.fetchone()
    assert row is not None and row[0] == "wal"


async def test_migrations_are_applied_once(database_url: str) -> None:
    first = await open_database(database_url)
    try:
        assert first.applied_migrations == tuple(m.version for m in MIGRATIONS)
        assert await first.schema_version() == MIGRATIONS[-1].version
        assert await first.feedback.record_survey(survey())
    finally:
        await first.close()
    second = await open_database(database_url)
    try:
        assert second.applied_migrations == ()
        assert await second.schema_version() == MIGRATIONS[-1].version
        # The tables were not recreated: the row from before is still there.
        assert (await second.feedback.user_data("u1")).surveys == 1
    finally:
        await second.close()


async def test_replicas_starting_together_apply_migrations_exactly_once(database_url: str) -> None:
    opened = await asyncio.gather(*(open_database(database_url) for _ in range(3)))
    try:
        applied = sorted(db.applied_migrations for db in opened)
        assert applied == [(), (), tuple(m.version for m in MIGRATIONS)]
    finally:
        for db in opened:
            await db.close()


async def test_a_database_from_a_newer_release_is_refused(database_url: str) -> None:
    db = await open_database(database_url)
    try:
        async with db._executor.transaction() as tx:
            await tx.execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)",
                999,
                "from the future",
                datetime.now(UTC),
            )
    finally:
        await db.close()
    with pytest.raises(RuntimeError, match="newer release"):
        await open_database(database_url)


async def test_an_acknowledged_submission_survives_close_and_reopen(database_url: str) -> None:
    db = await open_database(database_url)
    try:
        assert await db.feedback.record_survey(survey("act-durable"))
    finally:
        await db.close()
    reopened = await open_database(database_url)
    try:
        stored = await reopened.feedback.surveys_between(
            datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
        )
        assert [s.submission_id for s in stored] == ["act-durable"]
        assert stored[0] == survey("act-durable")
        # And a retry after the restart is still recognised as one.
        assert not await reopened.feedback.record_survey(survey("act-durable"))
    finally:
        await reopened.close()


async def test_ping_and_close_twice(db_url_sqlite: str) -> None:
    db = await open_database(db_url_sqlite)
    await db.ping()
    await db.close()
    await db.close()


@pytest.fixture
def db_url_sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nwow.sqlite3'}"
