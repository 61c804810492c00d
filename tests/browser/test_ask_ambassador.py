"""Ask an ambassador in the Agents Playground, both sides: in the personal chat, "I don't know" offers an
ambassador, the form unfolds and goes out with a reference; in the team's channel (the playground's "My
Team", whose id is NWOW_AMBASSADOR_TEAM_ID here) the question's card appears, "I'll take it" and the answer
form work as Universal Actions (the card is redrawn for the one who clicked, and updated for everyone); back
in the personal chat the answer has arrived (sent proactively), 👍 and "still not solved" work, the channel's
card shows the reopening, and "my questions" lists it.

The playground's user (Alex Wilber) is both the colleague who asks and the ambassador who answers.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, expect

from bot.strings import t
from tests.browser.conftest import PLAYGROUND_LOCALE, BotServer
from tests.browser.playground import CARD, Chat
from tests.harness.ambassadors import unanswered_question
from tests.harness.waiting import wait_until

pytestmark = pytest.mark.browser

PLAYGROUND_TEAM = "team-id"  # the id the playground gives its team ("My Team") and its General channel
ADDED = "Voor mijn werkplek in Brussel"
ANSWER = "Vraag hem aan via het formulier van je personeelsdienst: de badge ligt daar na een week klaar."
STILL_MISSING = "Ik vind het formulier niet"
LANG = "nl"  # the language of the question, of the ambassadors' team (NWOW_DIGEST_LANGUAGE) and the answer


@pytest.fixture(scope="module")
def bot_env() -> dict[str, str]:
    return {"NWOW_AMBASSADOR_TEAM_ID": PLAYGROUND_TEAM}


@pytest.fixture(scope="module")
def question() -> str:
    """In Dutch, within what the shipped FAQ covers, and not answered by it."""
    return unanswered_question(PLAYGROUND_LOCALE)


def _open(chat: Chat, conversation: str) -> None:
    """Switch to a conversation of the playground's sidebar ("Personal Chat", "General")."""
    chat.page.get_by_text(conversation, exact=True).first.click()


def _channel_card(chat: Chat) -> Locator:
    return chat.page.locator(CARD).filter(has_text=t("amb.card_title", LANG, number=1)).first


def test_1_the_question_goes_to_an_ambassador_with_a_reference(
    chat: Chat, bot_server: BotServer, question: str
) -> None:
    expect(chat.log_panel_entry(re.compile(r"installationUpdate\s+2\d\d"))).to_have_count(1)

    with chat.step("a1-unknown-offers-an-ambassador"):
        card = chat.ask(question, t("faq.unknown_title", LANG))
        expect(card.get_by_role("button", name=t("ticket.ask_button", LANG), exact=True)).to_be_visible()

    with chat.step("a2-the-form-says-what-is-shared"):
        chat.click(card, t("ticket.ask_button", LANG))
        expect(card).to_contain_text(t("ticket.shared_note", LANG))
        expect(card).to_contain_text(question)
        card.get_by_role("textbox", name=t("ticket.context_label", LANG)).fill(ADDED)
        card.get_by_role("checkbox", name=t("ticket.share_name", LANG)).check()

    with chat.step("a3-sent-with-a-reference"):
        created = chat.messages_with(t("ticket.created_title", LANG, number=1))
        chat.click(card, t("ticket.send", LANG))
        expect(created).to_have_count(1)
        rows = bot_server.query("SELECT number, question, context, status FROM tickets")
        assert rows == [(1, question, ADDED, "open")], rows
        name = bot_server.query("SELECT requester_name FROM tickets")[0][0]
        assert name, "the user ticked 'show my name': it is kept"


def _card_updates_delivered(bot_server: BotServer, count: int) -> bool:
    """The outbox has sent `count` updates of cards already posted, and none waits."""
    [(sent, waiting)] = bot_server.query(
        "SELECT COALESCE(SUM(status = 'sent'), 0), COALESCE(SUM(status IN ('queued', 'sending')), 0) "
        "FROM outbox WHERE replaces <> ''"
    )
    return bool(sent >= count and waiting == 0)


def test_2_an_ambassador_takes_and_answers_it_in_the_teams_channel(
    chat: Chat, bot_server: BotServer, question: str
) -> None:
    with chat.step("b1-the-card-in-the-channel"):
        _open(chat, "General")  # the playground installs the bot in its team: the bot posts the waiting card
        card = _channel_card(chat)
        expect(card).to_contain_text(question)
        expect(card).to_contain_text(ADDED)
        expect(card).to_contain_text(t("amb.status.open", LANG))

    with chat.step("b2-taken"):
        chat.click(card, t("amb.claim", LANG))
        expect(card).to_contain_text(re.compile(r"Genomen door .+"))
        assert bot_server.query("SELECT status FROM tickets") == [("claimed",)]
        # The click's answer redrew the card for the one who clicked; the update for everyone (a PUT through
        # the outbox, a moment later) redraws it again, and would fold away an answer form opened before it.
        wait_until(lambda: _card_updates_delivered(bot_server, 1))

    with chat.step("b3-answered"):
        chat.click(card, t("amb.answer", LANG))
        card.get_by_role("textbox", name=re.compile("^" + re.escape(t("amb.answer_label", LANG)[:12]))).fill(
            ANSWER
        )
        chat.click(card, t("amb.send_answer", LANG))
        expect(card).to_contain_text(re.compile(r"Beantwoord door .+"))
        expect(card).to_contain_text("ligt daar na een week klaar")
        assert bot_server.query("SELECT status, answer_text FROM tickets") == [("answered", ANSWER)]


def test_3_the_answer_is_in_the_personal_chat_and_can_be_rated_and_reopened(
    chat: Chat, bot_server: BotServer
) -> None:
    with chat.step("c1-the-answer-arrived"):
        _open(chat, "Personal Chat")
        card = chat.wait_for_new_card(t("ticket.answer_title", LANG, number=1), 0)
        expect(card).to_contain_text("ligt daar na een week klaar")
        expect(card.get_by_role("button", name=t("ticket.not_solved", LANG), exact=True)).to_be_visible()

    with chat.step("c2-thumbs-up"):
        thanks = chat.messages_with(t("ticket.rated_up", LANG))
        chat.click(card, t("faq.vote_up", LANG))
        expect(thanks).to_have_count(1)
        assert bot_server.query("SELECT helpful FROM tickets WHERE number = 1") == [(1,)]

    with chat.step("c3-still-not-solved"):
        back = chat.messages_with(t("ticket.reopened", LANG, number=1))
        chat.click(card, t("ticket.not_solved", LANG))
        card.get_by_role("textbox", name=t("ticket.not_solved_label", LANG)).fill(STILL_MISSING)
        chat.click(card, t("ticket.not_solved_send", LANG))
        expect(back).to_have_count(1)
        assert bot_server.query("SELECT status, reopened, reopen_note FROM tickets") == [
            ("open", 1, STILL_MISSING)
        ]


def test_4_the_channel_card_shows_the_reopening_and_my_questions_lists_it(chat: Chat, question: str) -> None:
    with chat.step("d1-reopened-in-the-channel"):
        _open(chat, "General")
        card = _channel_card(chat)
        expect(card).to_contain_text(t("amb.reopened", LANG, count=1))
        expect(card).to_contain_text(STILL_MISSING)
        expect(card.get_by_role("button", name=t("amb.claim", LANG), exact=True)).to_be_visible()

    with chat.step("d2-my-questions"):
        _open(chat, "Personal Chat")
        card = chat.ask("mijn vragen", t("myq.title", LANG))
        expect(card).to_contain_text("#1")
        expect(card).to_contain_text(t("myq.status.open", LANG))
        expect(card).to_contain_text(question)
