"""A provisional FAQ answer is marked on its card, from its provenance: until its owner validates it, in the
reader's language, naming ISPO for ISPO's entries; a validated answer carries no mark."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.cards import faq as faq_cards
from bot.cards.provenance import draft_mark
from nwow.faq.model import Answer, FaqEntry, LocalizedContent
from nwow.language import LANGS
from nwow.provenance import Provenance, SourceDocument
from tests.cardcheck import assert_valid_card, card_objects
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"

LOST = FaqEntry(
    id="mfa-lost-device",
    topic="mfa",
    owner="ISPO",
    reviewed=date(2026, 12, 6),
    related=(),
    links=(),
    content={
        "nl": LocalizedContent(("Mijn dienst-gsm is gestolen",), "Meld het **meteen** aan je helpdesk."),
        "fr": LocalizedContent(
            ("On m'a volé mon GSM de service",), "Signalez-le **tout de suite** au helpdesk."
        ),
        "en": LocalizedContent(("My work phone was stolen",), "Report it to your helpdesk **at once**."),
    },
    provenance=Provenance("draft"),
)
TEAMS = FaqEntry(
    id="teams-what",
    topic="teams",
    owner="NWOW ambassadors",
    reviewed=date(2026, 12, 6),
    related=(),
    links=(),
    content={"en": LocalizedContent(("What is Teams?",), "In 2020, 42,037 colleagues used Teams.")},
    provenance=Provenance("draft", (SourceDocument("Jaarverslag Federale Politie 2020", 2020),)),
)
VALIDATED = Provenance("validated", (), "J. Peeters, DRI", date(2026, 12, 1))


def warnings(card: dict[str, Any]) -> list[str]:
    return [node["text"] for _, node in card_objects(card) if node.get("color") == "Warning"]


def test_a_draft_answer_says_under_its_title_that_dri_has_not_validated_it() -> None:
    card = faq_cards.render_answer(Answer(TEAMS, "en", "en", 0.9), "act-1")

    assert_valid_card(card)
    assert_golden(GOLDEN, "answer_draft_en", card)
    assert card["body"][1]["text"] == "⚠️ Provisional answer — not yet validated by DRI"
    assert card["body"][1]["color"] == "Warning"
    assert card["fallbackText"].startswith("⚠️ Provisional answer — not yet validated by DRI\n\n")


def test_a_draft_owned_by_ispo_names_ispo_in_the_readers_language() -> None:
    card = faq_cards.render_answer(Answer(LOST, "fr", "fr", 0.9), "act-2")

    assert_valid_card(card)
    assert_golden(GOLDEN, "answer_draft_ispo_fr", card)
    assert warnings(card) == ["⚠️ Réponse provisoire — pas encore validée par l'ISPO"]


def test_the_mark_follows_the_reader_when_the_answer_falls_back_to_another_language() -> None:
    card = faq_cards.render_answer(Answer(LOST, "nl", "de", 0.9), "act-3")

    assert warnings(card) == ["⚠️ Vorläufige Antwort — noch nicht vom ISPO validiert"]


def test_a_validated_answer_has_no_mark() -> None:
    card = faq_cards.render_answer(Answer(replace(TEAMS, provenance=VALIDATED), "en", "en", 0.9), "act-4")

    assert_valid_card(card)
    assert_golden(GOLDEN, "answer_validated_en", card)
    assert warnings(card) == []
    assert card["fallbackText"] == "In 2020, 42,037 colleagues used Teams."


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_its_own_mark_for_dri_and_for_ispo(lang: str) -> None:
    dri, ispo = draft_mark(TEAMS, lang), draft_mark(LOST, lang)

    assert dri and ispo and dri != ispo
    assert "DRI" in dri and "ISPO" in ispo
    assert draft_mark(replace(LOST, provenance=VALIDATED), lang) is None


def test_an_answer_quotes_the_settings_the_bot_runs_with() -> None:
    entry = replace(
        TEAMS,
        content={
            "en": LocalizedContent(
                ("What do you keep?",),
                "Deleted after {setting:retention_days} days; groups of {setting:min_group_size} or more.",
            )
        },
    )

    card = faq_cards.render_answer(
        Answer(entry, "en", "en", 0.9), "act-5", settings={"retention_days": "365", "min_group_size": "8"}
    )

    assert card["body"][2]["text"] == "Deleted after 365 days; groups of 8 or more."
    assert "{setting:" not in str(card)
