"""Throw-away databases for the scale-out tests: a unique PostgreSQL database per test, or a SQLite file.

PostgreSQL tests read the server URL from NWOW_TEST_POSTGRES_URL and skip with `POSTGRES_SKIP_REASON`
when it is unset (fail in CI); each test creates `nwow_scale_<random>` and drops it (WITH (FORCE)) afterwards.
The `database_url` fixture runs a test on both; import it into the test module that uses it.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.harness.postgres import admin, postgres_server_url, postgres_skip_reason

POSTGRES_SKIP_REASON = postgres_skip_reason("run the PostgreSQL scale-out tests")


@asynccontextmanager
async def fresh_postgres_database() -> AsyncIterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped when the block ends."""
    server = postgres_server_url(POSTGRES_SKIP_REASON)
    name = f"nwow_scale_{secrets.token_hex(6)}"
    await admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        await admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@asynccontextmanager
async def fresh_database(backend: str, folder: Path) -> AsyncIterator[str]:
    """A new database URL on `backend` ("sqlite": a file in `folder`; "postgresql": a new database)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'shared.sqlite3'}"
        return
    async with fresh_postgres_database() as url:
        yield url


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh database on each backend (PostgreSQL skips when NWOW_TEST_POSTGRES_URL is unset)."""
    async with fresh_database(request.param, tmp_path) as url:
        yield url
