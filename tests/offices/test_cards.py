"""The office cards: golden files, the Adaptive Card 1.5 schema and Teams rules, and their links."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.cards.offices import (
    MAX_PROVINCE_OFFICES,
    PROVINCE_ACTION,
    mailto_url,
    osm_url,
    render_nearest,
    render_place_choice,
    render_province,
    render_remember_offer,
    teams_chat_url,
)
from nwow.offices.model import OfficeDirectory, PlaceResolution
from nwow.offices.places import PlaceIndex
from nwow.offices.ranking import nearest_to, province_offices
from tests.cardcheck import assert_valid_card, card_objects
from tests.golden import assert_golden

BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY_MORNING = datetime(2026, 11, 23, 10, 15, tzinfo=BRUSSELS)
CHRISTMAS = datetime(2026, 12, 25, 9, 0, tzinfo=BRUSSELS)

GOLDEN = Path(__file__).parent / "golden"


def texts(card: dict[str, Any]) -> list[str]:
    """Every text shown on the card, in order (text blocks, fact titles and values, button titles)."""
    found: list[str] = []
    for path, node in card_objects(card):
        if "facts" in path.split("/"):
            continue  # a fact is read with its FactSet
        if node.get("type") == "TextBlock":
            found.append(node["text"])
        if node.get("type") == "FactSet":
            for fact in node["facts"]:
                found.extend((fact["title"], fact["value"]))
        if str(node.get("type", "")).startswith("Action."):
            found.append(node["title"])
    return found


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [node for _, node in card_objects(card) if str(node.get("type", "")).startswith("Action.")]


def test_nearest_card_nl(fixture_directory: OfficeDirectory, places: PlaceIndex) -> None:
    place = places.resolve("Gent").place
    assert place is not None

    card = render_nearest(nearest_to(fixture_directory, place, MONDAY_MORNING), "nl")

    assert_valid_card(card)
    assert_golden(GOLDEN, "nearest_nl", card)
    shown = texts(card)
    assert shown[0] == "Satellietkantoren dicht bij Gent / Gand"
    assert shown[2].startswith("Satellietkantoor Gent · ")
    assert "Nu open" in shown
    assert "07:30–12:00, 13:00–17:00" in shown
    assert "Extra schermen, Dockingstations, Wifi, Rolstoeltoegankelijk" in shown
    urls = [a["url"] for a in actions(card) if a["type"] == "Action.OpenUrl"]
    assert osm_url(51.0543, 3.7174) in urls
    assert any(u.startswith("mailto:satellite.gent@police.example?subject=") for u in urls)
    assert teams_chat_url("satellite.gent@police.example") in urls
    (province_button,) = [a for a in actions(card) if a["type"] == "Action.Submit"]
    assert province_button["data"] == {"action": PROVINCE_ACTION, "province": "40000", "lang": "nl"}


def test_nearest_card_fr_on_a_closure_and_remembered(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    place = places.resolve("Gand").place
    assert place is not None

    card = render_nearest(nearest_to(fixture_directory, place, CHRISTMAS, n=2, remembered=True), "fr")

    assert_valid_card(card)
    assert_golden(GOLDEN, "nearest_fr_christmas_remembered", card)
    shown = texts(card)
    assert "fermé (Noël)" in shown  # Gent is closed for Christmas
    assert "Fermé maintenant" in shown
    assert any("D'après votre région enregistrée" in s for s in shown)
    assert card["lang"] == "fr"


def test_nearest_card_with_no_offices(places: PlaceIndex) -> None:
    place = places.resolve("Gent").place
    assert place is not None

    card = render_nearest(nearest_to(OfficeDirectory((), {}), place, MONDAY_MORNING), "en")

    assert_valid_card(card)
    assert "There are no satellite offices in the list at the moment." in texts(card)
    assert "actions" not in card


def test_province_card_de(fixture_directory: OfficeDirectory, places: PlaceIndex) -> None:
    province = places.province("Provinz Lüttich")
    assert province is not None

    card = render_province(province_offices(fixture_directory, province, MONDAY_MORNING), "de")

    assert_valid_card(card)
    assert_golden(GOLDEN, "province_de", card)
    shown = texts(card)
    assert shown[0] == "Satellitenbüros: Provinz Lüttich"
    assert "Satellitenbüro Eupen" in shown
    assert "Jetzt geöffnet" in shown


def test_province_card_without_offices(fixture_directory: OfficeDirectory, places: PlaceIndex) -> None:
    province = places.province("Namur")
    assert province is not None

    card = render_province(province_offices(fixture_directory, province, MONDAY_MORNING), "en")

    assert_valid_card(card)
    assert "There is no satellite office in Province of Namur in the list." in texts(card)


def test_place_choice_card(places: PlaceIndex) -> None:
    resolution = places.resolve("Deurne")

    card = render_place_choice(resolution, "en")

    assert_valid_card(card)
    assert_golden(GOLDEN, "place_choice_en", card)
    buttons = actions(card)
    assert [b["data"] for b in buttons] == [
        {"action": "offices.place", "place": "Deurne (Antwerpen)", "lang": "en"},
        {"action": "offices.place", "place": "Deurne (Diest)", "lang": "en"},
    ]
    assert texts(card)[0] == "Which place do you mean by “Deurne”?"


def test_place_choice_card_has_at_most_five_buttons() -> None:
    resolution = PlaceResolution("ambiguous", "x", suggestions=tuple(f"Place {i}" for i in range(8)))

    card = render_place_choice(resolution, "nl")

    assert_valid_card(card)
    assert len(actions(card)) == 5


def test_unknown_place_card(places: PlaceIndex) -> None:
    card = render_place_choice(places.resolve("Xyzzyqwv"), "nl")

    assert_valid_card(card)
    assert texts(card)[0] == "Ik ken “Xyzzyqwv” niet als Belgische gemeente of postcode."
    assert "actions" not in card


def test_remember_offer_card() -> None:
    card = render_remember_offer("Luik / Liège", "fr")

    assert_valid_card(card)
    assert_golden(GOLDEN, "remember_offer_fr", card)
    yes, no = actions(card)
    assert yes["data"] == {
        "action": "offices.remember",
        "remember": True,
        "place": "Luik / Liège",
        "lang": "fr",
    }
    assert no["data"]["remember"] is False


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            osm_url(50.8467, 4.3525),
            "https://www.openstreetmap.org/?mlat=50.84670&mlon=4.35250#map=17/50.84670/4.35250",
        ),
        (
            mailto_url("a@police.example", "Bureau satellite Liège"),
            "mailto:a@police.example?subject=Bureau%20satellite%20Li%C3%A8ge",
        ),
        (
            teams_chat_url("a.b@police.example"),
            "https://teams.microsoft.com/l/chat/0/0?users=a.b@police.example",
        ),
    ],
)
def test_links(url: str, expected: str) -> None:
    assert url == expected


def test_a_typed_place_is_shown_as_text_in_the_place_choice_card() -> None:
    typed = "[Gent](https://evil.example) # - 1."
    card = render_place_choice(PlaceResolution("unknown", typed), "de")

    assert_valid_card(card)
    assert_golden(GOLDEN, "place_choice_typed_markdown_de", card)
    assert "https\\[:\\]//evil\\[.\\]example" in texts(card)[0]


def test_a_province_with_many_offices_lists_the_first_and_says_how_many_more(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    province = places.province("Provinz Lüttich")
    assert province is not None
    listing = province_offices(fixture_directory, province, MONDAY_MORNING)
    crowded = replace(listing, offices=listing.offices * 20)

    card = render_province(crowded, "en")

    assert_valid_card(card)
    assert_golden(GOLDEN, "province_crowded_en", card)
    headings = [node for _, node in card_objects(card) if node.get("type") == "Container"]
    assert len(headings) == MAX_PROVINCE_OFFICES
    assert card["body"][-1]["text"] == f"… and {len(crowded.offices) - MAX_PROVINCE_OFFICES} more."
