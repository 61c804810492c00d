"""The backends every storage contract test runs on: SQLite always, PostgreSQL when
NWOW_TEST_POSTGRES_URL is set (the PostgreSQL half skips without it, and fails in CI: see
tests/harness/requirements.py).

The PostgreSQL run creates one database per test session (nwow_test_<random>) and drops it at the end;
inside it each test gets its own schema (through the URL's search_path), so tests start from an empty
schema and parallel runs never collide.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from nwow.storage import Database, open_database
from tests.harness.postgres import admin, postgres_server_url, postgres_skip_reason

PG_SKIP_REASON = postgres_skip_reason("run the storage contract on PostgreSQL too")


def _with_database(url: str, name: str, query: str = "") -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}", query=query))


def _run_aside(url: str, sql: str) -> None:
    """Run one admin statement on its own thread and loop (session fixtures may be set up inside a loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, admin(url, sql)).result()


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    server = postgres_server_url(PG_SKIP_REASON)
    name = f"nwow_test_{secrets.token_hex(6)}"
    _run_aside(server, f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server, name)
    finally:
        _run_aside(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database's URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nwow.sqlite3'}"
        return
    base: str = request.getfixturevalue("postgres_database_url")
    schema = f"t_{secrets.token_hex(6)}"
    await admin(base, f'CREATE SCHEMA "{schema}"')
    try:
        yield _with_database(base, urlsplit(base).path.lstrip("/"), f"search_path={schema}")
    finally:
        await admin(base, f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = await open_database(database_url)
    try:
        yield database
    finally:
        await database.close()
