"""The units of the survey's dropdown (faq/units.yml): loading, checked against faq/schemas/units.schema.json
and the rules a schema cannot express (ids unique, groups that exist), with file:line problems."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from nwow.language import DEFAULT_LANG, LANGS, Lang
from nwow.problems import Problem, ProblemList, shown
from nwow.reloading import Loaded
from nwow.yaml_schema import read_checked

logger = logging.getLogger(__name__)

UNITS_FILE: Final = "units.yml"
REQUIRED_LANGS: Final[tuple[Lang, ...]] = ("nl", "fr")


@dataclass(frozen=True)
class UnitGroup:
    id: str
    names: Mapping[str, str]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names[DEFAULT_LANG]


@dataclass(frozen=True)
class Unit:
    id: str
    group: str
    names: Mapping[str, str]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names[DEFAULT_LANG]


@dataclass(frozen=True)
class Units:
    groups: tuple[UnitGroup, ...]
    units: tuple[Unit, ...]

    def group(self, group_id: str) -> UnitGroup:
        return next(g for g in self.groups if g.id == group_id)

    def ids(self) -> frozenset[str]:
        return frozenset(u.id for u in self.units)

    def label(self, unit_id: str, lang: str) -> str:
        """ "<group> — <name>" for a unit id; an unknown id (a unit since removed) is shown as itself."""
        for unit in self.units:
            if unit.id == unit_id:
                return f"{self.group(unit.group).name(lang)} — {unit.name(lang)}"
        return unit_id

    def choices(self, lang: str) -> list[tuple[str, str]]:
        """(unit id, label) pairs in file order, for the survey's dropdown."""
        return [(u.id, self.label(u.id, lang)) for u in self.units]


def read_units(path: Path) -> Loaded[Units]:
    """Read and check units.yml: the units (None when any problem is an error), the problems, the bytes."""
    document, problems, files = read_checked(
        path, "units", empty="the file is empty; it needs `groups:` and `units:`"
    )
    if document is None:
        return Loaded(None, problems.sorted(), files, problems.dropped)

    def where(*at: str | int) -> int:
        return document.line(at)

    groups: list[UnitGroup] = []
    group_lines: dict[str, int] = {}
    for index, fields in enumerate(document.value["groups"]):
        group_id = str(fields["id"])
        if group_id in group_lines:
            problems.error(
                path,
                where("groups", index, "id"),
                f"group {shown(group_id)} is already defined on line {group_lines[group_id]}",
            )
            continue
        group_lines[group_id] = where("groups", index, "id")
        groups.append(
            UnitGroup(
                group_id,
                _names(fields["name"], f"group '{group_id}'", path, where("groups", index, "name"), problems),
            )
        )

    units: list[Unit] = []
    unit_lines: dict[str, int] = {}
    for index, fields in enumerate(document.value["units"]):
        unit_id, group = str(fields["id"]), str(fields["group"])
        if group not in group_lines:
            known = ", ".join(group_lines) or "none defined"
            problems.error(
                path,
                where("units", index, "group"),
                f"unit '{unit_id}' names group {shown(group)}, which is not defined ({known})",
            )
            continue
        if unit_id in unit_lines:
            problems.error(
                path,
                where("units", index, "id"),
                f"unit id {shown(unit_id)} is already used on line {unit_lines[unit_id]}",
            )
            continue
        unit_lines[unit_id] = where("units", index, "id")
        units.append(
            Unit(
                unit_id,
                group,
                _names(fields["name"], f"unit '{unit_id}'", path, where("units", index, "name"), problems),
            )
        )

    if problems.has_errors:
        return Loaded(None, problems.sorted(), files, problems.dropped)
    return Loaded(Units(tuple(groups), tuple(units)), problems.sorted(), files, problems.dropped)


def _names(names: dict[str, Any], what: str, path: Path, line: int, problems: ProblemList) -> dict[str, str]:
    """The names of a group or unit (nl and fr are in the schema); a missing de or en is a warning."""
    optional = [lang for lang in LANGS if lang not in names and lang not in REQUIRED_LANGS]
    if optional:
        problems.warn(
            path, line, f"{what} has no name in {' and '.join(optional)}; the Dutch name is shown instead"
        )
    return {lang: str(text).strip() for lang, text in names.items()}


def load_units(path: Path) -> tuple[Units | None, list[Problem]]:
    """Read and check units.yml; (units, problems), units None when any problem is an error."""
    loaded = read_units(path)
    return loaded.value, loaded.problems


def validate_faq_folder(folder: Path) -> list[Problem]:
    """The problems of `folder`/units.yml, if the folder has one (the `nwow faq check` hook)."""
    path = folder / UNITS_FILE
    return validate_units_file(path) if path.is_file() else []


def validate_units_file(path: Path) -> list[Problem]:
    """Every problem in units.yml (for `nwow faq check`)."""
    return load_units(path)[1]


def units_loader(folder: Path) -> Loaded[Units]:
    """`folder -> Loaded` for a reloading holder (the folder holds units.yml)."""
    return read_units(folder / UNITS_FILE)
