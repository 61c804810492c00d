"""The bot end to end: activities over real HTTP into `create_app`, replies captured by the fake connector,
stored data read back from the real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from tests.e2e.conftest import Chat, card_of, card_text, submit_values
from tests.harness import FakeConnector
from tests.harness.fixtures import ServeApp


def _rows(settings: Settings, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(settings.data_dir / "nwow.sqlite3") as db:
        return db.execute(query, params).fetchall()


async def test_welcome_card_is_sent_once_per_user_in_their_language(chat: Chat) -> None:
    added = chat.activity(
        type="conversationUpdate",
        text=None,
        locale="fr-BE",
        membersAdded=[{"id": "28:bot"}, {"id": "29:user-1"}],
    )
    assert await chat.post(added) in (200, 201)
    installed = chat.activity(type="installationUpdate", action="add", text=None, locale="fr-BE")
    assert await chat.post(installed) in (200, 201)
    assert await chat.post({**added, "id": "another-update"}) in (200, 201)
    [welcome] = await chat.expect(1)
    assert "Bienvenue" in card_text(card_of(welcome))
    reply = await chat.say("bonjour", locale="fr-BE")
    assert reply[0]["text"].startswith("Bonjour")
    assert len([r for r in chat.connector.replies if r.body.get("attachments")]) == 1


async def test_questions_are_answered_in_the_language_they_are_asked_in(chat: Chat) -> None:
    [nl] = await chat.say("hoe zet ik teams op mijn gsm", locale="en-US")
    card = card_of(nl)
    assert "Installeer de Teams-app" in card_text(card)
    assert card["lang"] == "nl"
    [fr] = await chat.say("comment installer teams sur mon smartphone", locale="nl-BE")
    assert "Installez l'application Teams" in card_text(card_of(fr))
    links = [a for a in card_of(fr)["body"] if a.get("type") == "ActionSet"]
    assert links[0]["actions"][0]["url"] == "https://helpdesk.intranet.example/"


@pytest.fixture
async def choosy_chat(settings: Settings, serve_app: ServeApp, fake_connector: FakeConnector) -> Chat:
    """A bot whose ambiguity gap is set (NWOW_MATCH_AMBIGUITY_GAP) instead of derived from its small FAQ."""
    return Chat(await serve_app(create_app(settings.with_overrides(match_ambiguity_gap=1.0))), fake_connector)


async def test_ambiguous_question_offers_choices_and_a_choice_gives_its_answer(choosy_chat: Chat) -> None:
    chat = choosy_chat
    [reply] = await chat.say("yammer groep", locale="nl-BE")
    card = card_of(reply)
    choices = [v for v in submit_values(card) if v["action"] == "faq.show"]
    assert {c["entry_id"] for c in choices} == {"yammer-join", "yammer-admin"}
    [answer] = await chat.submit(next(c for c in choices if c["entry_id"] == "yammer-admin"), locale="nl-BE")
    assert "huidige beheerder" in card_text(card_of(answer))


async def test_out_of_scope_question_is_recorded_as_unanswered_without_identity(
    chat: Chat, settings: Settings
) -> None:
    [reply] = await chat.say("wat wordt het weer morgen in Brugge", locale="nl-BE")
    assert "Dat weet ik nog niet" in card_text(card_of(reply))
    rows = _rows(settings, "SELECT text, lang FROM unanswered")
    assert rows == [("wat wordt het weer morgen in Brugge", "nl")]
    columns = [c[1] for c in _rows(settings, "PRAGMA table_info(unanswered)")]
    assert not any("user" in c for c in columns)


async def test_thumbs_vote_is_stored_once_even_when_the_channel_retries(
    chat: Chat, settings: Settings
) -> None:
    [answer] = await chat.say("wat is mfa", locale="nl-BE")
    up = next(v for v in submit_values(card_of(answer)) if v.get("helpful") is True)
    vote = chat.activity("", value=up, locale="nl-BE")
    assert await chat.post(vote) in (200, 201)
    assert await chat.post(vote) in (200, 201)  # the channel's retry: same activity id
    [thanks] = await chat.expect(1)
    assert "Bedankt voor je stem" in thanks["text"]
    assert _rows(settings, "SELECT entry_id, helpful FROM votes") == [("mfa-what", 1)]
    down = next(v for v in submit_values(card_of(answer)) if v.get("helpful") is False)
    await chat.submit(down, locale="nl-BE")  # changing one's mind on the same card replaces the vote
    assert _rows(settings, "SELECT entry_id, helpful FROM votes") == [("mfa-what", 0)]


async def test_feedback_survey_asks_for_what_is_missing_then_stores_one_row(
    chat: Chat, settings: Settings
) -> None:
    [form] = await chat.say("feedback", locale="nl-BE")
    survey = card_of(form)
    unit = next(e for e in survey["body"] if e.get("id") == "unit")["choices"][0]["value"]
    [button] = submit_values(survey)
    submit = {
        **button,
        "tool": "teams",
        "unit": unit,
        "works": "<b>chat</b>",
    }
    [again] = await chat.submit(submit, locale="nl-BE")
    assert "Geef een score van 1 tot 5" in card_text(card_of(again))
    assert _rows(settings, "SELECT count(*) FROM surveys") == [(0,)]
    complete = chat.activity("", value={**submit, "rating": "4"}, locale="nl-BE")
    assert await chat.post(complete) in (200, 201)
    assert await chat.post(complete) in (200, 201)
    [thanks] = await chat.expect(1)
    assert "Bedankt voor je feedback" in thanks["text"]
    rows = _rows(settings, "SELECT tool, rating, works, unit, contact_ok, contact_id, user_key FROM surveys")
    assert len(rows) == 1
    tool, rating, works, stored_unit, contact_ok, contact_id, user_key = rows[0]
    assert (tool, rating, works, stored_unit, contact_ok, contact_id) == (
        "teams",
        4,
        "<b>chat</b>",
        unit,
        0,
        None,
    )
    assert "00000000-0000-0000-0000-000000000001" not in user_key
    [answer] = await chat.say("wat is mfa", locale="nl-BE")  # the dialog is over: questions work again
    assert "tweede bewijs" in card_text(card_of(answer))


async def test_typing_a_question_during_the_survey_leaves_it_and_answers(chat: Chat) -> None:
    await chat.say("feedback", locale="nl-BE")
    [answer] = await chat.say("wat is mfa", locale="nl-BE")
    assert "tweede bewijs" in card_text(card_of(answer))


async def test_my_data_shows_counts_and_delete_removes_them(chat: Chat, settings: Settings) -> None:
    [answer] = await chat.say("wat is mfa", locale="en-US")
    await chat.submit(submit_values(card_of(answer))[-1], locale="en-US")
    [mine] = await chat.say("my data", locale="en-US")
    assert "1 vote(s)" in card_text(card_of(mine))
    [confirm] = await chat.say("delete my data", locale="en-US")
    yes = next(v for v in submit_values(card_of(confirm)) if v["action"] == "mydata.delete.confirm")
    [done] = await chat.submit(yes, locale="en-US")
    assert done["text"].startswith("Done: I deleted")
    assert _rows(settings, "SELECT count(*) FROM votes") == [(0,)]


async def test_in_a_channel_the_bot_answers_only_when_mentioned(
    served: tuple[web.Application, str], fake_connector: FakeConnector
) -> None:
    chat = Chat(served[1], fake_connector, conversation_id="19:channel@thread.tacv2")
    channel = {"conversationType": "channel", "id": "19:channel@thread.tacv2", "tenantId": "tenant-1"}
    assert await chat.post(chat.activity("wat is mfa", conversation=channel)) in (200, 201)
    mention = {"type": "mention", "text": "<at>NWOW</at>", "mentioned": {"id": "28:bot", "name": "NWOW"}}
    [answer] = await chat.say("<at>NWOW</at> wat is mfa", conversation=channel, entities=[mention])
    assert "tweede bewijs" in card_text(card_of(answer))
    assert len(fake_connector.replies) == 1


async def test_staff_commands_are_refused_to_others(chat: Chat) -> None:
    [reply] = await chat.say("samenvatting", locale="nl-BE")
    assert reply["text"] == "Sorry, dit overzicht is voorbehouden aan DRI."


async def test_edited_faq_is_picked_up_and_a_broken_edit_keeps_the_last_good_version(
    chat: Chat, served: tuple[web.Application, str], faq_dir: Path
) -> None:
    app, base_url = served
    knowledge = app[RUNTIME].knowledge
    entries = faq_dir / "entries" / "tools.yml"
    entries.write_text(
        entries.read_text(encoding="utf-8").replace(
            "Zoek de groep in Yammer", "Zoek de community in Viva Engage"
        ),
        encoding="utf-8",
    )
    await knowledge.reload()
    [answer] = await chat.say("hoe word ik lid van een yammer-groep", locale="nl-BE")
    assert "Viva Engage" in card_text(card_of(answer))
    good_hash = knowledge.current.version.content_hash

    entries.write_text(entries.read_text(encoding="utf-8") + "\n  - id: [broken\n", encoding="utf-8")
    await knowledge.reload()
    assert knowledge.current.version.content_hash == good_hash
    [still] = await chat.say("hoe word ik lid van een yammer-groep", locale="nl-BE")
    assert "Viva Engage" in card_text(card_of(still))
    async with aiohttp.ClientSession() as session, session.get(base_url + "/readyz") as response:
        ready = await response.json()
    assert response.status == 200
    assert ready["knowledge_base"]["content_hash"] == good_hash
    assert ready["knowledge_base"]["last_reload_problems"] >= 1


async def test_health_readiness_and_metrics(served: tuple[web.Application, str], chat: Chat) -> None:
    _, base_url = served
    await chat.say("wat is mfa", locale="nl-BE")
    async with aiohttp.ClientSession() as session:
        async with session.get(base_url + "/healthz") as response:
            assert response.status == 200
        async with session.get(base_url + "/readyz") as response:
            ready = await response.json()
            assert response.status == 200 and ready["status"] == "ready"
            assert ready["knowledge_base"]["entries"] == 4
        async with session.get(base_url + "/metrics") as response:
            text = await response.text()
    assert 'nwow_questions_total{result="answered"} 1.0' in text
    assert "nwow_kb_entries 4.0" in text
