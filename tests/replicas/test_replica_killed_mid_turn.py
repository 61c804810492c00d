"""A replica killed (SIGKILL) in the middle of turns loses nothing: the channel's redelivery of every
activity it was processing is processed by the survivor, once.

Two replicas of the real bot (separate processes) on one database, PostgreSQL and SQLite. Several users
(half of them ask a question first, to be out of step) each fill in the feedback survey a few times: "feedback" (the form comes back), then the submit (the
thanks come back), their requests alternating between the replicas, every request delivered like the
channel does (again on no answer, 5xx or 409, honouring Retry-After; tests/replicas/channel.py). Midway,
the fake Bot Connector holds the bot's replies until a turn running on replica A is caught mid-flight;
A gets SIGKILL, and the replies are let through (A's die with it: never delivered).

Then every submission every user sent is stored exactly once, every submit was thanked and every
"feedback" answered with the form: seen by the fake Bot Connector. The turns caught mid-flight had saved
their state (their replies were on the way): the survivor sent their saved replies instead of running
them again on the advanced state (which would show the form again instead of the thanks).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from nwow.feedback.units import load_units
from nwow.storage import open_database
from tests.e2e.conftest import faq_dir
from tests.harness import message_activity
from tests.harness.fixtures import ServeApp
from tests.replicas.channel import Delivery, GatedConnector, deliver
from tests.replicas.databases import database_url
from tests.replicas.processes import Replica, running_replicas

pytestmark = pytest.mark.slow

__all__ = ["database_url", "faq_dir"]  # fixtures defined elsewhere, used by name below

USERS = 6
ROUNDS = 4
KILL_AFTER = USERS * 2  # deliveries completed before the gate closes
REPLY_WAIT = 5.0  # a 2xx comes after the turn's replies were sent; this only absorbs scheduling


@pytest.fixture
async def connector(serve_app: ServeApp) -> GatedConnector:
    gated = GatedConnector()
    gated.base_url = await serve_app(gated.app())
    return gated


@pytest.fixture
async def replicas(tmp_path: Path, database_url: str, faq_dir: Path) -> AsyncIterator[tuple[Replica, ...]]:
    async with running_replicas(tmp_path, database_url, faq_dir) as started:
        yield started


async def test_a_replica_killed_mid_turn_loses_no_survey_and_every_submit_is_thanked_once_stored(
    replicas: tuple[Replica, ...], connector: GatedConnector, database_url: str, faq_dir: Path
) -> None:
    a, b = replicas
    units, _ = load_units(faq_dir / "units.yml")
    assert units is not None
    unit = units.units[0].id
    in_flight: dict[str, str] = {}  # activity id -> the replica its current attempt went to
    deliveries: list[Delivery] = []
    unanswered: list[str] = []  # activity ids acknowledged without the reply the user expects
    completed = 0
    gate_closed = asyncio.Event()
    killed_at = 0.0
    caught: list[str] = []  # A's turns whose replies were held when it died: their state was saved

    def sending(activity_id: str, replica: Replica) -> None:
        in_flight[activity_id] = replica.name

    async def send(
        http: aiohttp.ClientSession, user: int, activity_id: str, first: int, **extra: Any
    ) -> None:
        nonlocal completed
        activity = message_activity(
            connector.base_url,
            conversation_id=f"a:survey-user-{user}",
            user_id=f"29:survey-user-{user}",
            activity_id=activity_id,
            locale="nl-BE",
            **extra,
        )
        deliveries.append(await deliver(http, replicas, activity, first=first, sending=sending))
        del in_flight[activity_id]
        try:
            await connector.wait_until(lambda: bool(connector.replies_to(activity_id)), REPLY_WAIT)
        except TimeoutError:
            unanswered.append(activity_id)
        completed += 1
        if completed == KILL_AFTER:
            connector.close_gate()
            gate_closed.set()

    async def user(number: int, http: aiohttp.ClientSession) -> None:
        if number % 2:  # out of step with the others, so that starts and submits are in flight together
            await send(http, number, f"u{number}-question", number % 2, text="wat is mfa")
        for round_ in range(ROUNDS):
            first = (number + round_) % 2
            start = f"u{number}-r{round_}-start"
            await send(http, number, start, first, text="feedback")
            forms = [reply for reply in connector.replies_to(start) if reply.get("attachments")]
            button = forms[-1]["attachments"][0]["content"]["actions"][0]["data"] if forms else {}
            answers = {
                **button,  # what the form's button sends (the form's identity among it)
                "tool": "teams",
                "unit": unit,
                "rating": str(1 + (number + round_) % 5),
                "works": f"survey u{number} r{round_}",
            }
            await send(http, number, f"u{number}-r{round_}-submit", 1 - first, text="", value=answers)

    async def killer() -> None:
        nonlocal killed_at
        await gate_closed.wait()
        # Wait until a turn running on A is caught mid-flight (its reply held), then kill A.
        await connector.wait_until(lambda: any(in_flight.get(str(h)) == a.name for h in connector.held), 30)
        caught.extend(str(h) for h in connector.held if in_flight.get(str(h)) == a.name)
        a.kill()
        killed_at = asyncio.get_running_loop().time()
        assert await a.process.wait() == -9
        connector.open_gate()
        print(f"killed {a.name} with turns of {caught} mid-flight")

    timeout = aiohttp.ClientTimeout(total=20)
    async with asyncio.timeout(240), aiohttp.ClientSession(timeout=timeout) as http:
        kill = asyncio.create_task(killer())
        await asyncio.gather(*(user(n, http) for n in range(USERS)))
        await kill

    assert not unanswered, f"acknowledged but never answered: {unanswered}"
    database = await open_database(database_url)
    try:
        rows = await database.executor.fetch("SELECT works, COUNT(*) FROM surveys GROUP BY works")
    finally:
        await database.close()
    expected = {f"survey u{n} r{r}" for n in range(USERS) for r in range(ROUNDS)}
    assert dict(rows) == dict.fromkeys(expected, 1)
    for n in range(USERS):
        for r in range(ROUNDS):
            thanks = connector.replies_to(f"u{n}-r{r}-submit")
            assert thanks and all(t.get("text", "").startswith("Bedankt voor je feedback") for t in thanks)
            assert all(reply.get("attachments") for reply in connector.replies_to(f"u{n}-r{r}-start"))
    # A had saved those turns (their replies were on the way): B sent the saved replies, not a re-run.
    replayed = [json.loads(line) for line in b.log().splitlines() if '"turn.replayed"' in line]
    assert set(caught) <= {entry["activity_id"] for entry in replayed}
    retried = [d for d in deliveries if len(d.attempts) > 1]
    assert any(name == a.name for d in retried for name, _ in d.attempts[:1])  # A's turns were redelivered
    print(
        "redelivered (processed n s after the SIGKILL):",
        *(f"{d.activity_id}: {d.answered_at - killed_at:.1f} s {d.attempts}" for d in retried),
        sep="\n  ",
    )
