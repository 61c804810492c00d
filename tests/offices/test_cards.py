"""The office cards: golden files, the Adaptive Card 1.5 schema and Teams rules, and their links."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.cards.offices import (
    MAX_PROVINCE_OFFICES,
    PROVINCE_ACTION,
    mailto_url,
    opening_text,
    osm_url,
    render_nearest,
    render_place_choice,
    render_province,
    render_remember_offer,
    teams_chat_url,
)
from nwow.offices.detect import understand
from nwow.offices.model import Closure, OfficeDirectory, PlaceResolution
from nwow.offices.places import PlaceIndex
from nwow.offices.ranking import nearest_to, province_offices, status_at
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
    assert shown[0] == "Satellietkantoren dicht bij Gent"
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
    assert shown[0] == "Bureaux satellites près de Gand"
    assert "fermé (Noël)" in shown  # Gent is closed for Christmas (Friday), until Saturday
    assert "Fermé maintenant · ouvre lundi à 07:30" in shown
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
    assert [b["title"] for b in buttons] == ["Deurne (Antwerp)", "Deurne (Diest)"]
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


def test_place_names_are_in_the_readers_language_never_doubled(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    """French readers got "Namen / Namur" and "Bastenaken / Bastogne"; each reader gets one name."""
    expected = {
        ("Namur", "fr"): "Bureaux satellites près de Namur",
        ("Namur", "nl"): "Satellietkantoren dicht bij Namen",
        ("Bastogne", "fr"): "Bureaux satellites près de Bastogne",
        ("Lüttich", "de"): "Satellitenbüros in der Nähe von Lüttich",
        ("Liège", "en"): "Satellite offices near Liège",
        ("Gent", "en"): "Satellite offices near Ghent",
        ("Elsene", "de"): "Satellitenbüros in der Nähe von Ixelles",  # Brussels: French for de/en
        ("1000", "nl"): "Satellietkantoren dicht bij 1000 Brussel",
        ("Sankt Vith", "fr"): "Bureaux satellites près de Saint-Vith",
        ("Saint-Vith", "en"): "Satellite offices near Sankt Vith",  # the German-speaking area's own name
    }
    for (typed, lang), title in expected.items():
        place = places.resolve(typed).place
        assert place is not None, typed
        card = render_nearest(nearest_to(fixture_directory, place, MONDAY_MORNING), lang)
        assert texts(card)[0] == title
        assert " / " not in texts(card)[0]


def test_a_german_card_shows_german_office_texts_and_the_local_ones_where_german_is_missing(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    place = places.resolve("Eupen").place
    assert place is not None

    card = render_nearest(nearest_to(fixture_directory, place, MONDAY_MORNING, n=1), "de")

    assert_valid_card(card)
    assert_golden(GOLDEN, "nearest_de_eupen", card)
    shown = texts(card)
    assert shown[2].startswith("Satellitenbüro Eupen · ")
    assert "**Zugang:** Melden Sie sich vorher an." in shown
    eupen = fixture_directory.office("eupen")
    assert eupen is not None
    assert eupen.name("en") == "Satellitenbüro Eupen"  # no English name: the office's own language
    aalst = fixture_directory.office("aalst")
    assert aalst is not None
    assert aalst.name("de") == "Satellietkantoor Aalst"  # a Flemish office without German: its Dutch
    assert aalst.access_text("en") == "Vraag eerst je badge aan per e-mail."


@pytest.mark.parametrize(
    ("moment", "lang", "state"),
    [
        (datetime(2026, 11, 23, 6, 0, tzinfo=BRUSSELS), "nl", "Nu gesloten · opent vandaag om 07:30"),
        (
            datetime(2026, 11, 23, 12, 30, tzinfo=BRUSSELS),
            "fr",
            "Fermé maintenant · ouvre aujourd'hui à 13:00",
        ),
        (datetime(2026, 11, 23, 18, 0, tzinfo=BRUSSELS), "de", "Jetzt geschlossen · öffnet morgen um 07:30"),
        (datetime(2026, 11, 27, 18, 0, tzinfo=BRUSSELS), "en", "Closed now · opens Monday at 07:30"),
        (
            datetime(2026, 11, 27, 18, 0, tzinfo=BRUSSELS),
            "de",
            "Jetzt geschlossen · öffnet am Montag um 07:30",
        ),
        (datetime(2026, 11, 27, 18, 0, tzinfo=BRUSSELS), "nl", "Nu gesloten · opent maandag om 07:30"),
        (datetime(2026, 11, 23, 10, 0, tzinfo=BRUSSELS), "en", "Open now"),
    ],
)
def test_a_closed_office_says_when_it_opens(
    fixture_directory: OfficeDirectory, moment: datetime, lang: str, state: str
) -> None:
    gent = fixture_directory.office("gent")
    assert gent is not None

    assert opening_text(status_at(gent, moment), moment, lang) == state


def test_an_opening_more_than_a_week_ahead_gives_the_date(fixture_directory: OfficeDirectory) -> None:
    gent = fixture_directory.office("gent")
    assert gent is not None
    long_closure = Closure(date(2026, 11, 24), date(2026, 12, 6), {"nl": "Werken", "fr": "Travaux"})
    closed = replace(gent, closures=(long_closure,))
    monday_evening = datetime(2026, 11, 23, 18, 0, tzinfo=BRUSSELS)

    status = status_at(closed, monday_evening)

    assert (
        opening_text(status, monday_evening, "fr") == "Fermé maintenant · ouvre le lundi 7 décembre à 07:30"
    )
    assert opening_text(status, monday_evening, "de") == (
        "Jetzt geschlossen · öffnet am Montag, 7. Dezember, um 07:30"
    )
    assert opening_text(status, monday_evening, "en") == "Closed now · opens on Monday 7 December at 07:30"
    assert opening_text(status, monday_evening, "nl") == "Nu gesloten · opent op maandag 7 december om 07:30"


def test_a_name_that_is_a_province_and_a_town_elsewhere_offers_both(places: PlaceIndex) -> None:
    query = understand("satellietkantoor Limburg", places)

    card = render_place_choice(query.choice, "nl", provinces=query.provinces, province_of=places.provinces)

    assert_valid_card(card)
    assert_golden(GOLDEN, "province_or_town_nl", card)
    assert texts(card)[0] == "Wat bedoel je met “Limburg”?"
    assert [(b["title"], b["data"]) for b in actions(card)] == [
        (
            "Alle kantoren in Provincie Limburg",
            {"action": PROVINCE_ACTION, "province": "70000", "lang": "nl"},
        ),
        (
            "Limburg (Provincie Luik)",
            {"action": "offices.place", "place": "Limburg / Limbourg", "lang": "nl"},
        ),
    ]


def test_a_region_offers_its_provinces(places: PlaceIndex) -> None:
    query = understand("satellite offices in Wallonia", places)

    card = render_place_choice(query.choice, "en", provinces=query.provinces, province_of=places.provinces)

    assert_valid_card(card)
    assert [b["data"]["province"] for b in actions(card)] == ["20002", "50000", "60000", "80000", "90000"]
    assert actions(card)[0]["title"] == "All offices in Province of Walloon Brabant"


def test_a_misspelt_place_is_offered_in_the_readers_language(places: PlaceIndex) -> None:
    query = understand("bureau satellite près de Courtrie", places)

    card = render_place_choice(query.choice, "fr", provinces=query.provinces, province_of=places.provinces)

    assert_valid_card(card)
    assert texts(card)[0] == "Quel lieu voulez-vous dire par « Courtrie » ?"
    assert actions(card)[0]["title"] == "Courtrai"
    assert actions(card)[0]["data"]["place"] == "Kortrijk / Courtrai"


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
