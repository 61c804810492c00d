"""Ask an ambassador, over real HTTP on SQLite and PostgreSQL: the user's question goes as a card to the
ambassadors' channel (through the outbox), an ambassador takes it (Action.Execute: the card comes back to
them at once and is updated for everyone with a PUT), answers, and the answer arrives in the user's own
personal chat; the user rates it, reopens it, lists it, deletes it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from bot.app import RUNTIME, create_app
from bot.cards.escape import user_text
from bot.settings import Settings
from bot.strings import t
from nwow.storage import Database, open_database
from nwow.tickets import TicketStatus
from nwow.tickets.proposals import ProposalKind
from nwow.tickets.questions import Outcome
from tests.cardcheck import assert_valid_card
from tests.harness import FakeConnector, send_activity
from tests.harness.ambassadors import (
    ANN,
    BEN,
    TEAM,
    USER,
    USER_CHAT,
    actions_of,
    card_in,
    click,
    posted_to,
    team_channel,
    team_install,
    texts,
    user_says,
)
from tests.harness.fixtures import ServeApp
from tests.harness.waiting import eventually
from tests.storage.conftest import database_url, postgres_database_url

__all__ = ["database_url", "postgres_database_url"]

QUESTION = "Hoe deel ik mijn scherm in Teams?"
ANSWER = "Klik op **Delen** bovenaan de vergadering en kies je scherm."


class Desk:
    """The served bot, its database and the fake connector, seen from a test."""

    def __init__(
        self, app: web.Application, base_url: str, connector: FakeConnector, database: Database
    ) -> None:
        self.app = app
        self.base_url = base_url
        self.connector = connector
        self.db = database

    async def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        return await send_activity(self.base_url, activity)

    async def user(self, text: str | None = "", **extra: Any) -> dict[str, Any]:
        """The user writes (or clicks) in their personal chat; the bot's next message there."""
        before = len(posted_to(self.connector, USER_CHAT))
        status, _ = await self.post(user_says(self.connector.base_url, text, **extra))
        assert status in (200, 201), status
        return await self.next_in(USER_CHAT, before)

    async def next_in(self, conversation: str, before: int, method: str = "POST") -> dict[str, Any]:
        found = await eventually(
            lambda: asyncio.sleep(0, posted_to(self.connector, conversation, method)),
            lambda found: len(found) > before,
        )
        body: dict[str, Any] = found[before].body
        return body

    async def click(
        self, verb: str, data: dict[str, Any], who: dict[str, Any] = ANN, **extra: Any
    ) -> dict[str, Any]:
        status, body = await self.post(click(self.connector.base_url, verb, data, who, **extra))
        assert status == 200, (status, body)
        assert isinstance(body, dict)
        return body


async def _serve_desk(settings: Settings, serve_app: ServeApp, fake_connector: FakeConnector) -> Desk:
    app = create_app(settings)
    base_url = await serve_app(app)
    return Desk(app, base_url, fake_connector, await open_database(settings.effective_database_url))


@pytest.fixture
async def desk(
    settings: Settings, database_url: str, serve_app: ServeApp, fake_connector: FakeConnector
) -> AsyncIterator[Desk]:
    served = await _serve_desk(
        settings.with_overrides(ambassador_team_id=TEAM, database_url=database_url), serve_app, fake_connector
    )
    try:
        yield served
    finally:
        await served.db.close()


@pytest.fixture
async def choosy_desk(
    settings: Settings, database_url: str, serve_app: ServeApp, fake_connector: FakeConnector
) -> AsyncIterator[Desk]:
    """A desk whose ambiguity gap is set (NWOW_MATCH_AMBIGUITY_GAP) instead of derived from its small FAQ,
    so that "yammer groep" gets "Did you mean"."""
    served = await _serve_desk(
        settings.with_overrides(ambassador_team_id=TEAM, database_url=database_url, match_ambiguity_gap=1.0),
        serve_app,
        fake_connector,
    )
    try:
        yield served
    finally:
        await served.db.close()


def _form(card: dict[str, Any]) -> dict[str, Any]:
    """The data of the "send to an ambassador" button, inside the card's unfolding form."""
    [send] = [a["data"] for a in actions_of(card, "Action.Submit") if a["data"]["action"] == "ticket.ask"]
    return dict(send)


async def _ask(desk: Desk, **inputs: Any) -> tuple[int, dict[str, Any]]:
    """The user asks QUESTION, gets "I don't know" with the form, sends it; (ticket number, channel card)."""
    unknown = await desk.user(QUESTION)
    assert t("faq.unknown_title", "nl") in texts(card_in(unknown))
    channel_before = len(posted_to(desk.connector, TEAM))
    created = await desk.user("", value={**_form(card_in(unknown)), **inputs})
    [ticket] = await desk.db.tickets.for_user(await _user_key(desk), 1)
    assert t("ticket.created_title", "nl", number=ticket.number) in texts(card_in(created))
    posted = await desk.next_in(TEAM, channel_before)
    return ticket.number, card_in(posted)


async def _user_key(desk: Desk) -> str:
    from botbuilder.schema import Activity, ChannelAccount

    from bot.conversation.identity import user_key_for

    activity = Activity(
        channel_id="msteams", from_property=ChannelAccount(id=USER["id"], aad_object_id=USER["aadObjectId"])
    )
    return user_key_for(activity, desk.app[RUNTIME].settings.effective_pseudonym_key)


async def test_a_question_goes_to_the_ambassadors_and_the_answer_comes_back_to_the_users_chat(
    desk: Desk,
) -> None:
    await desk.post(team_install(desk.connector.base_url))
    number, card = await _ask(desk, context="In een <b>vergadering</b> met *externen*", share_name="true")

    # The ambassadors' channel: the question as plain text, the name the user agreed to share, "I'll take it".
    assert_valid_card(card)
    assert t("amb.card_title", "nl", number=number) in texts(card)
    assert user_text("In een <b>vergadering</b> met *externen*", 1000) in texts(card)
    assert "Van: Eva Janssens" in texts(card)
    assert actions_of(card, "Action.Execute")[0]["verb"] == "ticket.claim"

    # Ann takes it: her card comes back at once; everyone else's copy is replaced (PUT on the card's id).
    card_id = posted_to(desk.connector, TEAM)[-1]
    puts_before = len(posted_to(desk.connector, TEAM, "PUT"))
    reply = await desk.click("ticket.claim", {"ticket": number})
    assert reply["statusCode"] == 200 and reply["type"] == "application/vnd.microsoft.card.adaptive"
    assert t("amb.note.claimed", "nl") in texts(reply["value"])
    assert "Genomen door Ann Peeters" in texts(reply["value"])
    update = await desk.next_in(TEAM, puts_before, "PUT")
    [put] = [r for r in posted_to(desk.connector, TEAM, "PUT") if r.body is update]
    assert put.path.endswith(f"/activities/{update['id']}")
    assert "Genomen door Ann Peeters" in texts(card_in(update))
    assert t("amb.note.claimed", "nl") not in texts(card_in(update))  # the note is only for Ann
    assert card_id.status == 201

    # Ben is too late: his card says who has it.
    late = await desk.click("ticket.claim", {"ticket": number}, BEN)
    assert t("amb.note.taken", "nl", name="Ann Peeters") in texts(late["value"])

    # Ann answers with Markdown, a link of links.yml, and proposes a draft entry.
    user_before = len(posted_to(desk.connector, USER_CHAT))
    sent = await desk.click(
        "ticket.answer", {"ticket": number, "answer": ANSWER, "links": "helpdesk", "draft": "true"}
    )
    assert t("amb.note.sent", "nl") in texts(sent["value"])
    answer = card_in(await desk.next_in(USER_CHAT, user_before))
    assert_valid_card(answer)
    assert t("ticket.answer_title", "nl", number=number) in texts(answer)
    assert ANSWER in texts(answer) and "Ann Peeters, NWOW-ambassadeur" in texts(answer)
    assert [a["url"] for a in actions_of(answer, "Action.OpenUrl")] == ["https://helpdesk.intranet.example/"]
    ticket = await desk.db.tickets.get(number)
    assert ticket is not None and ticket.status is TicketStatus.ANSWERED

    # The user says it helped; the ambassadors' card shows it.
    rate = next(a["data"] for a in actions_of(answer, "Action.Submit") if a["data"].get("helpful") is True)
    thanks = await desk.user("", value=rate)
    assert thanks["text"] == t("ticket.rated_up", "nl")
    await eventually(
        lambda: asyncio.sleep(0, [texts(card_in(r)) for r in posted_to(desk.connector, TEAM, "PUT")]),
        lambda shown: any(t("amb.rated_up", "nl") in s for s in shown),
    )

    # "my questions" lists it as answered; the question's record went all the way.
    mine = card_in(await desk.user("mijn vragen"))
    assert f"#{number} · gesteld op" in texts(mine) and "beantwoord op" in texts(mine)
    [record] = await desk.db.questions.between(
        ticket.created_at.replace(year=2000), ticket.created_at.replace(year=2100)
    )
    assert (
        record.outcome is Outcome.AMBASSADOR_ANSWERED and record.helpful is True and record.ticket == number
    )
    [draft] = await desk.db.proposals.pending()
    assert draft.kind is ProposalKind.DRAFT and draft.answer == ANSWER and draft.links == ("helpdesk",)


async def test_without_a_shared_name_the_ambassadors_see_no_name(desk: Desk) -> None:
    await desk.post(team_install(desk.connector.base_url))
    _number, card = await _ask(desk, share_name="false")
    assert "Eva" not in str(card) and t("amb.from_anonymous", "nl") in texts(card)
    [ticket] = await desk.db.tickets.for_user(await _user_key(desk), 1)
    assert ticket.requester_name is None


async def test_the_same_form_sent_twice_is_one_question(desk: Desk) -> None:
    await desk.post(team_install(desk.connector.base_url))
    unknown = await desk.user(QUESTION)
    form = _form(card_in(unknown))
    first = await desk.user("", value=form)
    again = await desk.user("", value=form)  # a double click: another activity, the same form
    number = int(texts(card_in(first)).split("#")[1].split()[0])
    assert t("ticket.created_again", "nl", number=number) in texts(card_in(again))
    assert await desk.db.tickets.count_for_user(await _user_key(desk)) == 1


async def test_two_ambassadors_taking_a_question_at_once_one_wins_and_the_other_sees_who(desk: Desk) -> None:
    await desk.post(team_install(desk.connector.base_url))
    number, _card = await _ask(desk)
    ann, ben = await asyncio.gather(
        desk.click("ticket.claim", {"ticket": number}, ANN),
        desk.click("ticket.claim", {"ticket": number}, BEN),
    )
    shown = {texts(ann["value"]), texts(ben["value"])}
    winners = [s for s in shown if t("amb.note.claimed", "nl") in s]
    losers = [s for s in shown if "nam deze vraag al" in s]
    assert len(winners) == 1 and len(losers) == 1
    winner = "Ann Peeters" if "Genomen door Ann Peeters" in winners[0] else "Ben Dupont"
    assert t("amb.note.taken", "nl", name=winner) in losers[0]


async def test_only_ambassadors_take_or_answer(desk: Desk, settings: Settings) -> None:
    await desk.post(team_install(desk.connector.base_url))
    number, _card = await _ask(desk)
    other_team = team_channel("19:other@thread.tacv2", "19:other@thread.tacv2")
    refused = await desk.click("ticket.claim", {"ticket": number}, USER, where=other_team)
    assert refused["type"] == "application/vnd.microsoft.activity.message"
    assert refused["value"] == t("amb.note.not_ambassador", "nl")
    personal = {"conversation": {"id": USER_CHAT, "conversationType": "personal", "tenantId": "tenant-1"}}
    refused = await desk.click("ticket.answer", {"ticket": number, "answer": "x"}, USER, where=personal)
    assert refused["value"] == t("amb.note.not_ambassador", "nl")
    ticket = await desk.db.tickets.get(number)
    assert ticket is not None and ticket.status is TicketStatus.OPEN


async def test_a_listed_ambassador_answers_from_their_personal_chat(
    settings: Settings, database_url: str, serve_app: ServeApp, fake_connector: FakeConnector
) -> None:
    members = frozenset({ANN["aadObjectId"]})
    app = create_app(
        settings.with_overrides(
            ambassador_team_id=TEAM, database_url=database_url, ambassador_members=members
        )
    )
    database = await open_database(database_url)
    try:
        desk = Desk(app, await serve_app(app), fake_connector, database)
        await desk.post(team_install(desk.connector.base_url))
        number, _card = await _ask(desk)
        personal = {"conversation": {"id": "a:ann", "conversationType": "personal", "tenantId": "tenant-1"}}
        reply = await desk.click(
            "ticket.answer_entry", {"ticket": number, "entry": "teams-mobile"}, ANN, where=personal
        )
        assert t("amb.note.sent", "nl") in texts(reply["value"])
        answer = card_in(await desk.next_in(USER_CHAT, 2))
        assert t("ticket.answer_entry_intro", "nl") in texts(answer)
        assert "Hoe installeer ik Teams op mijn gsm?" in texts(answer)
        [variant] = await database.proposals.pending()
        assert (variant.kind, variant.entry_id, variant.text) == (
            ProposalKind.VARIANT,
            "teams-mobile",
            QUESTION,
        )
    finally:
        await database.close()


async def test_still_not_solved_reopens_the_question_for_the_ambassadors(desk: Desk) -> None:
    await desk.post(team_install(desk.connector.base_url))
    number, _card = await _ask(desk)
    await desk.click("ticket.answer", {"ticket": number, "answer": "Probeer **F5**."})
    answer = card_in(await desk.next_in(USER_CHAT, 2))
    [reopen] = [
        a["data"] for a in actions_of(answer, "Action.Submit") if a["data"]["action"] == "ticket.reopen"
    ]
    reply = await desk.user("", value={**reopen, "note": "Het scherm blijft *zwart*"})
    assert reply["text"] == t("ticket.reopened", "nl", number=number)
    ticket = await desk.db.tickets.get(number)
    assert ticket is not None and ticket.status is TicketStatus.OPEN and ticket.reopened == 1

    def latest_card() -> dict[str, Any]:
        return card_in(posted_to(desk.connector, TEAM, "PUT")[-1])

    await eventually(
        lambda: asyncio.sleep(0, texts(latest_card()) if posted_to(desk.connector, TEAM, "PUT") else ""),
        lambda shown: t("amb.reopened", "nl", count=1) in shown,
    )
    card = latest_card()
    assert user_text("Het scherm blijft *zwart*", 1000) in texts(card)
    assert t("amb.previous_answer", "nl") in texts(card)
    assert actions_of(card, "Action.Execute")[0]["verb"] == "ticket.claim"


async def test_none_of_these_offers_an_ambassador(choosy_desk: Desk) -> None:
    suggestions = card_in(await choosy_desk.user("yammer groep"))
    assert t("faq.did_you_mean", "nl") in texts(suggestions)
    [none] = [a for a in actions_of(suggestions, "Action.ShowCard")]
    assert none["title"] == t("ticket.none_of_these", "nl")
    assert _form(suggestions)["origin"] == "none_of_these"


async def test_thumbs_down_asks_what_was_missing_and_offers_an_ambassador(desk: Desk) -> None:
    answer = card_in(await desk.user("wat is mfa"))
    down = next(a["data"] for a in actions_of(answer, "Action.Submit") if a["data"].get("helpful") is False)
    follow_up = card_in(await desk.user("", value=down))
    assert t("ticket.intro.thumbs_down", "nl") in texts(follow_up)
    form = _form(follow_up)
    assert (form["origin"], form["entry_id"], form["question"]) == ("thumbs_down", "mfa-what", "wat is mfa")


async def test_a_suggestion_chosen_resolves_the_question_and_proposes_its_wording(choosy_desk: Desk) -> None:
    desk = choosy_desk
    suggestions = card_in(await desk.user("yammer groep"))
    choice = next(
        a["data"]
        for a in actions_of(suggestions, "Action.Submit")
        if a["data"].get("entry_id") == "yammer-admin"
    )
    await desk.user("", value=choice)
    [variant] = await desk.db.proposals.pending()
    assert (variant.entry_id, variant.text, variant.supporters) == ("yammer-admin", "yammer groep", 1)
    [record] = [
        r for r in await desk.db.questions.between(_long_ago(), _far_ahead()) if r.outcome is Outcome.RESOLVED
    ]
    assert record.entry_id == "yammer-admin"


async def test_delete_my_data_deletes_the_questions_and_wipes_their_cards(desk: Desk) -> None:
    await desk.post(team_install(desk.connector.base_url))
    number, _card = await _ask(desk, context="Mijn nummer is 0470 12 34 56")
    mine = card_in(await desk.user("mijn gegevens"))
    assert "Vragen aan de ambassadeurs: 1" in texts(mine)
    puts = len(posted_to(desk.connector, TEAM, "PUT"))
    await desk.user("", value={"action": "mydata.delete.confirm", "lang": "nl"})
    assert await desk.db.tickets.get(number) is None
    assert await desk.db.questions.between(_long_ago(), _far_ahead()) == []
    wiped = card_in(await desk.next_in(TEAM, puts, "PUT"))
    assert texts(wiped) == t("amb.status.deleted", "nl", number=number)
    late = await desk.click("ticket.claim", {"ticket": number})
    assert texts(late["value"]) == t("amb.status.deleted", "nl", number=number)


async def test_questions_asked_before_the_team_was_known_are_posted_once_it_is(desk: Desk) -> None:
    number, _ = await _ask_without_team(desk)
    assert posted_to(desk.connector, TEAM) == []
    await desk.post(team_install(desk.connector.base_url))
    card = card_in(await desk.next_in(TEAM, 0))
    assert t("amb.card_title", "nl", number=number) in texts(card)


async def _ask_without_team(desk: Desk) -> tuple[int, dict[str, Any]]:
    unknown = await desk.user(QUESTION)
    created = await desk.user("", value=_form(card_in(unknown)))
    [ticket] = await desk.db.tickets.for_user(await _user_key(desk), 1)
    return ticket.number, card_in(created)


def _long_ago() -> Any:
    from datetime import UTC, datetime

    return datetime(2000, 1, 1, tzinfo=UTC)


def _far_ahead() -> Any:
    from datetime import UTC, datetime

    return datetime(2100, 1, 1, tzinfo=UTC)
