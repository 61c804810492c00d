"""Example offices are marked on the office cards: one line when every office shown is an example, and each
example office besides when a card mixes them with real ones; a card of real offices has no mark."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.cards.offices import render_nearest, render_province
from nwow.offices.model import OfficeDirectory
from nwow.offices.places import PlaceIndex
from nwow.offices.ranking import nearest_to, province_offices
from tests.cardcheck import assert_valid_card, card_objects
from tests.golden import assert_golden

MONDAY_MORNING = datetime(2026, 11, 23, 10, 15, tzinfo=ZoneInfo("Europe/Brussels"))
GOLDEN = Path(__file__).parent / "golden"


def warnings(card: dict[str, Any]) -> list[str]:
    return [node["text"] for _, node in card_objects(card) if node.get("color") == "Warning"]


def with_examples(directory: OfficeDirectory, *ids: str) -> OfficeDirectory:
    offices = tuple(replace(o, example=True) if o.id in ids else o for o in directory.offices)
    return OfficeDirectory(offices, directory.provinces, directory.source)


def test_a_card_of_example_offices_says_so_once_at_the_top(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    place = places.resolve("Gent").place
    assert place is not None
    examples = with_examples(fixture_directory, *(o.id for o in fixture_directory.offices))

    card = render_nearest(nearest_to(examples, place, MONDAY_MORNING), "en")

    assert_valid_card(card)
    assert_golden(GOLDEN, "nearest_examples_en", card)
    assert warnings(card) == [
        "⚠️ Example — not yet validated by DRI: these offices, their hours and access rules are invented."
    ]
    first_office = next(i for i, e in enumerate(card["body"]) if e["type"] == "Container")
    assert card["body"][first_office - 1]["color"] == "Warning"


def test_a_card_that_mixes_example_and_real_offices_marks_each_example(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    place = places.resolve("Gent").place
    assert place is not None
    mixed = with_examples(fixture_directory, "aalst")

    card = render_nearest(nearest_to(mixed, place, MONDAY_MORNING), "fr")

    assert_valid_card(card)
    assert_golden(GOLDEN, "nearest_mixed_examples_fr", card)
    assert warnings(card) == [
        "⚠️ Les bureaux marqués « exemple » ne sont pas encore validés par la DRI : leurs données sont fictives.",
        "⚠️ Exemple — pas encore validé par la DRI",
    ]
    marked = [
        container["items"][0]["text"]
        for container in card["body"]
        if container["type"] == "Container" and container["items"][1].get("color") == "Warning"
    ]
    assert len(marked) == 1 and marked[0].startswith("Bureau satellite Alost")


def test_the_province_card_is_marked_in_german(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    province = places.province("Provinz Lüttich")
    assert province is not None
    examples = with_examples(fixture_directory, "eupen")

    card = render_province(province_offices(examples, province, MONDAY_MORNING), "de")

    assert_valid_card(card)
    assert warnings(card) == [
        "⚠️ Beispiel — noch nicht von der DRI validiert: Diese Büros, ihre Zeiten und Zugangsregeln sind erfunden."
    ]


def test_real_offices_carry_no_mark(fixture_directory: OfficeDirectory, places: PlaceIndex) -> None:
    place = places.resolve("Gent").place
    assert place is not None

    card = render_nearest(nearest_to(fixture_directory, place, MONDAY_MORNING), "nl")

    assert warnings(card) == []
