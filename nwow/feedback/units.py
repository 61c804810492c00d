"""The units of the survey's dropdown (faq/units.yml): loading, validation with file:line problems, holder."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nwow.language import DEFAULT_LANG, LANGS, Lang
from nwow.problems import Problem, has_errors
from nwow.yaml_nodes import ID_PATTERN, YamlFailure, compose_yaml, node_line

logger = logging.getLogger(__name__)

UNITS_FILE: Final = "units.yml"
REQUIRED_LANGS: Final[tuple[Lang, ...]] = ("nl", "fr")
_TOP_KEYS: Final = ("groups", "units")
_GROUP_KEYS: Final = ("id", "name")
_UNIT_KEYS: Final = ("id", "group", "name")


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


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, node: Node | None, message: str) -> None:
        self.problems.append(Problem(self.path, node_line(node) if node is not None else 1, message, "error"))

    def warn(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.path, node_line(node), message, "warning"))

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping (key: value lines)")
            return None
        out: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key is None:
                self.error(key_node, f"a key in {what} must be a plain word")
                continue
            if key not in allowed:
                self.error(key_node, f"unknown field '{key}' in {what}; use {', '.join(allowed)}")
                continue
            if key in out:
                self.error(key_node, f"'{key}' appears twice in {what}; keep one")
                continue
            out[key] = value_node
        return out

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not node.value.strip():
            self.error(node, f"{what} must be a non-empty text")
            return None
        return str(node.value).strip()

    def ident(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not ID_PATTERN.match(value):
            self.error(node, f"{what} '{value}' must be lower-case letters, digits and '-' (e.g. fed-dri)")
            return None
        return value

    def names(self, node: Node, what: str) -> dict[str, str] | None:
        mapping = self.mapping(node, f"the name of {what}", LANGS)
        if mapping is None:
            return None
        names: dict[str, str] = {}
        for lang, value in mapping.items():
            text = self.text(value, f"the {lang} name of {what}")
            if text is not None:
                names[lang] = text
        missing = [lang for lang in REQUIRED_LANGS if lang not in names]
        if missing:
            self.error(node, f"{what} needs a name in {' and '.join(missing)}")
            return None
        optional = [lang for lang in LANGS if lang not in names and lang not in REQUIRED_LANGS]
        if optional:
            self.warn(
                node, f"{what} has no name in {' and '.join(optional)}; the Dutch name is shown instead"
            )
        return names

    def entries(self, node: Node | None, what: str) -> list[Node]:
        if node is None:
            self.error(None, f"the file has no '{what}:' list; add it")
            return []
        if not isinstance(node, SequenceNode) or not node.value:
            self.error(node, f"'{what}' must be a non-empty list of items starting with '- '")
            return []
        return list(node.value)


def load_units(path: Path) -> tuple[Units | None, list[Problem]]:
    """Read and check units.yml; (units, problems), units None when any problem is an error."""
    reader = _Reader(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(path, 1, f"cannot read the units file: {exc.strerror or exc}")]
    root = compose_yaml(raw)
    if isinstance(root, YamlFailure):
        if root.not_utf8:
            return None, [Problem(path, root.line, "the file is not UTF-8 text; save it as UTF-8")]
        return None, [Problem(path, root.line, f"not valid YAML: {root.problem or root.what}")]
    if root is None:
        return None, [Problem(path, 1, "the file is empty; it needs 'groups:' and 'units:'")]
    top = reader.mapping(root, "the units file", _TOP_KEYS)
    if top is None:
        return None, reader.problems

    groups: list[UnitGroup] = []
    group_lines: dict[str, int] = {}
    for item in reader.entries(top.get("groups"), "groups"):
        fields = reader.mapping(item, "a group", _GROUP_KEYS)
        if fields is None:
            continue
        if "id" not in fields or "name" not in fields:
            reader.error(item, "a group needs 'id:' and 'name:'")
            continue
        group_id = reader.ident(fields["id"], "the group id")
        names = reader.names(fields["name"], f"group '{group_id}'")
        if group_id is None or names is None:
            continue
        if group_id in group_lines:
            reader.error(
                fields["id"], f"group '{group_id}' is already defined on line {group_lines[group_id]}"
            )
            continue
        group_lines[group_id] = node_line(fields["id"])
        groups.append(UnitGroup(group_id, names))

    units: list[Unit] = []
    unit_lines: dict[str, int] = {}
    for item in reader.entries(top.get("units"), "units"):
        fields = reader.mapping(item, "a unit", _UNIT_KEYS)
        if fields is None:
            continue
        missing = [k for k in _UNIT_KEYS if k not in fields]
        if missing:
            reader.error(item, f"a unit needs {', '.join(f'{k}:' for k in missing)}")
            continue
        unit_id = reader.ident(fields["id"], "the unit id")
        group = reader.ident(fields["group"], "the group")
        names = reader.names(fields["name"], f"unit '{unit_id}'")
        if unit_id is None or group is None or names is None:
            continue
        if group not in group_lines:
            known = ", ".join(group_lines) or "none defined"
            reader.error(
                fields["group"], f"unit '{unit_id}' names group '{group}', which is not defined ({known})"
            )
            continue
        if unit_id in unit_lines:
            reader.error(fields["id"], f"unit id '{unit_id}' is already used on line {unit_lines[unit_id]}")
            continue
        unit_lines[unit_id] = node_line(fields["id"])
        units.append(Unit(unit_id, group, names))

    problems = sorted(reader.problems, key=lambda p: (p.line, p.severity, p.message))
    if has_errors(problems):
        return None, problems
    return Units(tuple(groups), tuple(units)), problems


def validate_faq_folder(folder: Path) -> list[Problem]:
    """The problems of `folder`/units.yml, if the folder has one (the `nwow faq check` hook)."""
    path = folder / UNITS_FILE
    return validate_units_file(path) if path.is_file() else []


def validate_units_file(path: Path) -> list[Problem]:
    """Every problem in units.yml (for `nwow faq check`)."""
    return load_units(path)[1]
