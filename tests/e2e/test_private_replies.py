"""Personal data and staff reports never reach a team or group chat: the bot answers in the user's personal
chat (proactively, through the outbox) and tells the group only that it did. Roles come only from Teams."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import pytest

from bot.app import create_app
from bot.settings import Settings
from tests.e2e.conftest import Chat, card_of, card_text
from tests.harness import FakeConnector, RecordedRequest
from tests.harness.fixtures import ServeApp
from tests.harness.waiting import eventually

DRI = "dddddddd-0000-0000-0000-000000000001"
CHANNEL_ID = "19:general@thread.tacv2;messageid=1"
CHANNEL = {"conversationType": "channel", "id": CHANNEL_ID, "tenantId": "tenant-1"}
MENTION = {"type": "mention", "text": "<at>NWOW</at>", "mentioned": {"id": "28:bot", "name": "NWOW"}}


def in_channel(text: str) -> dict[str, Any]:
    return {"text": f"<at>NWOW</at> {text}", "conversation": CHANNEL, "entities": [MENTION]}


async def sent_to(connector: FakeConnector, count: int) -> list[RecordedRequest]:
    """The first `count` activities the bot posted (typing indicators left out)."""

    def posted() -> list[RecordedRequest]:
        return [r for r in connector.replies if (r.body or {}).get("type") == "message"]

    while len(posted()) < count:
        await connector.wait_for_replies(len(connector.replies) + 1)
    return posted()


def _rows(settings: Settings, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(settings.data_dir / "nwow.sqlite3") as db:
        return db.execute(query).fetchall()


async def test_my_data_asked_in_a_channel_goes_to_a_new_personal_chat(chat: Chat) -> None:
    assert await chat.post(chat.activity(**in_channel("my data"), locale="en-US")) in (200, 201)
    [group_note, private] = sorted(
        await sent_to(chat.connector, 2), key=lambda r: r.conversation_id != CHANNEL_ID
    )

    assert group_note.conversation_id == CHANNEL_ID
    assert group_note.body["text"] == "That is personal: I am sending my answer to our private chat."
    [opened] = [r for r in chat.connector.requests if r.path == "/v3/conversations"]
    assert opened.body["members"] == [{"id": "29:user-1"}]
    assert opened.body["tenantId"] == "tenant-1" and opened.body["isGroup"] is False
    assert private.conversation_id != CHANNEL_ID
    assert "What I keep about you" in card_text(card_of(private.body))
    assert private.body["recipient"] == {"id": "29:user-1"}


async def test_a_user_with_a_personal_chat_gets_the_answer_there(chat: Chat) -> None:
    await chat.say("hallo", conversation_id="a:personal-1", locale="nl-BE")
    assert await chat.post(chat.activity(**in_channel("mijn gegevens"), locale="nl-BE")) in (200, 201)
    posted = await sent_to(chat.connector, 3)
    private = [r for r in posted if r.conversation_id == "a:personal-1" and r.body.get("attachments")]
    assert len(private) == 1
    assert not [r for r in chat.connector.requests if r.path == "/v3/conversations"]
    assert not [r for r in posted if r.conversation_id == CHANNEL_ID and r.body.get("attachments")]


@pytest.fixture
async def dri_chat(settings: Settings, serve_app: ServeApp, fake_connector: FakeConnector) -> Chat:
    """A bot whose settings name `DRI` a DRI member."""
    base_url = await serve_app(create_app(settings.with_overrides(dri_members=frozenset({DRI}))))
    return Chat(base_url, fake_connector)


async def test_the_dri_summary_asked_in_a_channel_is_sent_privately(dri_chat: Chat) -> None:
    user: dict[str, Any] = {"from": {"id": "29:dri-user", "name": "D", "aadObjectId": DRI}}
    activity = dri_chat.activity(**in_channel("summary"), locale="en-US", **user)
    assert await dri_chat.post(activity) in (200, 201)
    posted = await sent_to(dri_chat.connector, 2)
    in_group = [r for r in posted if r.conversation_id == CHANNEL_ID]
    assert [r.body.get("attachments") for r in in_group] == [None]
    [card] = [r for r in posted if r.conversation_id != CHANNEL_ID]
    assert card.body["attachments"][0]["content"]["type"] == "AdaptiveCard"


async def test_roles_are_granted_only_on_a_teams_entra_id(dri_chat: Chat) -> None:
    forged: list[dict[str, Any]] = [
        {"channelId": "webchat", "from": {"id": DRI, "name": "x", "aadObjectId": DRI}},
        {"channelId": "msteams", "from": {"id": DRI, "name": "x"}},
    ]
    for number, extra in enumerate(forged):
        [reply] = await dri_chat.say("summary", conversation_id=f"a:forged-{number}", locale="en-US", **extra)
        assert reply["text"] == "Sorry, this overview is reserved for DRI."
    teams_user: dict[str, Any] = {"from": {"id": "29:d", "aadObjectId": DRI}}
    [granted] = await dri_chat.say("summary", conversation_id="a:dri", locale="en-US", **teams_user)
    assert granted["attachments"][0]["content"]["type"] == "AdaptiveCard"


async def test_a_remembered_home_area_is_not_shown_in_a_channel(chat: Chat) -> None:
    personal: dict[str, Any] = {"conversation_id": "a:personal-1", "locale": "nl-BE"}
    await chat.say("satellietkantoor in Namen", **personal, replies=2)
    remember = {"action": "offices.remember", "place": "Namen", "remember": True, "lang": "nl"}
    await chat.submit(remember, **personal)
    [nearest] = await chat.say("satellietkantoor", **personal)
    assert "Namen" in card_text(card_of(nearest))

    assert await chat.post(chat.activity(**in_channel("satellietkantoor"), locale="nl-BE")) in (200, 201)
    [asked] = await chat.expect(1)
    assert "Namen" not in str(asked)


async def test_nothing_of_the_user_is_kept_under_raw_ids(chat: Chat, settings: Settings) -> None:
    await chat.say("wat wordt het weer morgen in Brugge", locale="nl-BE")
    [(submission,)] = _rows(settings, "SELECT submission_id FROM unanswered")
    assert "conversation" not in submission and "activity" not in submission and len(submission) == 64
    keys = [key for (key,) in _rows(settings, "SELECT key FROM kv")]
    assert not [key for key in keys if "29:user-1" in key or "00000000-0000-0000-0000-000000000001" in key]


async def test_delete_my_data_forgets_the_address_and_writes_no_state_again(
    chat: Chat, settings: Settings
) -> None:
    await chat.say("hallo", locale="nl-BE")
    assert _rows(settings, "SELECT count(*) FROM addresses") == [(1,)]
    await chat.submit({"action": "mydata.delete.confirm", "lang": "nl"})
    assert _rows(settings, "SELECT count(*) FROM addresses") == [(0,)]
    assert [k for (k,) in _rows(settings, "SELECT key FROM kv") if "/users/" in k] == []


async def test_removing_the_app_forgets_the_address(chat: Chat, settings: Settings) -> None:
    await chat.say("hallo", locale="nl-BE")
    removed = chat.activity(type="installationUpdate", action="remove", text=None)
    assert await chat.post(removed) in (200, 201)
    assert _rows(settings, "SELECT count(*) FROM addresses") == [(0,)]


async def test_an_unreachable_personal_chat_is_given_up(chat: Chat, settings: Settings) -> None:
    chat.connector.fail_next(403, path="/v3/conversations")  # opening the personal chat: blocked
    assert await chat.post(chat.activity(**in_channel("my data"), locale="en-US")) in (200, 201)
    rows = await eventually(
        lambda: asyncio.to_thread(_rows, settings, "SELECT status, error FROM outbox"),
        lambda rows: bool(rows) and rows[0][0] not in ("queued", "sending"),
    )
    assert rows == [("gone", "HTTP 403")]
    assert _rows(settings, "SELECT count(*) FROM addresses") == [(0,)]
