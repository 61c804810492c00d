"""Copies of one activity arriving at one process at the same moment (a channel that retried quickly, a
proxy that duplicated the POST): one turn runs, and every copy is acknowledged with a 2xx once it has.
Over real HTTP to the whole app (`create_app`), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import create_app
from bot.settings import Settings
from nwow.storage import open_database
from tests.e2e.conftest import faq_dir
from tests.harness import FakeConnector, message_activity
from tests.harness.fixtures import ServeApp
from tests.replicas.databases import database_url

__all__ = ["database_url", "faq_dir"]  # fixtures defined elsewhere, used by name below

COPIES = 10


async def _served(tmp_path: Path, faq_dir: Path, database_url: str, serve_app: ServeApp) -> str:
    settings = Settings().with_overrides(
        dev_mode=True, data_dir=tmp_path / "data", faq_dir=faq_dir, database_url=database_url
    )
    return await serve_app(create_app(settings))


def _messages_replying_to(connector: FakeConnector, activity_id: str) -> list[dict[str, Any]]:
    """The messages (typing indicators left out) the bot sent in reply to `activity_id`."""
    return [
        r.body for r in connector.replies if r.reply_to_id == activity_id and r.body.get("type") == "message"
    ]


async def _post_copies(base_url: str, activity: dict[str, object], copies: int = COPIES) -> list[int]:
    async with aiohttp.ClientSession() as http:

        async def post() -> int:
            async with http.post(base_url + "/api/messages", json=activity) as response:
                await response.read()
                return response.status

        return await asyncio.gather(*(post() for _ in range(copies)))


async def test_ten_concurrent_copies_of_a_question_run_one_turn_and_all_get_a_2xx(
    tmp_path: Path, faq_dir: Path, database_url: str, serve_app: ServeApp, fake_connector: FakeConnector
) -> None:
    base_url = await _served(tmp_path, faq_dir, database_url, serve_app)
    activity = message_activity(
        fake_connector.base_url, "wat is mfa", activity_id="copied-question", locale="nl-BE"
    )

    statuses = await _post_copies(base_url, activity)

    assert sorted(statuses) == [201] * COPIES
    answers = _messages_replying_to(fake_connector, "copied-question")
    assert len(answers) == 1  # one turn, one answer


async def test_ten_concurrent_copies_of_a_survey_submit_store_it_once_and_thank_once(
    tmp_path: Path, faq_dir: Path, database_url: str, serve_app: ServeApp, fake_connector: FakeConnector
) -> None:
    base_url = await _served(tmp_path, faq_dir, database_url, serve_app)
    start = message_activity(fake_connector.base_url, "feedback", activity_id="start", locale="nl-BE")
    assert await _post_copies(base_url, start, copies=1) == [201]
    [form] = _messages_replying_to(fake_connector, "start")
    survey = form["attachments"][0]["content"]
    unit = next(e for e in survey["body"] if e.get("id") == "unit")["choices"][0]["value"]
    [button] = [action["data"] for action in survey["actions"]]  # what the form's button sends
    answers = {**button, "tool": "teams", "unit": unit, "rating": "4", "works": "copied submit"}
    activity = message_activity(
        fake_connector.base_url, "", activity_id="copied-submit", locale="nl-BE", value=answers
    )

    statuses = await _post_copies(base_url, activity)

    assert sorted(statuses) == [201] * COPIES
    thanks = _messages_replying_to(fake_connector, "copied-submit")
    assert len(thanks) == 1 and thanks[0].get("text", "").startswith("Bedankt voor je feedback!"), json.dumps(
        thanks
    )[:500]
    database = await open_database(database_url)
    try:
        rows = await database.executor.fetch("SELECT works FROM surveys")
    finally:
        await database.close()
    assert rows == [("copied submit",)]
