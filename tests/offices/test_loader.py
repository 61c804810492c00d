"""The offices file: the shipped example, and every problem reported with its line and what to change."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from nwow.offices.loader import load_offices, parse_time_range, validate_faq_folder, validate_offices_file
from nwow.offices.model import FACILITIES, OfficeDirectory, TimeRange
from nwow.paths import default_faq_dir
from nwow.problems import Problem
from tests.offices.conftest import OfficesFile, office_yaml


def errors(problems: list[Problem]) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in problems if p.severity == "error"]


def test_the_shipped_example_has_26_offices_in_every_province(shipped: OfficeDirectory) -> None:
    assert len(shipped) == 26
    assert {o.province for o in shipped.offices} == set(shipped.provinces)
    assert len(shipped.provinces) == 11
    for office in shipped.offices:
        assert office.contact.email is None or office.contact.email.endswith(".example")
        assert office.contact.teams is None or office.contact.teams.endswith(".example")
        assert {"nl", "fr"} <= office.names.keys()
        assert set(office.facilities) <= set(FACILITIES)


def test_the_shipped_file_is_valid_whatever_it_holds() -> None:
    directory, problems = load_offices(default_faq_dir() / "offices.yml")

    assert [p for p in problems if p.severity == "error"] == []
    assert directory is not None


def test_the_shipped_example_says_so_on_its_first_lines(shipped: OfficeDirectory) -> None:
    head = (default_faq_dir() / "offices.yml").read_text(encoding="utf-8").splitlines()[:6]

    assert head[0] == "# EXAMPLE DATA — REPLACE BEFORE USE."
    assert any("not public" in line for line in head)


def test_a_good_file(offices_file: OfficesFile) -> None:
    path = offices_file(
        "offices:\n"
        + office_yaml("gent-a", "9000", municipality="Gent", coordinates=(51.05, 3.72))
        + "\n"
        + office_yaml("leuven-b", "3000", municipality="Leuven")
    )

    directory, problems = load_offices(path)

    assert problems == []
    assert directory is not None
    gent, leuven = directory.offices
    assert (gent.lat, gent.lon, gent.coordinates_from_postal_code) == (51.05, 3.72, False)
    assert leuven.coordinates_from_postal_code
    assert leuven.lat == pytest.approx(50.88, abs=0.01)
    assert leuven.province == "20001"
    assert leuven.hours["fri"] == (TimeRange(time(7, 30), time(12, 0)), TimeRange(time(13, 0), time(16, 0)))
    assert "sat" not in leuven.hours


def test_unknown_field_with_a_suggestion(offices_file: OfficesFile) -> None:
    path = offices_file("offices:\n" + office_yaml("gent", "9000", extra="    facilitys: [wifi]"))

    directory, problems = load_offices(path)

    assert directory is None
    assert errors(problems) == [
        (11, "unknown field `facilitys` in office 'gent'; did you mean `facilities`?")
    ]


def test_bad_time_ranges(offices_file: OfficesFile) -> None:
    hours = '{mon: "17:00-07:30", tue: "7h30-17h", wed: "07:30-12:00, 11:00-16:00", thu: "25:00-26:00"}'
    path = offices_file("offices:\n" + office_yaml("gent", "9000", hours=hours))

    _, problems = load_offices(path)

    messages = [m for _, m in errors(problems)]
    assert len(messages) == 4
    assert all(line == 6 for line, _ in errors(problems))
    assert any("bad time range '17:00-07:30' on mon" in m for m in messages)
    assert any(
        "`tue` in `hours` of office 'gent' is '7h30-17h': it must be like \"07:30-17:00\"" in m
        for m in messages
    )
    assert any("07:30-12:00 and 11:00-16:00 on wed overlap" in m for m in messages)
    assert any("bad time range '25:00-26:00' on thu" in m for m in messages)


def test_hours_as_a_list_and_a_misspelt_day(offices_file: OfficesFile) -> None:
    hours = '\n      mon: ["07:30-12:00", "13:00-17:00"]\n      tuesday: "07:30-17:00"'
    path = offices_file("offices:\n" + office_yaml("gent", "9000", hours=hours))

    _, problems = load_offices(path)

    assert errors(problems) == [
        (8, "unknown field `tuesday` in `hours` of office 'gent'; did you mean `tue`?")
    ]


def test_unknown_facility(offices_file: OfficesFile) -> None:
    body = "offices:\n" + office_yaml("gent", "9000").replace("[wifi, screens]", "[wifi, screen, sauna]")

    _, problems = load_offices(offices_file(body))

    assert errors(problems) == [
        (
            8,
            "item 2 in `facilities` of office 'gent' is 'screen', which is not a known value; did you mean `screens`?",
        ),
        (
            8,
            f"item 3 in `facilities` of office 'gent' is 'sauna': it must be one of: {', '.join(FACILITIES)}",
        ),
    ]


def test_unknown_postal_code(offices_file: OfficesFile) -> None:
    _, problems = load_offices(offices_file("offices:\n" + office_yaml("gent", "1234")))

    ((line, message),) = errors(problems)
    assert line == 5
    assert message.startswith("unknown postal code '1234'; close ones: ")


def test_a_postal_code_of_another_municipality_is_a_warning(offices_file: OfficesFile) -> None:
    directory, problems = load_offices(
        offices_file("offices:\n" + office_yaml("gent", "9000", municipality="Leuven"))
    )

    assert directory is not None
    assert [(p.line, p.severity) for p in problems] == [(5, "warning")]
    assert "postal code 9000 is 9000 Gent, not 'Leuven'" in problems[0].message


def test_duplicate_id(offices_file: OfficesFile) -> None:
    path = offices_file("offices:\n" + office_yaml("gent", "9000") + "\n" + office_yaml("gent", "9000"))

    directory, problems = load_offices(path)

    assert directory is None
    assert errors(problems) == [(13, "duplicate id 'gent' (first on line 2); give each office its own id")]


def test_missing_required_fields(offices_file: OfficesFile) -> None:
    body = "offices:\n" + "\n".join(
        line
        for line in office_yaml("gent", "9000").splitlines()
        if not line.startswith(("    desks", "    access"))
    )

    directory, problems = load_offices(offices_file(body))

    assert directory is None
    assert errors(problems) == [
        (
            2,
            "`access` is missing in office 'gent': add how to get in (booking, badge): nl and fr, and de and en "
            "if you can",
        ),
        (2, "`desks` is missing in office 'gent': add the number of desks, a whole number"),
    ]


def test_closures_and_coordinates(offices_file: OfficesFile) -> None:
    extra = (
        "    closures:\n"
        "      - {date: 2026-12-25, reason: Kerstmis}\n"
        "      - {from: 2026-08-14, to: 2026-08-01, reason: {nl: Zomer, fr: Été}}\n"
        "      - {date: 2026-02-30, reason: Nooit}"
    )
    body = "offices:\n" + office_yaml("gent", "9000", coordinates=(3.72, 51.05), extra=extra)

    _, problems = load_offices(offices_file(body))

    assert errors(problems) == [
        (
            6,
            "`lat` in `coordinates` of office 'gent' is 3.72: it must be a latitude in Belgium, between 49.4 and 51.6",
        ),
        (
            6,
            "`lon` in `coordinates` of office 'gent' is 51.05: it must be a longitude in Belgium, between 2.4 and 6.5",
        ),
        (14, "the closure ends (2026-08-01) before it starts (2026-08-14); swap `from` and `to`"),
        (
            15,
            "`date` of closure 3 of office 'gent' is '2026-02-30': it must be a date written as YYYY-MM-DD "
            "(e.g. 2026-09-15)",
        ),
    ]


def test_yaml_syntax_error_has_a_line(offices_file: OfficesFile) -> None:
    _, problems = load_offices(offices_file("offices:\n  - id: gent\n    name: [unclosed\n"))

    assert len(problems) == 1
    assert problems[0].message.startswith("YAML syntax error")
    assert problems[0].line >= 3


def test_validate_for_faq_check(tmp_path: Path, offices_file: OfficesFile) -> None:
    assert validate_faq_folder(tmp_path) == []  # no offices file: nothing to check
    path = offices_file("offices:\n" + office_yaml("gent", "1234"))

    assert validate_faq_folder(tmp_path) == validate_offices_file(path)
    assert [p.file for p in validate_offices_file(path)] == [path]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:30-17:00", TimeRange(time(7, 30), time(17, 0))),
        (" 8:00 - 12:30 ", TimeRange(time(8, 0), time(12, 30))),
        ("00:00-24:00", TimeRange(time(0, 0), time.max)),
        ("17:00-17:00", None),
        ("17:00-07:00", None),
        ("07:60-08:00", None),
        ("nine to five", None),
    ],
)
def test_parse_time_range(text: str, expected: TimeRange | None) -> None:
    assert parse_time_range(text) == expected


def test_texts_per_language_and_the_offices_own_language_as_fallback(offices_file: OfficesFile) -> None:
    liege = (
        office_yaml("liege-a", "4000", municipality="Liège")
        .replace(
            "    host: {kind: local, name: Politiezone Voorbeeld}",
            "    host: {kind: federal, name: {fr: Police fédérale — Liège, de: Föderale Polizei — Lüttich}}",
        )
        .replace(
            "    access: {nl: Badge aanvragen, fr: Demander un badge, de: Ausweis beantragen, en: Ask for a badge}",
            "    access: {nl: Badge aanvragen, fr: Demander un badge}",
        )
    )
    eupen = office_yaml("eupen-b", "4700", municipality="Eupen").replace(
        "name: Politiezone Voorbeeld", "name: Polizeizone Eifel"
    )
    path = offices_file("offices:\n" + liege + "\n" + eupen)

    directory, problems = load_offices(path)

    assert directory is not None
    liege_office, eupen_office = directory.offices
    assert liege_office.local_languages == ("fr",)
    assert liege_office.host_name("de") == "Föderale Polizei — Lüttich"
    assert liege_office.host_name("nl") == "Police fédérale — Liège"  # no Dutch: Liège's own French
    assert liege_office.access_text("en") == "Demander un badge"  # not the Dutch one
    assert eupen_office.local_languages == ("de", "fr")
    assert eupen_office.host_name("fr") == "Polizeizone Eifel"  # one text: the office's own language
    assert [(p.severity, p.line, p.message) for p in problems] == [
        (
            "warning",
            2,
            "office 'liege-a' has no text in nl (host); de (access); en (access, host): readers of that "
            "language see the office's own language; add them",
        )
    ]


def test_a_host_name_per_language_needs_one(offices_file: OfficesFile) -> None:
    body = office_yaml("gent", "9000").replace("name: Politiezone Voorbeeld", "name: {}")
    directory, problems = load_offices(offices_file("offices:\n" + body))

    assert directory is None
    assert [p.message for p in problems] == ["`name` in `host` of office 'gent' must not be empty"]
