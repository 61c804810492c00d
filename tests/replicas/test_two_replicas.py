"""Two replicas of the real bot (separate processes) sharing one database, behind no load balancer but
the test itself: a dialog whose turns alternate between them, and a burst of votes during which one is
killed with SIGKILL. Replies go to the fake Bot Connector on 127.0.0.1 (development mode posts only to
loopback). PostgreSQL is the deployment store (NWOW_TEST_POSTGRES_URL, a fresh database per test); the
same tests run on one SQLite file shared by both processes (WAL mode).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.settings import Settings
from nwow.storage import open_database
from tests.cardcheck import card_objects
from tests.e2e.conftest import faq_dir
from tests.harness import FakeConnector, message_activity
from tests.replicas.databases import database_url
from tests.replicas.processes import Replica, running_replicas

pytestmark = pytest.mark.slow

__all__ = ["database_url", "faq_dir"]  # fixtures defined elsewhere, used by name below

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=15)
REPLY_TIMEOUT = 15.0
SECRET = "sentinel-free-text-7f3a"


@pytest.fixture
async def replicas(
    tmp_path: Path, database_url: str, faq_dir: Path
) -> AsyncIterator[tuple[Replica, Replica]]:
    async with running_replicas(tmp_path, database_url, faq_dir) as (first, second):
        yield first, second


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as session:
        yield session


class Conversation:
    """One user's conversation, each turn posted to whichever replica the test names."""

    def __init__(self, http: aiohttp.ClientSession, connector: FakeConnector, conversation_id: str) -> None:
        self.http = http
        self.connector = connector
        self.conversation_id = conversation_id
        self.seen = 0

    def activity(self, text: str = "", **extra: Any) -> dict[str, Any]:
        return message_activity(
            self.connector.base_url, text, conversation_id=self.conversation_id, locale="nl-BE", **extra
        )

    async def turn(self, replica: Replica, text: str = "", **extra: Any) -> dict[str, Any]:
        """Post one message to `replica`; the one message the bot sent back."""
        async with self.http.post(replica.messages_url, json=self.activity(text, **extra)) as response:
            assert response.status == 201, await response.text()
        async with asyncio.timeout(REPLY_TIMEOUT):
            while len(self._messages()) <= self.seen:
                await self.connector.wait_for_replies(len(self.connector.replies) + 1, within=REPLY_TIMEOUT)
        reply = self._messages()[self.seen]
        self.seen += 1
        return reply

    def _messages(self) -> list[dict[str, Any]]:
        return [
            r.body
            for r in self.connector.replies
            if r.conversation_id == self.conversation_id and r.body.get("type") == "message"
        ]


def card_text(message: dict[str, Any]) -> str:
    """Every text and title in a message's attachments, in the order the card holds them."""
    return "\n".join(
        value
        for _, node in card_objects(message.get("attachments") or [])
        for key, value in node.items()
        if key in ("text", "title") and isinstance(value, str)
    )


async def _rows(database_url: str, sql: str, *args: object) -> list[tuple[Any, ...]]:
    database = await open_database(database_url)
    try:
        async with database.executor.transaction(write=False) as tx:
            return await tx.fetch(sql, *args)
    finally:
        await database.close()


async def _requests_served(http: aiohttp.ClientSession, replica: Replica) -> float:
    async with http.get(replica.base_url + "/metrics") as response:
        text = await response.text()
    return sum(
        float(line.split()[-1]) for line in text.splitlines() if line.startswith("nwow_requests_total{")
    )


async def test_a_survey_whose_turns_alternate_between_replicas_completes(
    replicas: tuple[Replica, Replica],
    fake_connector: FakeConnector,
    http: aiohttp.ClientSession,
    database_url: str,
) -> None:
    a, b = replicas
    chat = Conversation(http, fake_connector, "a:alternating")
    form = await chat.turn(a, "feedback")
    survey = form["attachments"][0]["content"]
    unit = next(e for e in survey["body"] if e.get("id") == "unit")["choices"][0]["value"]
    [submit] = [action["data"] for action in survey["actions"]]  # what the form's button sends
    answers = {**submit, "tool": "teams", "unit": unit, "works": SECRET}

    again = await chat.turn(b, value=answers)  # replica B continues the dialog replica A started
    assert "Geef een score van 1 tot 5" in card_text(again)
    thanks = await chat.turn(a, value={**answers, "rating": "4"})  # and A finishes what B asked for
    assert "Bedankt voor je feedback" in thanks["text"]
    answer = await chat.turn(b, "wat is mfa")  # the dialog is over on every replica
    assert "tweede bewijs" in card_text(answer)

    rows = await _rows(database_url, "SELECT tool, rating, works, unit FROM surveys")
    assert rows == [("teams", 4, SECRET, unit)]
    assert await _requests_served(http, a) == 2
    assert await _requests_served(http, b) == 2
    for replica in (a, b):  # JSON lines at INFO, and what users typed is not in them
        log = replica.log()
        assert all(json.loads(line)["level"] for line in log.splitlines())
        assert SECRET not in log and "wat is mfa" not in log


def _voter(answer_id: str) -> dict[str, Any]:
    """A voter per vote: a user has one vote per entry, and each vote of the burst must be kept."""
    return {"from": {"id": f"29:{answer_id}", "aadObjectId": f"voter-{answer_id}"}}


async def test_killing_a_replica_mid_burst_loses_no_acknowledged_vote_and_the_other_keeps_serving(
    replicas: tuple[Replica, Replica],
    fake_connector: FakeConnector,
    http: aiohttp.ClientSession,
    database_url: str,
) -> None:
    a, b = replicas
    users, votes_each = 8, 20
    kill_after = users * votes_each // 3
    outcomes: dict[str, int | None] = {}  # answer_id -> HTTP status (None: the connection failed)
    sent_to: dict[str, str] = {}  # answer_id -> replica name
    completed = itertools.count(1)
    time_to_kill = asyncio.Event()

    async def user(number: int) -> None:
        for vote in range(votes_each):
            replica = (a, b)[(number + vote) % 2]
            answer_id = f"answer-{number}-{vote}"
            activity = message_activity(
                fake_connector.base_url,
                "",
                conversation_id=f"a:burst-{number}",
                activity_id=f"burst-{number}-{vote}",
                locale="nl-BE",
                value={"action": "faq.vote", "entry_id": "mfa-what", "answer_id": answer_id, "helpful": True},
                **_voter(answer_id),
            )
            sent_to[answer_id] = replica.name
            try:
                async with http.post(replica.messages_url, json=activity) as response:
                    await response.read()
                    outcomes[answer_id] = response.status
            except (aiohttp.ClientError, TimeoutError):
                outcomes[answer_id] = None
            if next(completed) == kill_after:
                time_to_kill.set()

    async def killer() -> None:
        await time_to_kill.wait()
        a.kill()

    async with asyncio.timeout(120):
        kill = asyncio.create_task(killer())
        await asyncio.gather(*(user(n) for n in range(users)))
        await kill
        assert await a.process.wait() == -9

    acknowledged = sorted(
        answer for answer, status in outcomes.items() if status is not None and status < 300
    )
    failed = [answer for answer, status in outcomes.items() if status is None or status >= 300]
    assert {sent_to[answer] for answer in failed} == {a.name}  # only the killed replica failed anyone
    assert any(sent_to[answer] == a.name for answer in acknowledged)  # A did serve before it died
    assert len(failed) >= (users * votes_each - kill_after) // 2 - users  # A was dead for the rest
    stored = dict(
        await _rows(
            database_url,
            "SELECT answer_id, count(*) FROM votes WHERE answer_id LIKE $1 GROUP BY answer_id",
            "answer-%",
        )
    )
    claims = dict(
        await _rows(
            database_url,
            "SELECT submission_id, count(*) FROM submissions WHERE kind = $1 GROUP BY submission_id",
            "vote",
        )
    )
    for answer in acknowledged:
        assert stored.get(answer) == 1, answer
        _, number, vote = answer.split("-")
        submission = hmac.new(
            Settings().effective_pseudonym_key,
            f"submission|a:burst-{number}|burst-{number}-{vote}".encode(),
            hashlib.sha256,
        ).hexdigest()
        assert claims.get(submission) == 1, answer
    assert set(stored) <= set(outcomes)

    # The survivor keeps serving: a new question is answered, and it reports ready.
    chat = Conversation(http, fake_connector, "a:after-the-kill")
    reply = await chat.turn(b, "wat is mfa")
    assert "tweede bewijs" in card_text(reply)
    async with http.get(b.base_url + "/readyz") as response:
        assert response.status == 200
