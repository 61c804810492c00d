"""What users type reaches the ambassadors' card as text, over real HTTP: a question carrying Markdown
links, headings and lists is shown literally (no clickable link planted in a staff card), and ten very
long questions make a card Teams accepts, not half a megabyte."""

from __future__ import annotations

import asyncio
import random
import re
import sqlite3
import string
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from markdown_it import MarkdownIt

from bot.app import create_app
from bot.cards.message import MAX_MESSAGE_BYTES, message_size
from bot.settings import Settings
from tests.e2e.conftest import Chat, card_of
from tests.harness.fixtures import ServeApp

AMBASSADOR = "00000000-0000-0000-0000-0000000000aa"
MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(["linkify", "strikethrough"])


@pytest.fixture
async def served(settings: Settings, serve_app: ServeApp) -> tuple[web.Application, str]:
    app = create_app(settings.with_overrides(ambassador_members=frozenset({AMBASSADOR})))
    return app, await serve_app(app)


def _a_week_passes(settings: Settings) -> None:
    """Move every stored question eight days back: the card lists closed ISO weeks only
    (docs/anonymity.md), so what was asked this week shows once the week is over. Eight days, not seven:
    in the hour after Monday 00:00 (Brussels) last week is not closed yet (nwow/feedback/periods.py SETTLE),
    and a question moved back seven days would still be in it.

    Blocking: run it in a thread. The bot serves in this test's event loop and may still be finishing the
    turn's last write (its transaction needs the loop to commit); blocking the loop here would wait on a
    lock that cannot be released until the wait ends ("database is locked")."""
    with sqlite3.connect(settings.data_dir / "nwow.sqlite3", timeout=30) as db:
        rows = db.execute("SELECT submission_id, asked_at FROM unanswered").fetchall()
        for submission, asked_at in rows:
            earlier = datetime.fromisoformat(asked_at) - timedelta(days=8)
            db.execute(
                "UPDATE unanswered SET asked_at = ? WHERE submission_id = ?",
                (earlier.isoformat(timespec="microseconds"), submission),
            )


async def _ambassador_asks_for_unanswered(chat: Chat, settings: Settings) -> dict[str, Any]:
    """A week later, an ambassador, in their own chat with the bot, types "unanswered"; the reply."""
    await asyncio.to_thread(_a_week_passes, settings)
    ambassador = Chat(
        chat.base_url,
        chat.connector,
        conversation_id="a:ambassador",
        **{"from": {"id": "29:amb", "aadObjectId": AMBASSADOR}},
    )
    ambassador.seen = chat.seen
    [reply] = await ambassador.say("unanswered", locale="en-US")
    return reply


def _questions(card: dict[str, object]) -> list[str]:
    """The questions the card lists: each right under its "N× (languages)" line."""
    body = card["body"]
    assert isinstance(body, list)
    return [e["text"] for e in body if e.get("type") == "TextBlock" and e.get("spacing") == "None"]


async def test_a_planted_link_in_a_question_shows_as_text_in_the_ambassadors_card(
    chat: Chat, settings: Settings
) -> None:
    # About Teams (in the FAQ's scope: the card lists only questions the FAQ should answer and does not).
    planted = (
        "# Urgent [reset your Teams login here](https://evil.example/login) - https://evil.example **now**"
    )
    await chat.say(planted, locale="en-US")
    reply = await _ambassador_asks_for_unanswered(chat, settings)
    [question] = _questions(card_of(reply))
    rendered = MARKDOWN.render(question)
    assert re.findall(r"<([a-z0-9]+)", rendered) == ["p"], rendered  # no link, heading, list or emphasis
    assert "https[:]//evil[.]example/login" in rendered and "[reset your Teams login here]" in rendered


async def test_ten_long_questions_make_an_unanswered_card_under_the_teams_limit(
    chat: Chat, settings: Settings
) -> None:
    for n in range(10):
        letters = random.Random(n).choices(string.ascii_lowercase, k=27_000)  # ten distinct ~27 KB questions
        words = " ".join("".join(letters[i : i + 8]) for i in range(0, len(letters), 8))
        await chat.say(f"pourquoi Teams {words}", locale="fr-BE")
    reply = await _ambassador_asks_for_unanswered(chat, settings)
    card = card_of(reply)
    assert len(_questions(card)) == 10
    assert message_size(card) <= MAX_MESSAGE_BYTES
    assert not any("shortened" in str(element.get("text")) for element in card["body"])
