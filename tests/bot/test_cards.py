"""Every card: a golden file, the official Adaptive Card 1.5 schema, and Teams' size limit."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.cards import faq as faq_cards
from bot.cards import feedback as feedback_cards
from bot.cards import privacy as privacy_cards
from bot.cards import welcome as welcome_cards
from nwow.faq.model import Answer, FaqEntry, Link, LocalizedContent
from nwow.feedback.models import UserData
from nwow.feedback.survey import SurveyAnswers
from tests.bot.samples import summary_numbers
from tests.cardcheck import assert_valid_card
from tests.golden import assert_golden

MFA = FaqEntry(
    id="mfa-what",
    topic="security",
    owner="NWOW ambassadors DRI",
    reviewed=date(2026, 10, 1),
    related=("mfa-new-phone",),
    links=(
        Link(
            "servicedesk",
            "https://servicedesk.intranet.example/",
            {"nl": "Servicedesk", "fr": "Service desk"},
        ),
    ),
    content={
        "nl": LocalizedContent(("Wat is MFA?", "tweestapsverificatie"), "MFA vraagt een **tweede bewijs**."),
        "fr": LocalizedContent(("Qu'est-ce que la MFA ?",), "La MFA demande une **deuxième preuve**."),
    },
)
NEW_PHONE = FaqEntry(
    id="mfa-new-phone",
    topic="security",
    owner="NWOW ambassadors DRI",
    reviewed=date(2026, 10, 1),
    related=(),
    links=(),
    content={"nl": LocalizedContent(("Nieuwe gsm en MFA",), "Registreer de app opnieuw.")},
)

GOLDEN = Path(__file__).parent / "golden"


def _check(name: str, card: dict[str, Any]) -> None:
    assert_valid_card(card)
    assert_golden(GOLDEN, name, card)


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_welcome_card(lang: str) -> None:
    _check(f"welcome_{lang}", welcome_cards.render_welcome(lang))  # type: ignore[arg-type]


def test_help_card_for_staff_lists_staff_commands() -> None:
    plain = welcome_cards.render_help("fr")
    staff = welcome_cards.render_help("fr", staff=True)
    _check("help_fr", plain)
    _check("help_fr_staff", staff)
    assert len(staff["body"]) == len(plain["body"]) + 1


def test_answer_card_in_the_language_asked() -> None:
    card = faq_cards.render_answer(Answer(MFA, "nl", "nl", 0.9), "act-1", [NEW_PHONE])
    _check("answer_nl", card)
    votes = [a["data"] for a in card["actions"]]
    assert votes == [
        {"action": "faq.vote", "entry_id": "mfa-what", "answer_id": "act-1", "helpful": True, "lang": "nl"},
        {"action": "faq.vote", "entry_id": "mfa-what", "answer_id": "act-1", "helpful": False, "lang": "nl"},
    ]


def test_answer_card_in_another_language_says_so() -> None:
    card = faq_cards.render_answer(Answer(MFA, "nl", "de", 0.9), "act-2")
    _check("answer_fallback_de", card)
    assert "Niederländisch" in card["body"][2]["text"]  # under the title and its draft mark


def test_did_you_mean_unknown_and_topics_cards() -> None:
    _check("did_you_mean_nl", faq_cards.render_did_you_mean([MFA, NEW_PHONE], "nl"))
    _check("unknown_fr", faq_cards.render_unknown("fr"))
    _check("topics_en", faq_cards.render_topics([("security", "Security", 2), ("teams", "Teams", 9)], "en"))
    _check("topic_entries_nl", faq_cards.render_topic_entries("Beveiliging", [MFA, NEW_PHONE], "nl"))


def test_privacy_cards() -> None:
    data = UserData(user_key="k", surveys=2, votes=5, remembered={"home_area": "Leuven"})
    card = privacy_cards.render_my_data(data, "nl", retention_days=730)
    _check("my_data_nl", card)
    assert "Leuven" in card["body"][1]["text"]
    _check("delete_confirm_de", privacy_cards.render_delete_confirm("de", min_group=5))


def test_survey_card_and_its_error_version() -> None:
    units = [("fed-dri", "DRI"), ("lp-antwerpen", "Lokale Politie — provincie Antwerpen")]
    card_id = "0123456789abcdef0123456789abcdef"
    survey = feedback_cards.render_survey("nl", units, card_id=card_id, min_group=5)
    _check("survey_nl", survey)
    assert survey["actions"][0]["data"] == {"action": "feedback.submit", "card": card_id, "lang": "nl"}
    again = feedback_cards.render_survey(
        "fr",
        units,
        card_id=card_id,
        min_group=5,
        answers=SurveyAnswers(tool="teams", works="<b>chat</b>"),
        problems=["rating"],
    )
    _check("survey_fr_missing_rating", again)
    assert again["body"][2]["color"] == "Attention"
    tool = next(e for e in again["body"] if e.get("id") == "tool")
    assert tool["value"] == "teams"


def test_staff_cards() -> None:
    from bot.cards import staff as staff_cards

    summary = staff_cards.render_summary(summary_numbers(), "nl")
    _check("summary_nl", summary)
    assert "Telewerk" in str(summary) and "Feedback van oktober 2026" in str(summary)
    _check(
        "summary_empty_fr",
        staff_cards.render_summary(summary_numbers(responses=None, mean=None, tools=()), "fr"),
    )
    questions = [
        staff_cards.UnansweredRow("waar is de parking", 4, "nl"),
        staff_cards.UnansweredRow("badge **perdu**", 2, "fr"),
    ]
    unanswered = staff_cards.render_unanswered(questions, "en", period="weeks 2026-W41 to 2026-W44")
    _check("unanswered_en", unanswered)
    # Typed Markdown is shown as typed (escaped), never as Markdown.
    assert any(n.get("text") == "badge \\*\\*perdu\\*\\*" for n in unanswered["body"])
    _check("unanswered_none_de", staff_cards.render_unanswered([], "de", period="Woche 2026-W44"))
    _check("digest_nl", staff_cards.render_digest(summary_numbers(), questions, "week 2026-W44", "nl"))


PLANTED = (
    "# Urgent: [reset your password](https://evil.example/login) - **now** <b>x</b> & 1. see www.evil.example"
)


def test_staff_cards_show_what_users_typed_as_text() -> None:
    from bot.cards import staff as staff_cards

    questions = [
        staff_cards.UnansweredRow(PLANTED, 3, "nl"),
        staff_cards.UnansweredRow("waar is de parking?", 2, "nl"),
    ]
    unanswered = staff_cards.render_unanswered(questions, "en", period="week 2026-W44")
    _check("unanswered_typed_markdown_en", unanswered)
    first = unanswered["body"][2]["text"]
    assert first.startswith(
        "\\# Urgent: \\[reset your password\\]\\(https\\[:\\]//evil\\[.\\]example/login\\)"
    )
    numbers = summary_numbers(
        tools=(("teams", "Teams", 30, 4.1), ("retired-tool", "[old](http://x.be)", 6, 2.0))
    )
    _check("summary_unknown_tool_label_fr", staff_cards.render_summary(numbers, "fr"))
    _check("digest_typed_markdown_nl", staff_cards.render_digest(numbers, questions, "week 2026-W44", "nl"))


def test_my_data_shows_a_remembered_value_as_text() -> None:
    data = UserData(
        user_key="k", surveys=0, votes=1, remembered={"home_area": "[Leuven](https://evil.example)"}
    )
    card = privacy_cards.render_my_data(data, "en", retention_days=730)
    _check("my_data_typed_markdown_en", card)
    assert "\\[Leuven\\]\\(https\\[:\\]//evil\\[.\\]example\\)" in card["body"][1]["text"]


def test_a_topic_with_many_entries_lists_the_first_and_says_how_many_more() -> None:
    entries = [
        FaqEntry(
            id=f"entry-{n}",
            topic="security",
            owner="NWOW ambassadors DRI",
            reviewed=date(2026, 10, 1),
            related=(),
            links=(),
            content={"en": LocalizedContent((f"Question {n}?",), "Answer.")},
        )
        for n in range(faq_cards.MAX_TOPIC_ENTRIES + 4)
    ]
    card = faq_cards.render_topic_entries("Security", entries, "en")
    _check("topic_entries_crowded_en", card)
    assert len(card["body"][1]["items"]) == faq_cards.MAX_TOPIC_ENTRIES
    assert card["body"][-1]["text"] == "… and 4 more."
