"""faq/units.yml and its loader: the shipped file is clean, and each mistake is reported at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nwow.feedback.units import load_units, units_loader, validate_faq_folder, validate_units_file
from nwow.paths import default_faq_dir
from nwow.reloading import LoadFailed, Reloading

SHIPPED = default_faq_dir() / "units.yml"

GOOD = """\
groups:
  - id: federal
    name: {nl: Federale Politie, fr: Police fédérale, de: Föderale Polizei, en: Federal Police}
  - id: local
    name: {nl: Lokale Politie, fr: Police locale, de: Lokale Polizei, en: Local Police}
units:
  - id: fed-dri
    group: federal
    name: {nl: DRI, fr: DRI, de: DRI, en: DRI}
  - id: local-namur
    group: local
    name: {nl: provincie Namen, fr: province de Namur, de: Provinz Namur, en: province of Namur}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "units.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_units_file_has_no_problems() -> None:
    units, problems = load_units(SHIPPED)
    assert problems == []
    assert units is not None
    ids = units.ids()
    assert {"fed-cg", "fed-dga", "fed-dgj", "fed-dgr", "fed-dri", "local-brussel"} <= ids
    local = [u for u in units.units if u.group == "local"]
    assert len(local) == 11  # ten provinces and the Brussels-Capital Region
    for unit in units.units:
        assert set(unit.names) == {"nl", "fr", "de", "en"}, unit.id


def test_choices_are_group_and_name_in_the_users_language() -> None:
    units, _ = load_units(SHIPPED)
    assert units is not None
    assert ("local-antwerpen", "Lokale Politie — provincie Antwerpen") in units.choices("nl")
    assert ("local-antwerpen", "Police locale — province d'Anvers") in units.choices("fr")
    assert ("local-brussel", "Local Police — Brussels-Capital Region") in units.choices("en")
    assert units.label("gone-unit", "nl") == "gone-unit"


def test_a_good_file_loads(tmp_path: Path) -> None:
    units, problems = load_units(write(tmp_path, GOOD))
    assert problems == []
    assert units is not None
    assert units.choices("de") == [
        ("fed-dri", "Föderale Polizei — DRI"),
        ("local-namur", "Lokale Polizei — Provinz Namur"),
    ]


@pytest.mark.parametrize(
    ("change", "line", "needle"),
    [
        (
            ("    name: {nl: DRI, fr: DRI, de: DRI, en: DRI}", "    name: {nl: DRI, de: DRI, en: DRI}"),
            9,
            "`fr` is missing in `name` of unit 'fed-dri'",
        ),
        (("  - id: local-namur", "  - id: fed-dri"), 10, "already used on line 7"),
        (
            ("    group: local\n    name: {nl: provincie", "    group: locale\n    name: {nl: provincie"),
            11,
            "locale",
        ),
        (("  - id: fed-dri", "  - id: Fed DRI"), 7, "lower-case"),
        (
            ("    group: federal\n    name: {nl: DRI", "    grop: federal\n    name: {nl: DRI"),
            8,
            "unknown field `grop` in unit 'fed-dri'; did you mean `group`?",
        ),
        (("  - id: fed-dri\n", "  - id: fed-dri\n  x: [\n"), 8, "YAML syntax error"),
        (
            ("    name: {nl: DRI, fr: DRI,", "    name: {nl: DRI, fr: '',"),
            9,
            "`fr` in `name` of unit 'fed-dri' is empty",
        ),
    ],
)
def test_mistakes_are_errors_at_their_line(
    tmp_path: Path, change: tuple[str, str], line: int, needle: str
) -> None:
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    units, problems = load_units(path)
    assert units is None
    errors = [p for p in problems if p.severity == "error"]
    assert errors, problems
    assert any(p.line == line and needle in p.message and p.file == path for p in errors), problems


def test_a_missing_optional_language_is_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD.replace("name: {nl: DRI, fr: DRI, de: DRI, en: DRI}", "name: {nl: DRI, fr: DRI}")
    )
    units, problems = load_units(path)
    assert units is not None
    assert [(p.severity, p.line) for p in problems] == [("warning", 9)]
    assert "de and en" in problems[0].message
    assert units.label("fed-dri", "en") == "Federal Police — DRI"


def test_missing_file_empty_file_and_missing_lists(tmp_path: Path) -> None:
    assert "cannot read" in validate_units_file(tmp_path / "nope.yml")[0].message
    assert "empty" in validate_units_file(write(tmp_path, "# nothing\n"))[0].message
    problems = validate_units_file(write(tmp_path, "groups: []\n"))
    assert any("`groups` must not be empty" in p.message for p in problems)
    assert any("`units` is missing" in p.message for p in problems)


async def test_reloading_units_keeps_the_last_good_file(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    holder = Reloading("units", tmp_path, lambda folder: [folder / "units.yml"], units_loader, poll_seconds=0)
    await holder.start()
    assert holder.current.choices("nl")[0] == ("fed-dri", "Federale Politie — DRI")
    write(tmp_path, "units: nope\n")
    assert (await holder.reload()).value is None
    assert holder.current.choices("nl")[0] == (
        "fed-dri",
        "Federale Politie — DRI",
    )  # the previous version stays
    await holder.stop()
    with pytest.raises(LoadFailed, match="does not validate"):
        await Reloading(
            "units", tmp_path, lambda folder: [folder / "units.yml"], units_loader, poll_seconds=0
        ).start()


def test_the_faq_folder_validator_checks_units_yml(tmp_path: Path) -> None:
    assert validate_faq_folder(default_faq_dir()) == []
    write(tmp_path, GOOD.replace("group: local", "group: lokaal"))
    [problem] = validate_faq_folder(tmp_path)
    assert problem.file == tmp_path / "units.yml" and "lokaal" in problem.message
    assert validate_faq_folder(tmp_path / "a-folder-without-units") == []
