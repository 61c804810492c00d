"""`/readyz` tells the truth within 2 seconds, and a database that stops answering fails turns fast.

Over real HTTP to the whole app (`create_app`):
- PostgreSQL behind a TCP proxy told to stall (connections open, nothing answers): `/readyz` says 503, a
  message is answered 503 + Retry-After (its repeat check cannot reach the database) instead of hanging,
  a turn whose database stalls after its activity was claimed tells the user politely, and everything
  works again once the database answers;
- production mode whose signing keys cannot be fetched: `/readyz` says 503 until they can;
- a data folder that is full, read-only, or has less free space than `NWOW_MIN_FREE_DISK_MB`: 503.

No timing is asserted: each request must be answered (an outer bound only keeps a hang from hanging the
suite); the durations are printed. bench/stalled_database.py prints the figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from tests.e2e.conftest import card_of, card_text
from tests.harness import FakeConnector, OpenIdServer, message_activity
from tests.harness.http import start_app
from tests.harness.requirements import unavailable
from tests.harness.stall_proxy import StallingProxy, proxied_url, upstream_of
from tests.harness.waiting import eventually
from tests.replicas.databases import fresh_postgres_database

HANG_GUARD = 30.0  # far past every deadline: only a hang reaches it


async def _get(base_url: str, path: str) -> tuple[int, dict[str, Any], float]:
    started = time.perf_counter()
    async with (
        asyncio.timeout(HANG_GUARD),
        aiohttp.ClientSession() as http,
        http.get(base_url + path) as response,
    ):
        body = await response.json()
        return response.status, body, time.perf_counter() - started


async def _post(base_url: str, activity: dict[str, Any]) -> tuple[int, dict[str, str], float]:
    started = time.perf_counter()
    async with (
        asyncio.timeout(HANG_GUARD),
        aiohttp.ClientSession() as http,
        http.post(base_url + "/api/messages", json=activity) as response,
    ):
        await response.read()
        return response.status, dict(response.headers), time.perf_counter() - started


async def _ready_again(base_url: str) -> dict[str, Any]:
    """Probe /readyz like a load balancer until it says 200 (bounded); its body."""
    _, body, _ = await eventually(lambda: _get(base_url, "/readyz"), lambda got: got[0] == 200, within=30)
    return body


@contextlib.asynccontextmanager
async def _serving(settings: Settings) -> AsyncIterator[tuple[web.Application, str]]:
    app = create_app(settings)
    runner, base_url = await start_app(app)
    try:
        yield app, base_url
    finally:
        await runner.cleanup()


@pytest.fixture
async def stalled_postgres_bot(
    settings: Settings,
) -> AsyncIterator[tuple[web.Application, str, StallingProxy]]:
    async with fresh_postgres_database() as url:
        proxy = await StallingProxy(*upstream_of(url)).start()
        try:
            async with _serving(settings.with_overrides(database_url=proxied_url(url, proxy.port))) as (
                app,
                base_url,
            ):
                yield app, base_url, proxy
                proxy.resume()  # so that the app closes its database cleanly
        finally:
            await proxy.close()


@pytest.mark.postgres
async def test_a_stalled_postgresql_makes_readyz_say_503_fast_and_messages_503_until_it_answers(
    stalled_postgres_bot: tuple[web.Application, str, StallingProxy], fake_connector: FakeConnector
) -> None:
    _, base_url, proxy = stalled_postgres_bot
    status, body, _ = await _get(base_url, "/readyz")
    assert status == 200, body

    proxy.stall()
    for probe in range(3):
        status, body, took = await _get(base_url, "/readyz")
        print(f"/readyz {probe + 1} with the database stalled: {status} in {took:.2f} s")
        assert status == 503 and body["checks"]["database"] != "ok", body
        assert body["checks"]["disk"] == "ok"
    question = message_activity(fake_connector.base_url, "wat is mfa", locale="nl-BE", activity_id="q-1")
    status, headers, took = await _post(base_url, question)
    print(f"message with the database stalled: {status} in {took:.2f} s")
    assert status == 503 and int(headers["Retry-After"]) >= 1  # the channel delivers it again later

    proxy.resume()
    await _ready_again(base_url)
    status, _, _ = await _post(base_url, question)  # the channel's redelivery
    assert status == 201
    [answer] = [
        r.body for r in fake_connector.replies if r.reply_to_id == "q-1" and r.body["type"] == "message"
    ]
    assert "tweede bewijs" in card_text(card_of(answer))


@pytest.mark.postgres
async def test_a_turn_whose_database_stalls_mid_turn_tells_the_user_politely_and_ends(
    stalled_postgres_bot: tuple[web.Application, str, StallingProxy], fake_connector: FakeConnector
) -> None:
    app, base_url, proxy = stalled_postgres_bot
    dedupe = app[RUNTIME].dedupe
    claim: Callable[[str, str], Any] = dedupe.seen_before

    async def claim_then_stall(conversation_id: str, activity_id: str) -> bool:
        seen = bool(await claim(conversation_id, activity_id))
        proxy.stall()  # the activity is claimed; from here on the database says nothing
        return seen

    dedupe.seen_before = claim_then_stall  # type: ignore[method-assign]
    question = message_activity(fake_connector.base_url, "wat is mfa", locale="nl-BE", activity_id="q-2")
    status, _, took = await _post(base_url, question)
    print(f"turn whose database stalled after the claim: {status} in {took:.2f} s")
    assert status == 201
    [apology] = [
        r.body for r in fake_connector.replies if r.reply_to_id == "q-2" and r.body["type"] == "message"
    ]
    assert apology["text"].startswith("Sorry, er ging iets mis aan mijn kant")


async def test_readyz_says_503_while_the_signing_keys_cannot_be_loaded(
    auth_settings: Settings, openid: OpenIdServer, tmp_path: Path, faq_dir: Path
) -> None:
    openid.fail_with = 503  # the channel's OpenID metadata is unavailable when the bot starts
    settings = auth_settings.with_overrides(data_dir=tmp_path / "data", faq_dir=faq_dir)
    async with _serving(settings) as (_, base_url):
        status, body, took = await _get(base_url, "/readyz")
        print(f"/readyz without signing keys: {status} in {took:.2f} s")
        assert status == 503 and body["checks"]["signing_keys"] != "ok", body
        assert body["checks"]["database"] == "ok"

        openid.fail_with = None  # the keys can be fetched again: the replica becomes ready by itself
        body = await _ready_again(base_url)
        assert body["checks"]["signing_keys"] == "ok"


async def test_readyz_says_503_when_the_data_folder_has_less_free_space_than_required(
    settings: Settings,
) -> None:
    async with _serving(settings.with_overrides(min_free_disk_mb=1024**3)) as (_, base_url):
        status, body, _ = await _get(base_url, "/readyz")
    assert status == 503 and "MiB free" in body["checks"]["disk"], body


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs mounted for the test (needs the right to mount; skipped otherwise)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        unavailable(
            f"a small tmpfs to fill up (mount: {mounted.stderr.decode().strip()})",
            "run the tests as root, or in a container allowed to mount (CAP_SYS_ADMIN)",
        )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


async def _remount(folder: Path, mode: str) -> None:
    process = await asyncio.create_subprocess_exec("mount", "-o", f"remount,{mode}", str(folder))
    assert await process.wait() == 0


async def test_readyz_says_503_while_the_data_folder_is_full_or_read_only(
    settings: Settings, small_disk: Path, tmp_path: Path
) -> None:
    # The database file lives elsewhere (a file open for writing would keep the folder from going
    # read-only); the data folder is on the small disk.
    overrides = {"data_dir": small_disk / "data", "min_free_disk_mb": 0}
    overrides["database_url"] = f"sqlite:///{tmp_path / 'nwow.sqlite3'}"
    async with _serving(settings.with_overrides(**overrides)) as (_, base_url):
        status, body, _ = await _get(base_url, "/readyz")
        assert status == 200, body

        filler = small_disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as handle:  # until the disk is full
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        status, body, took = await _get(base_url, "/readyz")
        print(f"/readyz with the disk full: {status} in {took:.2f} s")
        assert status == 503 and "No space left" in body["checks"]["disk"], body
        filler.unlink()
        status, body, _ = await _get(base_url, "/readyz")
        assert status == 200, body

        await _remount(small_disk, "ro")
        try:
            status, body, _ = await _get(base_url, "/readyz")
            assert status == 503 and "Read-only" in body["checks"]["disk"], body
        finally:
            await _remount(small_disk, "rw")
        status, body, _ = await _get(base_url, "/readyz")
        assert status == 200, body
