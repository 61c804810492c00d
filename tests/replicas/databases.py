"""Throw-away databases for the scale-out tests: a unique PostgreSQL database per test, or a SQLite file.

PostgreSQL tests read the server URL from NWOW_TEST_POSTGRES_URL and skip with `POSTGRES_SKIP_REASON`
when it is unset; each test creates `nwow_scale_<random>` and drops it (WITH (FORCE)) afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

POSTGRES_ENV = "NWOW_TEST_POSTGRES_URL"
POSTGRES_SKIP_REASON = (
    f"{POSTGRES_ENV} is not set: set it to a PostgreSQL server URL "
    "(e.g. postgresql://postgres@127.0.0.1:5432/postgres) to run the PostgreSQL scale-out tests"
)


def postgres_server_url() -> str:
    """The server URL from the environment; skips the calling test when it is unset."""
    server = os.environ.get(POSTGRES_ENV, "").strip()
    if not server:
        pytest.skip(POSTGRES_SKIP_REASON)
    return server


async def _admin(server: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(server)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped when the block ends."""
    server = postgres_server_url()
    name = f"nwow_scale_{secrets.token_hex(6)}"
    await _admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@asynccontextmanager
async def fresh_database(backend: str, folder: Path) -> AsyncIterator[str]:
    """A new database URL on `backend` ("sqlite": a file in `folder`; "postgresql": a new database)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'shared.sqlite3'}"
        return
    async with fresh_postgres_database() as url:
        yield url
