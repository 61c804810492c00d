"""Adoption pulses end to end, over real HTTP on SQLite and PostgreSQL, with two replicas of the bot on one
database: users install the app, DRI starts a pulse with `nwow pulse start` (a real process), the replica
holding the sender lease delivers one card per user through the fake Bot Connector (some calls answered 429,
one user removed the app: 403), users answer on either replica (once; a second answer, a form with gaps,
"don't ask me again"), DRI asks the bot "pulses", closes the pulse with `nwow pulse close`; "my data" shows
an answer and "delete my data" deletes it."""

from __future__ import annotations

import asyncio
import csv
import functools
import os
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import create_app
from bot.settings import Settings
from bot.strings import t
from nwow.feedback.pseudonym import pseudonymize
from nwow.pulses.launch import pulse_status
from nwow.storage import Database, open_database
from tests.cardcheck import assert_valid_card, card_objects
from tests.harness import FakeConnector, message_activity, send_activity
from tests.harness.ambassadors import card_in, posted_to, texts
from tests.harness.fixtures import ServeApp
from tests.harness.pulses import write_pulse_file
from tests.harness.waiting import eventually
from tests.storage.conftest import database_url, postgres_database_url

__all__ = ["database_url", "postgres_database_url"]

DRI = {"id": "29:dri", "name": "Dirk DRI", "aadObjectId": "dddddddd-0000-0000-0000-00000000000d"}
LOCALES = ("nl-BE", "fr-BE", "de-DE", "en-US", "nl-BE", "fr-BE", "nl-BE", "nl-BE")
PULSE_ID = "e2e-teams-pulse"
GONE = 7  # the last user removed the app: their chat answers 403


def _user(number: int) -> dict[str, Any]:
    return {
        "id": f"29:user-{number}",
        "name": f"User {number}",
        "aadObjectId": f"00000000-0000-0000-0000-{number:012d}",
    }


def _chat(number: int) -> str:
    return f"a:personal-{number}"


TITLE = {
    "nl": "Hoe gaat het met Teams?",
    "fr": "Comment ça va avec Teams ?",
    "de": "Wie läuft Teams?",
    "en": "How is Teams going?",
}


def _pulse_file(folder: Path) -> Path:
    return write_pulse_file(folder, PULSE_ID, TITLE, rating_id="teams-rating")


async def _nwow(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@dataclass
class Deployment:
    replicas: list[str]
    connector: FakeConnector
    db: Database
    env: dict[str, str]
    settings: Settings

    async def post(self, replica: int, activity: dict[str, Any]) -> None:
        status, _ = await send_activity(self.replicas[replica % len(self.replicas)], activity)
        assert status in (200, 201), status

    def activity(self, number: int, text: str | None = "", **extra: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "conversation_id": _chat(number),
            "locale": LOCALES[number],
            "from": _user(number),
            **extra,
        }
        return message_activity(self.connector.base_url, text, **fields)

    async def says(self, replica: int, number: int, text: str | None = "", **extra: Any) -> dict[str, Any]:
        """User `number` writes (or clicks) on `replica`; the bot's next message in their chat."""
        before = len(posted_to(self.connector, _chat(number)))
        await self.post(replica, self.activity(number, text, **extra))
        found = await eventually(
            lambda: asyncio.sleep(0, posted_to(self.connector, _chat(number))),
            lambda found: len(found) > before,
        )
        body: dict[str, Any] = found[before].body
        return body


@pytest.fixture
async def deployment(
    settings: Settings,
    database_url: str,
    serve_app: ServeApp,
    fake_connector: FakeConnector,
    faq_dir: Path,
) -> AsyncIterator[Deployment]:
    served = settings.with_overrides(
        database_url=database_url,
        dri_members=frozenset({DRI["aadObjectId"]}),
        proactive_rate=50.0,
        min_group_size=5,
    )
    replicas = [await serve_app(create_app(served)) for _ in range(2)]
    database = await open_database(served.effective_database_url)
    env = {
        "NWOW_DATABASE_URL": served.effective_database_url,
        "NWOW_FAQ_DIR": str(faq_dir),
        "NWOW_DATA_DIR": str(served.data_dir),
        "NWOW_MIN_GROUP_SIZE": "5",
    }
    try:
        yield Deployment(replicas, fake_connector, database, env, served)
    finally:
        await database.close()


def _answer(card: dict[str, Any], **answers: str) -> dict[str, Any]:
    """What Teams sends when the user fills in the card and presses its first button."""
    submit = next(node for _, node in card_objects(card) if node.get("type") == "Action.Submit")
    return {**submit["data"], **answers}


async def _install_everyone(deployment: Deployment) -> None:
    for number in range(len(LOCALES)):
        await deployment.post(
            number, deployment.activity(number, None, type="installationUpdate", action="add")
        )
    await eventually(
        lambda: deployment.db.addresses.recipients("user"), lambda found: len(found) == len(LOCALES)
    )


def _report_rows(path: Path) -> list[list[str]]:
    """The report's CSV (for Excel in Belgium: ';', a BOM), without its header."""
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))[1:]


def _pulse_cards(deployment: Deployment, number: int) -> list[dict[str, Any]]:
    return [
        card_in(request)
        for request in posted_to(deployment.connector, _chat(number))
        if request.body.get("attachments")
        and any(
            node.get("data", {}).get("action") == "pulse.answer" for _, node in card_objects(card_in(request))
        )
    ]


async def test_a_pulse_from_start_to_close_on_two_replicas(deployment: Deployment, tmp_path: Path) -> None:
    await _install_everyone(deployment)
    # A storm of 429s for the first calls, and one user who removed the app (their chat answers 403).
    deployment.connector.fail_next(429, times=4, retry_after="1")
    deployment.connector.fail_next(403, times=1, path=f"/v3/conversations/{_chat(GONE)}/activities")

    code, out, err = await _nwow(
        "pulse", "start", str(_pulse_file(tmp_path)), "--now", "--no-wait", env=deployment.env
    )
    assert code == 0, err
    assert f"Started pulse {PULSE_ID}: {len(LOCALES)} recipient(s)" in out

    # Every reachable user gets exactly one card, in their language; the one who removed the app none.
    async def cards_of(number: int) -> list[dict[str, Any]]:
        return _pulse_cards(deployment, number)

    for number in range(len(LOCALES) - 1):
        cards = await eventually(functools.partial(cards_of, number), lambda found: len(found) >= 1)
        assert len(cards) == 1
        assert_valid_card(cards[0])
        assert cards[0]["lang"] == LOCALES[number][:2]
    status = await eventually(
        lambda: pulse_status(deployment.db.pulses, PULSE_ID), lambda s: s is not None and s.queued == 0
    )
    assert status is not None
    assert (status.delivered, status.gone, status.failed) == (len(LOCALES) - 1, 1, 0)
    assert _pulse_cards(deployment, GONE) == []
    key = pseudonymize(_user(GONE)["aadObjectId"], deployment.settings.effective_pseudonym_key)
    assert await deployment.db.addresses.lookup([key]) == {}
    assert any(r.status == 429 for r in deployment.connector.requests)

    # Users answer on either replica.
    for number in range(5):
        card = _pulse_cards(deployment, number)[0]
        value = _answer(
            card, **{"q.teams-rating": str(1 + number % 5), "q.telework": "yes", "q.comment": "Goed"}
        )
        reply = await deployment.says(number, number, None, value=value)
        assert reply["text"] == t("pulse.thanks", card["lang"])
    # A second answer (another click, the other replica) is not counted again.
    again = _answer(_pulse_cards(deployment, 0)[0], **{"q.teams-rating": "5", "q.telework": "no"})
    reply = await deployment.says(1, 0, None, value=again)
    assert reply["text"] == t("pulse.already", "nl")
    # A form with a gap comes back with what was filled in and what is missing.
    card5 = _pulse_cards(deployment, 5)[0]
    gap = _answer(card5, **{"q.teams-rating": "3", "unit": "fed-dri", "remember_unit": "false"})
    back = await deployment.says(0, 5, None, value=gap)
    back_card = card_in(back)
    assert t("pulse.fix", "fr", count="1") in texts(back_card)
    values = {node.get("id"): node.get("value") for _, node in card_objects(back_card) if "id" in node}
    # What the user filled in is kept, and "remember my unit" stays as they left it (unticked).
    assert (values["q.teams-rating"], values["unit"], values["remember_unit"]) == ("3", "fed-dri", "false")
    # Someone whose card never arrived (they removed the app) cannot answer it with a forged submit.
    forged = {**_answer(card5, **{"q.teams-rating": "1", "q.telework": "no"}), "lang": "nl"}
    refused = await deployment.says(1, GONE, None, value=forged)
    assert refused["text"] == t("pulse.not_for_you", "nl")
    # "Don't ask me again".
    card6 = _pulse_cards(deployment, 6)[0]
    opt_out = next(
        node["data"]
        for _, node in card_objects(card6)
        if node.get("type") == "Action.Submit" and node["data"]["action"] == "pulse.optout"
    )
    reply = await deployment.says(1, 6, None, value=opt_out)
    assert reply["text"] == t("pulse.opted_out", "nl")
    answers = await deployment.db.pulses.answers(PULSE_ID)
    assert sorted(a.answers["teams-rating"] for a in answers) == [1, 2, 3, 4, 5]
    assert len({a.user_key for a in answers}) == 5

    # DRI asks the bot; anyone else is refused.
    dri_chat = "a:personal-dri"
    who: dict[str, Any] = {"from": DRI, "locale": "en-US"}
    dri_says = message_activity(deployment.connector.base_url, "pulses", conversation_id=dri_chat, **who)
    await deployment.post(0, dri_says)
    dri_reply = await eventually(
        lambda: asyncio.sleep(0, posted_to(deployment.connector, dri_chat)), lambda found: len(found) >= 1
    )
    status_card = card_in(dri_reply[0])
    assert_valid_card(status_card)
    facts = {
        fact["title"]: fact["value"]
        for _, node in card_objects(status_card)
        if node.get("type") == "FactSet"
        for fact in node["facts"]
    }
    assert PULSE_ID in texts(status_card)
    assert facts[t("pulse.answered", "en")] == "5" and facts[t("pulse.gone", "en")] == "1"
    refused = await deployment.says(0, 1, "pulses")
    assert refused["text"] == t("staff.refused", "en", audience=t("staff.audience_dri", "en"))

    # DRI closes the pulse: its results are kept as they are now, in the report; a late answer is not counted.
    code, out, err = await _nwow("pulse", "close", PULSE_ID, env=deployment.env)
    assert code == 0, err
    report = tmp_path / "report.csv"
    code, _, err = await _nwow(
        "feedback", "report", "--format", "csv", "--out", str(report), env=deployment.env
    )
    assert code == 0, err
    rows = _report_rows(report)
    [pulse_row] = [row for row in rows if row[:2] == ["pulse", PULSE_ID]]
    assert pulse_row[4] == "5", pulse_row  # respondents
    # Five ratings 1..5: each a group of one, never shown (nor a mean that would give them away); the five
    # "yes" to telework are shown.
    rating = [row for row in rows if row[0] == "pulse_answer" and row[1] == f"{PULSE_ID}/teams-rating/all"]
    assert [(row[-3], row[13]) for row in rating] == [("others", "5")], rating
    telework = [row for row in rows if row[0] == "pulse_answer" and row[1] == f"{PULSE_ID}/telework/all"]
    assert ("yes", "5") in [(row[-3], row[13]) for row in telework], telework
    late = await deployment.says(
        1, 5, None, value=_answer(card5, **{"q.teams-rating": "3", "q.telework": "no"})
    )
    assert late["text"] == t("pulse.closed", "fr")
    assert len(await deployment.db.pulses.answers(PULSE_ID)) == 5

    # My data shows the answer; delete my data deletes it (the kept results of the closed pulse stay).
    mine = await deployment.says(0, 2, "meine daten")
    assert t("mydata.pulses", "de", answers="1") in texts(card_in(mine))
    deleted = await deployment.says(1, 2, None, value={"action": "mydata.delete.confirm", "lang": "de"})
    assert deleted["text"].startswith(t("mydata.deleted", "de", count=0).split("0")[0])
    assert len(await deployment.db.pulses.answers(PULSE_ID)) == 4
    code, _, err = await _nwow(
        "feedback", "report", "--format", "csv", "--out", str(report), env=deployment.env
    )
    assert code == 0, err
    after = _report_rows(report)

    def figures(table: list[list[str]]) -> list[list[str]]:
        return [r for r in table if r[0].startswith("pulse") and r[0] != "pulse_comment"]

    def comments(table: list[list[str]]) -> int:
        return sum(r[0] == "pulse_comment" for r in table)

    # The kept figures do not change; the deleted comment is gone (comments are read from the answers).
    assert figures(after) == figures(rows) and (comments(rows), comments(after)) == (5, 4)
    code, out, err = await _nwow("pulse", "status", PULSE_ID, env=deployment.env)
    assert code == 0, err
    assert "answered    4" in out and "gone        1" in out


async def test_a_pulse_file_with_mistakes_is_refused_with_file_and_line(
    deployment: Deployment, tmp_path: Path
) -> None:
    path = _pulse_file(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("kind: yes-no", "kind: yes/no"), encoding="utf-8"
    )
    code, _, err = await _nwow("pulse", "start", str(path), "--now", "--no-wait", env=deployment.env)
    assert code == 1
    assert f"{path}:10: error: `kind` of question 'telework' is 'yes/no'" in err
    assert "nothing was started" in err
    assert await deployment.db.pulses.all() == []
