"""Every card button's parser: what the card offered is read as such; anything else is a refusal (or, for
a survey choice, unanswered), whatever the type or size."""

from __future__ import annotations

from typing import Any

import pytest

from bot.cards import ambassadors as ambassador_cards
from bot.cards import faq as faq_cards
from bot.cards import feedback as feedback_cards
from bot.cards import offices as office_cards
from bot.cards import tickets as ticket_cards
from bot.cards.actions import CardAction
from bot.cards.values import MAX_ID, Refusal, card_language
from nwow.feedback.survey import MAX_TEXT, SurveyAnswers
from nwow.tickets import Origin

CARD = "0123456789abcdef0123456789abcdef"
UNITS = {"fed-dri", "lp-antwerpen"}
JUNK: list[object] = [None, 1, 1.5, True, [], ["x"], {}, {"x": 1}, "", "x" * (MAX_ID + 1)]


def _survey(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "action": "feedback.submit",
        "card": CARD,
        "lang": "fr",
        "tool": "teams",
        "rating": "4",
        "works": "ok",
        "obstacles": "",
        "unit": "fed-dri",
        "contact": "false",
    }
    return {**base, **changes}


def test_every_card_action_with_data_has_a_parser_tested_here() -> None:
    with_data = {
        CardAction.FAQ_SHOW,
        CardAction.FAQ_VOTE,
        CardAction.TOPIC_SHOW,
        CardAction.FEEDBACK_SUBMIT,
        CardAction.OFFICES_PLACE,
        CardAction.OFFICES_REMEMBER,
        CardAction.OFFICES_PROVINCE,
        CardAction.TICKET_ASK,
        CardAction.TICKET_RATE,
        CardAction.TICKET_REOPEN,
        CardAction.TICKET_SHOW,
        CardAction.PULSE_ANSWER,  # tests/bot/test_pulse_cards.py
        CardAction.PULSE_OPT_OUT,
    }
    # The others carry nothing but "action" and "lang": their data is never read.
    assert set(CardAction) - with_data == {
        CardAction.TOPICS,
        CardAction.HELP,
        CardAction.FEEDBACK_START,
        CardAction.OFFICES_START,
        CardAction.MY_DATA,
        CardAction.DELETE_MY_DATA,
        CardAction.DELETE_CONFIRMED,
        CardAction.DELETE_DECLINED,
        CardAction.MY_QUESTIONS,
    }


def test_a_survey_as_the_card_sends_it() -> None:
    parsed = feedback_cards.parse_survey(_survey(contact="true", extra={"ignored": True}), units=UNITS)
    assert parsed == feedback_cards.SurveySubmit(
        CARD, SurveyAnswers(tool="teams", rating=4, works="ok", obstacles="", unit="fed-dri", contact_ok=True)
    )


@pytest.mark.parametrize("rating", ["²", "٤", "9" * 5000, "0", "6", "4.0", " 4x", 4, None, ["4"]])
def test_a_rating_the_card_did_not_offer_is_unanswered(rating: object) -> None:
    parsed = feedback_cards.parse_survey(_survey(rating=rating), units=UNITS)
    assert isinstance(parsed, feedback_cards.SurveySubmit) and parsed.answers.rating is None


@pytest.mark.parametrize("field", ["tool", "unit"])
@pytest.mark.parametrize("forged", ["nope", "teams ; --", {"id": "teams"}, ["teams"], 7, "x" * 10_000])
def test_a_choice_the_card_did_not_offer_is_unanswered(field: str, forged: object) -> None:
    parsed = feedback_cards.parse_survey(_survey(**{field: forged}), units=UNITS)
    assert isinstance(parsed, feedback_cards.SurveySubmit) and getattr(parsed.answers, field) is None


def test_survey_text_is_clipped_to_the_cards_max_length_and_refused_when_absurd() -> None:
    clipped = feedback_cards.parse_survey(_survey(works="  " + "w" * 1000), units=UNITS)
    assert isinstance(clipped, feedback_cards.SurveySubmit) and clipped.answers.works == "w" * MAX_TEXT
    over = feedback_cards.REFUSE_TEXT_OVER + 1
    assert feedback_cards.parse_survey(_survey(works="w" * over), units=UNITS) == Refusal("works")
    assert feedback_cards.parse_survey(_survey(obstacles=["a"]), units=UNITS) == Refusal("obstacles")


@pytest.mark.parametrize("contact", ["yes", "True", "1", 1, True, None, ["true"]])
def test_the_toggle_is_only_what_it_declares(contact: object) -> None:
    assert feedback_cards.parse_survey(_survey(contact=contact), units=UNITS) == Refusal("contact")


def test_an_untouched_toggle_is_off() -> None:
    value = _survey()
    del value["contact"]
    parsed = feedback_cards.parse_survey(value, units=UNITS)
    assert isinstance(parsed, feedback_cards.SurveySubmit) and parsed.answers.contact_ok is False


@pytest.mark.parametrize("card", ["", "X" * 32, CARD.upper(), CARD + "0", 12, ["a"], "c" * 5000])
def test_a_card_id_the_bot_did_not_mint_is_refused(card: object) -> None:
    assert feedback_cards.parse_survey(_survey(card=card), units=UNITS) == Refusal("card")


def test_a_form_from_before_card_ids_has_none() -> None:
    value = _survey()
    del value["card"]
    parsed = feedback_cards.parse_survey(value, units=UNITS)
    assert isinstance(parsed, feedback_cards.SurveySubmit) and parsed.card_id is None


@pytest.mark.parametrize("value", [None, "feedback.submit", 5, ["action"]])
def test_a_value_that_is_not_an_object_is_refused_by_every_parser(value: object) -> None:
    for parse in (
        faq_cards.parse_entry_choice,
        faq_cards.parse_vote,
        faq_cards.parse_topic_choice,
        office_cards.parse_place_choice,
        office_cards.parse_remember,
        office_cards.parse_province_choice,
    ):
        assert parse(value) == Refusal("value")
    assert feedback_cards.parse_survey(value, units=UNITS) == Refusal("value")


def test_a_vote_as_the_card_sends_it() -> None:
    vote = {"action": "faq.vote", "entry_id": "mfa", "answer_id": "act-1", "helpful": False, "x": 1}
    assert faq_cards.parse_vote(vote) == faq_cards.VoteSubmit("mfa", "act-1", helpful=False)
    without_card = {"action": "faq.vote", "entry_id": "mfa", "helpful": True}
    assert faq_cards.parse_vote(without_card) == faq_cards.VoteSubmit("mfa", "", helpful=True)


@pytest.mark.parametrize("helpful", ["true", "false", 1, 0, None, [], "yes"])
def test_a_vote_that_is_not_a_json_boolean_is_refused(helpful: object) -> None:
    vote = {"action": "faq.vote", "entry_id": "mfa", "answer_id": "a", "helpful": helpful}
    assert faq_cards.parse_vote(vote) == Refusal("helpful")


@pytest.mark.parametrize("junk", JUNK)
def test_ids_that_are_not_short_strings_are_refused(junk: object) -> None:
    assert faq_cards.parse_entry_choice({"entry_id": junk}) == Refusal("entry_id")
    assert faq_cards.parse_topic_choice({"topic": junk}) == Refusal("topic")
    assert office_cards.parse_place_choice({"place": junk}) == Refusal("place")
    assert office_cards.parse_province_choice({"province": junk}) == Refusal("province")
    assert office_cards.parse_remember({"remember": True, "place": junk}) == Refusal("place")
    if junk is not None and junk != "":
        assert faq_cards.parse_vote({"entry_id": "e", "answer_id": junk, "helpful": True}) == Refusal(
            "answer_id"
        )


def test_office_buttons_as_the_cards_send_them() -> None:
    assert office_cards.parse_place_choice({"place": "Gent"}) == office_cards.PlaceChoice("Gent")
    assert office_cards.parse_province_choice({"province": "40000"}) == office_cards.ProvinceChoice("40000")
    assert office_cards.parse_remember({"remember": False, "place": "Gent"}) == office_cards.RememberAnswer(
        remember=False, place="Gent"
    )
    assert office_cards.parse_remember({"remember": "true", "place": "Gent"}) == Refusal("remember")


@pytest.mark.parametrize(
    ("value", "lang"),
    [({"lang": "de"}, "de"), ({"lang": "DE"}, None), ({"lang": ["de"]}, None), ({"lang": "x" * 9999}, None)],
)
def test_the_language_of_a_card_is_one_of_ours_or_none(value: dict[str, Any], lang: str | None) -> None:
    assert card_language(value) == lang


# ---------------------------------------------------------------- Ask an ambassador

TOPICS = {"telework", "mfa"}
ENTRIES = {"mfa-what"}


def _ask(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "action": "ticket.ask",
        "origin": "unanswered",
        "question": "Mag ik een eigen scherm gebruiken?",
        "q": "ref",
        "topic": "telework",
        "entry_id": "",
        "context": "thuis",
        "unit": "fed-dri",
        "share_name": "true",
        "lang": "nl",
    }
    return {**base, **changes}


def _parse_ask(value: object) -> object:
    return ticket_cards.parse_ask(value, topics=TOPICS, entries=ENTRIES, units=UNITS)


def test_the_ask_form_is_read_as_offered() -> None:
    submit = _parse_ask(_ask())
    assert submit == ticket_cards.AskSubmit(
        Origin.UNANSWERED,
        "Mag ik een eigen scherm gebruiken?",
        "ref",
        "telework",
        "",
        "thuis",
        "fed-dri",
        True,
    )
    # A topic, entry or unit no longer known is dropped, not refused; the name is shared only when ticked.
    dropped = _parse_ask(_ask(topic="gone", entry_id="gone", unit="gone", share_name="false"))
    assert isinstance(dropped, ticket_cards.AskSubmit)
    assert (dropped.topic, dropped.entry_id, dropped.unit, dropped.share_name) == ("", "", "", False)
    long = _parse_ask(_ask(context="x" * 1_500))
    assert isinstance(long, ticket_cards.AskSubmit) and len(long.context) == 1_000


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"origin": "elsewhere"}, "origin"),
        ({"origin": None}, "origin"),
        ({"question": ""}, "question"),
        ({"question": "x" * 3_000}, "question"),
        ({"question": ["x"]}, "question"),
        ({"q": "x" * (MAX_ID + 1)}, "q"),
        ({"context": "x" * 10_000}, "context"),
        ({"share_name": True}, "share_name"),
        ({"share_name": "yes"}, "share_name"),
    ],
)
def test_an_ask_form_no_card_could_send_is_refused(changes: dict[str, object], field: str) -> None:
    assert _parse_ask(_ask(**changes)) == Refusal(field)
    assert _parse_ask("not an object") == Refusal("value")


@pytest.mark.parametrize("ticket", [None, 1.5, True, [], ["x"], {}, "", "12", 0, -1, 10**13, 1.0])
def test_a_ticket_number_is_a_whole_number_the_card_put_there(ticket: object) -> None:
    assert ticket_cards.parse_rate({"ticket": ticket, "helpful": True}) == Refusal("ticket")
    assert ticket_cards.parse_reopen({"ticket": ticket}) == Refusal("ticket")
    assert ticket_cards.parse_ticket({"ticket": ticket}) == Refusal("ticket")
    assert ambassador_cards.parse_ticket_click({"ticket": ticket}) == Refusal("ticket")


def test_rating_reopening_and_showing_a_ticket() -> None:
    assert ticket_cards.parse_rate({"ticket": 12, "helpful": False}) == ticket_cards.RateSubmit(12, False)
    assert ticket_cards.parse_rate({"ticket": 12, "helpful": "false"}) == Refusal("helpful")
    assert ticket_cards.parse_reopen({"ticket": 12, "note": " zwart "}) == ticket_cards.ReopenSubmit(
        12, "zwart"
    )
    assert ticket_cards.parse_reopen({"ticket": 12}) == ticket_cards.ReopenSubmit(12, "")
    assert ticket_cards.parse_ticket({"ticket": 12}) == 12


def test_an_ambassadors_answer_is_read_as_offered() -> None:
    links = {"servicedesk", "wikipol"}
    answer = ambassador_cards.parse_answer(
        {"ticket": 3, "answer": " **Ja** ", "links": "wikipol,servicedesk,wikipol", "draft": "true"},
        links=links,
    )
    assert answer == ambassador_cards.AnswerSubmit(3, "**Ja**", ("wikipol", "servicedesk"), True)
    assert ambassador_cards.parse_answer({"ticket": 3, "answer": ""}, links=links) == Refusal("answer")
    assert ambassador_cards.parse_answer(
        {"ticket": 3, "answer": "x", "links": "evil"}, links=links
    ) == Refusal("links")
    assert ambassador_cards.parse_answer({"ticket": 3, "answer": "x" * 20_000}, links=links) == Refusal(
        "answer"
    )
    entry = ambassador_cards.parse_answer_entry({"ticket": 3, "entry": "mfa-what"}, entries=ENTRIES)
    assert entry == ambassador_cards.AnswerSubmit(3, entry_id="mfa-what")
    assert ambassador_cards.parse_answer_entry({"ticket": 3, "entry": "nope"}, entries=ENTRIES) == Refusal(
        "entry"
    )
