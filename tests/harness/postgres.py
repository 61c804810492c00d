"""The PostgreSQL test server: its URL from NWOW_TEST_POSTGRES_URL, and admin statements run on it.

Suites that need it skip when the variable is unset (fail in CI: tests/harness/requirements.py), each with
`postgres_skip_reason(<what it runs>)`.
"""

from __future__ import annotations

import os

from tests.harness.requirements import require

POSTGRES_ENV = "NWOW_TEST_POSTGRES_URL"


def postgres_skip_reason(purpose: str) -> str:
    """How to run a PostgreSQL test; `purpose` ends the sentence ("to <purpose>")."""
    return (
        f"set {POSTGRES_ENV} to a PostgreSQL server URL "
        f"(e.g. postgresql://postgres@127.0.0.1:5432/postgres) to {purpose}"
    )


def postgres_server_url(skip_reason: str) -> str:
    """The server URL from the environment; when it is unset, skips the calling test with `skip_reason`
    (fails it in CI)."""
    server = os.environ.get(POSTGRES_ENV, "").strip()
    require(server, f"a PostgreSQL server ({POSTGRES_ENV} is not set)", skip_reason)
    return server


async def admin(server: str, sql: str) -> None:
    """Run one statement (CREATE/DROP DATABASE or SCHEMA) on its own connection to `server`."""
    import asyncpg

    conn = await asyncpg.connect(server)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
