"""Fixtures for the satellite-office tests: the place index (built once) and small offices files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nwow.offices.loader import load_offices
from nwow.offices.model import OfficeDirectory
from nwow.offices.places import PlaceIndex, default_place_index
from nwow.paths import default_faq_dir

OfficesFile = Callable[[str], Path]


def office_yaml(
    office_id: str,
    postal_code: str,
    *,
    municipality: str = "Voorbeeld",
    coordinates: tuple[float, float] | None = None,
    hours: str = '{mon: "07:30-17:00", tue: "07:30-17:00", wed: "07:30-17:00", thu: "07:30-17:00", fri: "07:30-12:00, 13:00-16:00"}',
    extra: str = "",
) -> str:
    """One office, as the text of a list item under `offices:`."""
    lines = [
        f"  - id: {office_id}",
        f"    name: {{nl: Kantoor {office_id}, fr: Bureau {office_id}, de: Büro {office_id}, en: Office {office_id}}}",
        "    host: {kind: local, name: Politiezone Voorbeeld}",
        f"    address: {{street: Voorbeeldstraat 1, postal_code: '{postal_code}', municipality: {municipality}}}",
    ]
    if coordinates is not None:
        lines.append(f"    coordinates: {{lat: {coordinates[0]}, lon: {coordinates[1]}}}")
    lines += [
        f"    hours: {hours}",
        "    desks: 4",
        "    facilities: [wifi, screens]",
        "    access: {nl: Badge aanvragen, fr: Demander un badge, de: Ausweis beantragen, en: Ask for a badge}",
        f"    contact: {{email: {office_id}@police.example}}",
    ]
    if extra:
        lines.append(extra)
    lines += ["    source: none", "    status: draft"]
    return "\n".join(lines)


@pytest.fixture(scope="session")
def places() -> PlaceIndex:
    return default_place_index()


SHIPPED_OFFICES = default_faq_dir() / "offices.yml"


def shipped_is_the_example() -> bool:
    """Whether the shipped offices file is still the example (ambassadors replace it with the real list)."""
    return SHIPPED_OFFICES.read_text(encoding="utf-8").startswith("# EXAMPLE DATA")


@pytest.fixture(scope="session")
def shipped() -> OfficeDirectory:
    """The shipped example offices; tests of its content are skipped once it is replaced by the real list."""
    if not shipped_is_the_example():
        pytest.skip("the shipped offices file is no longer the example")
    directory, problems = load_offices(SHIPPED_OFFICES)
    assert problems == []
    assert directory is not None
    return directory


@pytest.fixture
def offices_file(tmp_path: Path) -> OfficesFile:
    def write(body: str) -> Path:
        path = tmp_path / "offices.yml"
        path.write_text(body, encoding="utf-8")
        return path

    return write


FIXTURE_OFFICES = Path(__file__).parent / "fixtures" / "offices.yml"


@pytest.fixture(scope="session")
def fixture_directory(places: PlaceIndex) -> OfficeDirectory:
    """Four invented offices (Gent, Aalst, Brugge, Eupen) that the card and dialog tests rely on. They have
    Dutch and French texts only (Eupen German too): the cards show what readers of other languages see."""
    directory, problems = load_offices(FIXTURE_OFFICES, places=places)
    assert [(p.severity, p.message.split(" has no text in ")[0]) for p in problems] == [
        ("warning", f"office '{office_id}'") for office_id in ("gent", "aalst", "brugge", "eupen")
    ]
    assert directory is not None
    return directory
