"""Personal data is taken out of free text before DRI or a report shows it."""

from __future__ import annotations

import pytest

from nwow.numbers import format_number, format_percent
from nwow.privacy import scrub_personal_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail me at jan.peeters@police.belgium.eu please", "mail me at [e-mail] please"),
        ("bel mij op 0478 12 34 56 of +32 2 642 61 11", "bel mij op [telefoon] of [telefoon]"),
        ("mon numéro: 0032 478/12.34.56", "mon numéro: [téléphone]"),
        ("rijksregister 85.07.30-033.61 klopt niet", "rijksregister [nummer] klopt niet"),
        ("RRN 85073003361", "RRN [nummer]"),
        ("mijn naam is Jan Peeters en teams crasht", "mijn naam is [naam] en teams crasht"),
        ("je m'appelle Marie Dubois", "je m'appelle [nom]"),
        ("ich heiße Hans Müller", "ich heiße [Name]"),
        (
            "vraag het aan collega Sofie Janssens van de dispatching",
            "vraag het aan collega [naam] van de dispatching",
        ),
        (
            "Gisteren hielp Pieter Claes me met Microsoft Teams",
            "Gisteren hielp [naam] me met Microsoft Teams",
        ),
    ],
)
def test_personal_data_is_replaced(text: str, expected: str) -> None:
    lang = "fr" if "numéro" in text or "appelle" in text else "de" if "heiße" in text else "nl"
    assert scrub_personal_data(text, lang).text == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "Microsoft Teams crasht op mijn laptop sinds Windows 10",
        "Police On Web werkt niet in Edge",
        "Ik werk in Brussel en Namen, op 3 dagen per week",
        "de vergadering is om 14:30 op 12.03.2026",
        "mijn score is 4 op 5",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert scrub_personal_data(text).text == text
    assert not scrub_personal_data(text).changed


def test_dates_and_times_are_not_taken_for_numbers_to_hide() -> None:
    assert (
        scrub_personal_data("op 12.03.2026 om 14:30, kamer 2.041").text
        == "op 12.03.2026 om 14:30, kamer 2.041"
    )


def test_a_huge_text_is_bounded() -> None:
    assert len(scrub_personal_data("a" * 100_000).text) == 2_000


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (3.6, "nl", 1, "3,6"),
        (3.6, "en", 1, "3.6"),
        (12345, "de", 0, "12.345"),
        (12345.5, "fr", 1, "12\u202f345,5"),
        (12345, "en", 0, "12,345"),
    ],
)
def test_numbers_are_written_the_readers_way(value: float, lang: str, decimals: int, expected: str) -> None:
    assert format_number(value, lang, decimals) == expected  # type: ignore[arg-type]


def test_percentages_follow_the_language() -> None:
    assert format_percent(0.364, "nl") == "36\u00a0%"
    assert format_percent(0.364, "en", 1) == "36.4%"
