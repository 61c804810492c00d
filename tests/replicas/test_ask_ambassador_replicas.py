"""Ask an ambassador across two replicas of the real bot (separate processes, one database, SQLite and
PostgreSQL), over real HTTP: the user asks on one replica and sends the form on the other; the question's
card reaches the ambassadors' channel; two ambassadors click "I'll take it" at the same moment, one on each
replica: one wins, the other's card names the winner; the winner answers on the replica they did not claim
on; the answer arrives in the user's own chat (proactively, once), and the channel's card is updated for
everyone (PUT on the activity the card became) to "answered".
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.strings import t
from tests.e2e.conftest import faq_dir
from tests.harness import FakeConnector
from tests.harness.ambassadors import (
    ANN,
    BEN,
    TEAM,
    USER_CHAT,
    actions_of,
    card_in,
    click,
    posted_to,
    team_install,
    texts,
    user_says,
)
from tests.harness.waiting import eventually
from tests.replicas.databases import database_url
from tests.replicas.processes import Replica, running_replicas
from tests.replicas.test_two_replicas import _rows

pytestmark = pytest.mark.slow

__all__ = ["database_url", "faq_dir"]  # fixtures defined elsewhere, used by name below

QUESTION = "Hoe deel ik mijn scherm in Teams?"  # the small test FAQ does not answer it
ANSWER = "Klik op **Delen** bovenaan de vergadering en kies je scherm."
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=15)


@pytest.fixture
async def replicas(
    tmp_path: Path, database_url: str, faq_dir: Path
) -> AsyncIterator[tuple[Replica, Replica]]:
    env = {"NWOW_AMBASSADOR_TEAM_ID": TEAM}
    async with running_replicas(tmp_path, database_url, faq_dir, env=env) as (first, second):
        yield first, second


async def _post(http: aiohttp.ClientSession, replica: Replica, activity: dict[str, Any]) -> tuple[int, Any]:
    async with http.post(replica.messages_url, json=activity) as response:
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, body


async def _next_in(
    connector: FakeConnector, conversation: str, before: int, method: str = "POST"
) -> dict[str, Any]:
    found = await eventually(
        lambda: asyncio.sleep(0, posted_to(connector, conversation, method)),
        lambda found: len(found) > before,
    )
    body: dict[str, Any] = found[before].body
    return body


async def test_two_replicas_one_question_two_ambassadors_one_answer_in_the_users_chat(
    replicas: tuple[Replica, Replica], fake_connector: FakeConnector, database_url: str
) -> None:
    a, b = replicas
    service = fake_connector.base_url
    async with aiohttp.ClientSession(timeout=REQUEST_TIMEOUT) as http:
        assert (await _post(http, a, team_install(service)))[0] in (200, 201)

        # The user asks on A ("I don't know" with the form) and sends the form on B.
        status, _ = await _post(http, a, user_says(service, QUESTION))
        assert status == 201
        unknown = card_in(await _next_in(fake_connector, USER_CHAT, 0))
        [form] = [
            a["data"] for a in actions_of(unknown, "Action.Submit") if a["data"]["action"] == "ticket.ask"
        ]
        status, _ = await _post(http, b, user_says(service, "", value={**form, "share_name": "true"}))
        assert status == 201
        created = card_in(await _next_in(fake_connector, USER_CHAT, 1))
        assert t("ticket.created_title", "nl", number=1) in texts(created)

        # The question's card reaches the ambassadors' channel, once, whichever replica sends it.
        card = card_in(await _next_in(fake_connector, TEAM, 0))
        assert t("amb.card_title", "nl", number=1) in texts(card) and "Van: Eva Janssens" in texts(card)

        # Ann on A and Ben on B take it at the same moment: one wins, the other's card names the winner.
        (ann_status, ann), (ben_status, ben) = await asyncio.gather(
            _post(http, a, click(service, "ticket.claim", {"ticket": 1}, ANN)),
            _post(http, b, click(service, "ticket.claim", {"ticket": 1}, BEN)),
        )
        assert ann_status == ben_status == 200, (ann, ben)
        shown = {"Ann Peeters": texts(ann["value"]), "Ben Dupont": texts(ben["value"])}
        [winner] = [name for name, text in shown.items() if t("amb.note.claimed", "nl") in text]
        [loser] = [name for name in shown if name != winner]
        assert t("amb.note.taken", "nl", name=winner) in shown[loser]
        [(claimed_by,)] = await _rows(database_url, "SELECT claimed_by_name FROM tickets WHERE number = 1")
        assert claimed_by == winner

        # The winner answers on the other replica than the one they claimed on.
        who, there = (ANN, b) if winner == "Ann Peeters" else (BEN, a)
        user_before = len(posted_to(fake_connector, USER_CHAT))
        status, sent = await _post(
            http, there, click(service, "ticket.answer", {"ticket": 1, "answer": ANSWER}, who)
        )
        assert status == 200 and t("amb.note.sent", "nl") in texts(sent["value"])

        # The answer arrives in the user's own chat, proactively; the channel's card says "answered".
        answer = card_in(await _next_in(fake_connector, USER_CHAT, user_before))
        assert t("ticket.answer_title", "nl", number=1) in texts(answer) and ANSWER in texts(answer)
        answered = f"Beantwoord door {winner}"
        updates = await eventually(
            lambda: asyncio.sleep(0, posted_to(fake_connector, TEAM, "PUT")),
            lambda puts: any(answered in texts(card_in(p)) for p in puts),
        )
        [(card_activity,)] = await _rows(
            database_url, "SELECT activity_id FROM outbox WHERE key = 'ticket-card:1'"
        )
        assert card_activity and {p.path.rsplit("/", 1)[-1] for p in updates} == {card_activity}

    # Everything was sent once: one card in the channel, one answer to the user.
    assert len(posted_to(fake_connector, TEAM)) == 1
    title = t("ticket.answer_title", "nl", number=1)
    answers = [
        r
        for r in posted_to(fake_connector, USER_CHAT)
        if r.body.get("attachments") and title in texts(card_in(r))
    ]
    assert len(answers) == 1
    rows = await _rows(database_url, "SELECT status, answered_by_name FROM tickets")
    assert rows == [("answered", winner)]
