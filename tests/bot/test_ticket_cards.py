"""The cards of "Ask an ambassador": golden files, the official Adaptive Card 1.5 schema, Teams' size limit,
and user text shown as plain text (never Markdown)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.cards import ambassadors as ambassador_cards
from bot.cards import faq as faq_cards
from bot.cards import tickets as ticket_cards
from bot.cards.ambassadors import TicketContext
from bot.cards.escape import user_text
from bot.cards.tickets import AskOffer
from bot.conversation.ticket_delivery import ticket_context
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import load_knowledge_base
from nwow.feedback.units import Units, load_units
from nwow.paths import default_faq_dir
from nwow.tickets import Ambassador, Origin, Ticket, TicketAnswer, TicketStatus
from tests.bot.test_cards import MFA, NEW_PHONE
from tests.cardcheck import assert_valid_card, card_objects
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
T0 = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)
ANN = Ambassador("aaaa", "Ann Peeters")
TRICKY = "Mijn **scherm** blijft [zwart](http://evil.example) # help <b>nu</b>"
UNITS = (("fed-dri", "Federale Politie — DRI"), ("lp-antwerpen", "Lokale Politie — provincie Antwerpen"))


def _check(name: str, card: dict[str, Any]) -> None:
    assert_valid_card(card)
    assert_golden(GOLDEN, name, card)


def _ticket(**changes: Any) -> Ticket:
    base = Ticket(
        number=123,
        submission_id="s",
        user_key="u",
        question=TRICKY,
        context="Met een *HDMI*-kabel",
        lang="nl",
        origin=Origin.UNANSWERED,
        topic="equipment",
        entry_id="",
        unit="fed-dri",
        requester_name=None,
        question_ref="q",
        channel="19:general@thread.tacv2",
        candidates=("mfa-what",),
        created_at=T0,
        status=TicketStatus.OPEN,
        version=1,
    )
    return replace(base, **changes)


CONTEXT = TicketContext(
    entry_titles={"mfa-what": "Wat is MFA?", "mfa-new-phone": "Nieuwe gsm en MFA"},
    topic_name="Materiaal",
    unit_label="Federale Politie — DRI",
    links=(("servicedesk", "Servicedesk"),),
    entries=(("mfa-what", "Wat is MFA?"), ("mfa-new-phone", "Nieuwe gsm en MFA")),
)
ANSWERED = _ticket(
    status=TicketStatus.ANSWERED,
    claimed_by=ANN,
    claimed_at=T0 + timedelta(hours=1),
    answer=TicketAnswer(text="Gebruik **HDMI** of USB-C.", links=("servicedesk",)),
    answered_by=ANN,
    answered_at=T0 + timedelta(hours=2),
    first_answered_at=T0 + timedelta(hours=2),
)


def _markdown_texts(card: dict[str, Any]) -> list[str]:
    return [n["text"] for _, n in card_objects(card) if n.get("type") == "TextBlock"]


def _shows_as_typed(card: dict[str, Any], text: str, limit: int = 500) -> bool:
    """`text` is in the card escaped (`user_text`), and nowhere as Markdown."""
    shown = user_text(text, limit)
    texts = _markdown_texts(card)
    return shown in texts and not any(text in t for t in texts)


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_the_unknown_card_unfolds_the_form_to_ask_an_ambassador(lang: str) -> None:
    offer = AskOffer(Origin.UNANSWERED, TRICKY, q="ref-1", topic="equipment", units=UNITS)
    card = faq_cards.render_unknown(lang, offer)  # type: ignore[arg-type]
    _check(f"unknown_with_form_{lang}", card)
    assert _shows_as_typed(card, TRICKY)
    [send] = [
        n["data"]
        for _, n in card_objects(card)
        if n.get("type") == "Action.Submit" and n["data"]["action"] == "ticket.ask"
    ]
    assert send == {
        "action": "ticket.ask",
        "origin": "unanswered",
        "question": TRICKY,
        "q": "ref-1",
        "topic": "equipment",
        "entry_id": "",
        "lang": lang,
    }


def test_did_you_mean_offers_an_ambassador_and_names_the_question_in_each_choice() -> None:
    offer = AskOffer(Origin.NONE_OF_THESE, "mfa gsm", q="ref-2", topic="security")
    card = faq_cards.render_did_you_mean([MFA, NEW_PHONE], "nl", offer)
    _check("did_you_mean_with_form_nl", card)
    choices = [
        n["data"]
        for _, n in card_objects(card)
        if n.get("type") == "Action.Submit" and n["data"]["action"] == "faq.show"
    ]
    assert [c["q"] for c in choices] == ["ref-2", "ref-2"] and choices[0]["question"] == "mfa gsm"


def test_thumbs_down_form_out_of_scope_and_created_cards() -> None:
    offer = AskOffer(Origin.THUMBS_DOWN, "wat is mfa", q="ref-3", entry_id="mfa-what")
    _check("ask_form_thumbs_down_fr", ticket_cards.render_ask_form(offer, "fr"))
    _check(
        "out_of_scope_de",
        ticket_cards.render_out_of_scope(AskOffer(Origin.OUT_OF_SCOPE, "Wetter morgen?"), "de"),
    )
    _check("ticket_created_en", ticket_cards.render_ticket_created(123, "en"))
    _check("ticket_created_again_nl", ticket_cards.render_ticket_created(123, "nl", again=True))


def test_the_answer_in_the_users_chat() -> None:
    from nwow.faq.model import Link

    link = Link("servicedesk", "https://servicedesk.intranet.example/", {"nl": "Servicedesk"})
    card = ticket_cards.render_ticket_answer(ANSWERED, "nl", links=[link])
    _check("ticket_answer_nl", card)
    assert _shows_as_typed(card, TRICKY) and "Gebruik **HDMI** of USB-C." in _markdown_texts(card)
    with_entry = replace(ANSWERED, answer=TicketAnswer(entry_id="mfa-what"))
    _check("ticket_answer_entry_fr", ticket_cards.render_ticket_answer(with_entry, "fr", entry=MFA))


def test_my_questions_lists_open_and_answered_ones() -> None:
    tickets = [
        ANSWERED,
        _ticket(number=124, status=TicketStatus.CLAIMED, claimed_by=ANN),
        _ticket(number=125),
    ]
    card = ticket_cards.render_my_questions(tickets, 14, "fr")
    _check("my_questions_fr", card)
    shows = [n["data"] for _, n in card_objects(card) if n.get("type") == "Action.Submit"]
    assert shows == [{"action": "ticket.show", "ticket": 123, "lang": "fr"}]
    _check("my_questions_none_en", ticket_cards.render_my_questions([], 0, "en"))


@pytest.mark.parametrize(
    ("name", "ticket", "note"),
    [
        ("open", _ticket(), None),
        (
            "claimed_note",
            _ticket(
                status=TicketStatus.CLAIMED, claimed_by=ANN, claimed_at=T0, requester_name="Eva Janssens"
            ),
            "Deze vraag is voor jou.",
        ),
        ("answered_rated", replace(ANSWERED, helpful=True), None),
        (
            "reopened",
            replace(
                ANSWERED,
                status=TicketStatus.OPEN,
                reopened=1,
                reopen_note="Nog altijd **zwart**",
                claimed_by=None,
            ),
            None,
        ),
        ("thumbs_down_origin", _ticket(origin=Origin.THUMBS_DOWN, entry_id="mfa-new-phone"), None),
    ],
)
def test_the_ambassadors_card_in_each_state(name: str, ticket: Ticket, note: str | None) -> None:
    card = ambassador_cards.render_ticket_card(ticket, CONTEXT, "nl", note=note)
    _check(f"ambassador_{name}_nl", card)
    assert _shows_as_typed(card, TRICKY)
    verbs = [n["verb"] for _, n in card_objects(card) if n.get("type") == "Action.Execute"]
    expected = {
        TicketStatus.OPEN: ["ticket.claim", "ticket.answer", "ticket.answer_entry"],
        TicketStatus.CLAIMED: ["ticket.answer", "ticket.answer_entry", "ticket.release"],
        TicketStatus.ANSWERED: [],
    }
    assert verbs == expected[ticket.status]


def test_deleted_and_reminder_cards() -> None:
    _check("ambassador_deleted_fr", ambassador_cards.render_ticket_deleted(123, "fr"))
    _check("ambassador_reminder_en", ambassador_cards.render_reminder(_ticket(), CONTEXT, "en", hours=4))


def _shipped() -> tuple[KnowledgeBase, Units]:
    loaded = load_knowledge_base(default_faq_dir())
    units, _ = load_units(default_faq_dir() / "units.yml")
    assert loaded.kb is not None and units is not None
    return loaded.kb, units


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_with_the_shipped_knowledge_base_every_card_fits_in_a_teams_message(lang: str) -> None:
    """The biggest cards: every entry to answer with, every link, the longest texts a user can send."""
    kb, units = _shipped()
    longest = _ticket(
        question="x" * 500,
        context="y" * 1000,
        status=TicketStatus.CLAIMED,
        claimed_by=ANN,
        claimed_at=T0,
        requester_name="n" * 200,
        reopened=2,
        reopen_note="z" * 1000,
        answer=TicketAnswer(text="a" * 4000),
        candidates=tuple(list(kb.entries)[:3]),
    )
    context = ticket_context(longest, kb, units, lang)  # type: ignore[arg-type]
    assert len(context.entries) == len(kb.entries)
    assert_valid_card(ambassador_cards.render_ticket_card(longest, context, lang, note="n" * 100))  # type: ignore[arg-type]
    offer = AskOffer(Origin.UNANSWERED, "q" * 500, q="r" * 64, topic="telework", units=units.choices(lang))
    assert_valid_card(faq_cards.render_unknown(lang, offer))  # type: ignore[arg-type]


def test_the_dri_summary_with_where_questions_ended() -> None:
    from bot.cards import staff as staff_cards
    from bot.cards.outcomes import outcome_elements
    from nwow.feedback.periods import Month, Week
    from nwow.tickets.figures import AnswerTimes, MonthOutcomes, OpenQuestion, OutcomeCounts, WeekOutcomes
    from tests.bot.samples import summary_numbers

    counts = OutcomeCounts(
        40,
        22,
        {
            "answered": 20,
            "resolved": 6,
            "ambassador_answered": 5,
            "escalated": 2,
            "abandoned": 5,
            "out_of_scope": 2,
        },
        12,
        3,
    )
    month = MonthOutcomes(
        Month(2026, 10), 5, T0, counts,
        topics=(("teams", counts), ("rest", OutcomeCounts(10, 6, {"answered": 10}))),
        units=(("fed-dri", counts),),
        answer_times=AnswerTimes(7, 5.5, 3.25, 9.0),
    )  # fmt: skip
    weeks = [WeekOutcomes(Week(2026, 44), 5, T0, counts), WeekOutcomes(Week(2026, 45), 5, T0, None)]
    waiting = [OpenQuestion(12, TRICKY, consented=False, waiting_working_hours=5.5)]
    card = staff_cards.render_summary(summary_numbers(), "nl")
    card["body"] += outcome_elements(
        month, weeks, waiting, {"topic:teams": "Microsoft Teams", "unit:fed-dri": "DRI"}, "nl"
    )
    _check("summary_outcomes_nl", card)
    text = "\n".join(
        str(v) for _, n in card_objects(card) for k, v in n.items() if k in ("text", "value", "title")
    )
    assert "20 (50\u00a0%)" in text and "3,2" in text and "Andere samen" in text
    assert _shows_as_typed(card, TRICKY, 300)
