"""Migration 4 on a database that already holds data: several votes of one user on one entry (one per
answer card, as the schema used to allow) become the latest of them; surveys and the ledger keep theirs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from nwow.feedback.store import Recorded
from nwow.storage import open_database
from nwow.storage.migrations import MIGRATIONS, apply_migrations
from nwow.storage.sql import Executor, PostgresExecutor, SqliteExecutor
from tests.storage.factories import T0, survey

VERSION = 4


@pytest.fixture
async def executor(database_url: str) -> AsyncIterator[Executor]:
    opened: Executor
    if database_url.startswith("sqlite"):
        opened = await SqliteExecutor.open(Path(database_url.removeprefix("sqlite://")))
    else:
        opened = await PostgresExecutor.open(database_url)
    try:
        yield opened
    finally:
        await opened.close()


async def test_votes_collapse_to_the_latest_per_user_and_entry(executor: Executor, database_url: str) -> None:
    before = tuple(m for m in MIGRATIONS if m.version < VERSION)
    assert await apply_migrations(executor, before) == tuple(m.version for m in before)
    votes = [
        # (submission, user, entry, answer card, helpful, minutes after T0)
        ("v1", "u1", "mfa", "card-1", True, 0),
        ("v2", "u1", "mfa", "card-2", False, 5),
        ("v3", "u1", "mfa", "card-3", True, 2),
        ("v4", "u1", "vpn", "card-4", True, 1),
        ("v5", "u2", "mfa", "card-9", True, 3),
    ]
    async with executor.transaction() as tx:
        for submission, user, entry, answer, helpful, minutes in votes:
            await tx.execute(
                "INSERT INTO votes (submission_id, user_key, entry_id, answer_id, helpful, lang, voted_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                submission,
                user,
                entry,
                answer,
                helpful,
                "nl",
                T0 + timedelta(minutes=minutes),
            )
            await tx.execute(
                "INSERT INTO submissions (kind, submission_id, received_at) VALUES ($1, $2, $3)",
                "vote",
                submission,
                T0,
            )
        await tx.execute(
            "INSERT INTO submissions (kind, submission_id, received_at) VALUES ($1, $2, $3)",
            "survey",
            "s0",
            T0,
        )

    later = tuple(m.version for m in MIGRATIONS if m.version > VERSION)
    assert await apply_migrations(executor) == (VERSION, *later)

    window = (T0 - timedelta(days=1), T0 + timedelta(days=1))
    async with await open_database(database_url) as db:
        stored = await db.feedback.votes_between(*window)
        kept = {(v.user_key, v.entry_id): (v.submission_id, v.helpful) for v in stored}
        assert kept == {
            ("u1", "mfa"): ("v2", False),
            ("u1", "vpn"): ("v4", True),
            ("u2", "mfa"): ("v5", True),
        }
        # The ledger kept its rows: an old submission retried is still not stored again.
        assert await db.feedback.record_survey(survey("s0")) is Recorded.REPEATED
        assert not await db.feedback.record_vote(stored[0])
