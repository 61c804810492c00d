"""Load and validate the offices file; every problem names the file, the line and what to change."""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Sequence
from datetime import date, time
from pathlib import Path
from typing import Final

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nwow.language import LANGS
from nwow.offices.model import (
    FACILITIES,
    HOST_KINDS,
    WEEKDAYS,
    Address,
    Closure,
    Contact,
    Host,
    HostKind,
    Office,
    OfficeDirectory,
    TimeRange,
)
from nwow.offices.places import PlaceIndex, default_place_index
from nwow.problems import Problem, has_errors
from nwow.yaml_nodes import ID_PATTERN, YamlFailure, compose_yaml, did_you_mean, node_kind, node_line

logger = logging.getLogger(__name__)

OFFICES_FILE: Final = "offices.yml"

OFFICE_FIELDS: Final = (
    "id",
    "name",
    "host",
    "address",
    "coordinates",
    "hours",
    "closures",
    "desks",
    "facilities",
    "access",
    "contact",
    "languages",
)
REQUIRED_FIELDS: Final = ("id", "name", "host", "address", "hours", "desks", "access", "contact")
HOST_FIELDS: Final = ("kind", "name")
ADDRESS_FIELDS: Final = ("street", "postal_code", "municipality")
COORDINATE_FIELDS: Final = ("lat", "lon")
CONTACT_FIELDS: Final = ("email", "teams")
CLOSURE_FIELDS: Final = ("date", "from", "to", "reason")
NAME_LANGS: Final = ("nl", "fr", "de", "en")

# Belgium and a margin: coordinates outside are a typo (swapped lat/lon, a missing digit).
LAT_RANGE: Final = (49.4, 51.6)
LON_RANGE: Final = (2.4, 6.5)

_RANGE: Final = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_POSTAL_CODE: Final = re.compile(r"^[1-9]\d{3}$")
_EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def load_offices(
    path: Path, *, places: PlaceIndex | None = None
) -> tuple[OfficeDirectory | None, list[Problem]]:
    """The offices of `path` and every problem found; no directory when there is an error."""
    loader = _Loader(path, places or default_place_index())
    offices = loader.run()
    problems = sorted(loader.problems, key=lambda p: (p.line, p.severity, p.message))
    if has_errors(problems) or offices is None:
        return None, problems
    directory = OfficeDirectory(tuple(offices), loader.places.provinces, path)
    logger.info("loaded %d offices from %s", len(directory), path)
    return directory, problems


def validate_offices_file(path: Path) -> list[Problem]:
    """Every problem of the offices file `path` (for `nwow faq check`)."""
    return load_offices(path)[1]


def validate_faq_folder(folder: Path) -> list[Problem]:
    """The problems of `folder`/offices.yml, if the folder has one (the `nwow faq check` hook)."""
    path = folder / OFFICES_FILE
    return validate_offices_file(path) if path.is_file() else []


def _suggest(name: str, known: Sequence[str]) -> str:
    return did_you_mean(name, known, f"known names are: {', '.join(known)}")


def parse_time_range(text: str) -> TimeRange | None:
    """'07:30-17:00' -> TimeRange; None when it is not HH:MM-HH:MM with start before end."""
    match = _RANGE.match(text)
    if match is None:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        return None
    start = time(h1, m1)
    end = time.max if h2 == 24 else time(h2, m2)
    if end <= start:
        return None
    return TimeRange(start, end)


class _Loader:
    def __init__(self, path: Path, places: PlaceIndex) -> None:
        self.path = path
        self.places = places
        self.problems: list[Problem] = []

    def error(self, node: Node | int, message: str) -> None:
        line = node if isinstance(node, int) else node_line(node)
        self.problems.append(Problem(self.path, line, message, "error"))

    def warn(self, node: Node | int, message: str) -> None:
        line = node if isinstance(node, int) else node_line(node)
        self.problems.append(Problem(self.path, line, message, "warning"))

    def compose(self) -> Node | None:
        try:
            node = compose_yaml(self.path.read_bytes())
        except OSError as exc:
            self.error(1, f"cannot read the file: {exc.strerror or exc}")
            return None
        if not isinstance(node, YamlFailure):
            return node
        if node.not_utf8:
            self.error(1, "the file is not UTF-8 text; save it as UTF-8")
        else:
            self.error(
                node.line,
                f"YAML syntax error: {node.what}. Check the indentation and put texts containing ': ' in quotes",
            )
        return None

    def fields(self, node: Node, known: Sequence[str], what: str) -> dict[str, tuple[Node, Node]] | None:
        """{field: (key node, value node)} of a mapping; unknown and repeated fields are reported."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping (key: value lines), not {node_kind(node)}")
            return None
        out: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else "?"
            if key in out:
                self.error(
                    key_node,
                    f"'{key}' appears twice in {what} (first on line {node_line(out[key][0])}); keep one",
                )
            elif key not in known:
                self.error(key_node, f"unknown field '{key}' in {what}; {_suggest(key, known)}")
            else:
                out[key] = (key_node, value_node)
        return out

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag.endswith(":null"):
            self.error(node, f"{what} must be a text, not {node_kind(node)}")
            return None
        value = str(node.value).strip()
        if not value:
            self.error(node, f"{what} is empty; write it")
            return None
        return value

    def texts_by_lang(self, node: Node, what: str, langs: Sequence[str]) -> dict[str, str] | None:
        fields = self.fields(node, langs, what)
        if fields is None:
            return None
        texts = {}
        for lang, (_, value) in fields.items():
            text = self.text(value, f"{what} ({lang})")
            if text is not None:
                texts[lang] = text
        return texts

    def word_list(self, node: Node, what: str) -> list[tuple[str, Node]] | None:
        if not isinstance(node, SequenceNode):
            self.error(node, f"{what} must be a list: write it as [a, b] or as lines starting with '- '")
            return None
        out = []
        for item in node.value:
            value = self.text(item, f"each item of {what}")
            if value is not None:
                out.append((value, item))
        return out

    def run(self) -> list[Office] | None:
        root = self.compose()
        if root is None:
            return None
        top = self.fields(root, ("offices",), "the offices file")
        if top is None:
            return None
        if "offices" not in top:
            self.error(root, "the file needs an 'offices:' list")
            return None
        offices_node = top["offices"][1]
        if not isinstance(offices_node, SequenceNode):
            self.error(offices_node, f"'offices' must be a list of offices, not {node_kind(offices_node)}")
            return None
        offices: list[Office] = []
        first_line: dict[str, int] = {}
        for item in offices_node.value:
            office = self.office(item)
            if office is None:
                continue
            if office.id in first_line:
                self.error(
                    item,
                    f"duplicate id '{office.id}' (first on line {first_line[office.id]}); "
                    "give each office its own id",
                )
                continue
            first_line[office.id] = node_line(item)
            offices.append(office)
        if not offices and not self.problems:
            self.warn(offices_node, "the file lists no office")
        return offices

    def office(self, node: Node) -> Office | None:
        fields = self.fields(node, OFFICE_FIELDS, "an office")
        if fields is None:
            return None
        label = "this office"
        if "id" in fields:
            office_id = self.text(fields["id"][1], "id")
            if office_id is not None and not ID_PATTERN.match(office_id):
                self.error(
                    fields["id"][1],
                    f"id '{office_id}' must be lower-case words joined by '-', e.g. gent-centrum",
                )
                office_id = None
            if office_id is not None:
                label = f"office '{office_id}'"
        else:
            office_id = None
        missing = [name for name in REQUIRED_FIELDS if name not in fields]
        for name in missing:
            self.error(node, f"{label} has no '{name}'; add it")
        errors_before = len(self.problems)

        names = (
            self.texts_by_lang(fields["name"][1], f"the name of {label}", NAME_LANGS)
            if "name" in fields
            else None
        )
        if names is not None and not ({"nl", "fr"} <= names.keys()):
            self.error(fields["name"][1], f"the name of {label} needs at least 'nl' and 'fr'")
        host = self.host(fields["host"][1], label) if "host" in fields else None
        address = self.address(fields["address"][1], label) if "address" in fields else None
        coordinates = self.coordinates(fields["coordinates"][1], label) if "coordinates" in fields else None
        hours = self.hours(fields["hours"][1], label) if "hours" in fields else None
        closures = self.closures(fields["closures"][1], label) if "closures" in fields else []
        desks = self.desks(fields["desks"][1], label) if "desks" in fields else None
        facilities = self.facilities(fields["facilities"][1], label) if "facilities" in fields else []
        access = (
            self.texts_by_lang(fields["access"][1], f"the access of {label}", NAME_LANGS)
            if "access" in fields
            else None
        )
        if access is not None and not ({"nl", "fr"} <= access.keys()):
            self.error(fields["access"][1], f"the access text of {label} needs at least 'nl' and 'fr'")
        contact = self.contact(fields["contact"][1], label) if "contact" in fields else None
        languages = self.languages(fields["languages"][1], label) if "languages" in fields else ("nl", "fr")

        if (
            missing
            or len(self.problems) > errors_before
            or None
            in (
                office_id,
                names,
                host,
                address,
                hours,
                desks,
                access,
                contact,
                closures,
                facilities,
                languages,
            )
        ):
            return None
        assert office_id and names and host and address and hours is not None and desks is not None
        assert access and contact and closures is not None and facilities is not None and languages

        postal = self.places.postal_code(address.postal_code)
        if postal is None:  # checked in address(); kept for the type checker
            return None
        if coordinates is None:
            lat, lon, derived = postal.lat, postal.lon, True
        else:
            (lat, lon), derived = coordinates, False
        local_languages = postal.languages or ("nl", "fr")
        host_names = host[1] if isinstance(host[1], dict) else {local_languages[0]: host[1]}
        # A host named in one text is named so in every language (a zone's name); per language, all four.
        translated = {"name": names, "access": access} | (
            {"host": host[1]} if isinstance(host[1], dict) else {}
        )
        self.warn_missing_languages(node, label, translated)
        return Office(
            id=office_id,
            names=names,
            # A host name in one language is in the office's own (that of its municipality).
            host=Host(host[0], host_names),
            address=address,
            lat=lat,
            lon=lon,
            coordinates_from_postal_code=derived,
            province=postal.province_id or "",
            hours=hours,
            closures=tuple(closures),
            desks=desks,
            facilities=tuple(facilities),
            access=access,
            contact=contact,
            languages=tuple(languages),
            local_languages=local_languages,
        )

    def host(self, node: Node, label: str) -> tuple[HostKind, str | dict[str, str]] | None:
        """The host's kind and name: one text (in the office's own language) or a text per language."""
        fields = self.fields(node, HOST_FIELDS, f"the host of {label}")
        if fields is None:
            return None
        if set(HOST_FIELDS) - fields.keys():
            self.error(node, f"the host of {label} needs 'kind' (federal or local) and 'name'")
            return None
        kind = self.text(fields["kind"][1], "host kind")
        name_node = fields["name"][1]
        name: str | dict[str, str] | None
        if isinstance(name_node, MappingNode):
            name = self.texts_by_lang(name_node, f"the host name of {label}", NAME_LANGS)
            if name is not None and not name:
                self.error(
                    name_node, f"the host name of {label} needs at least one language (nl, fr, de, en)"
                )
                name = None
        else:
            name = self.text(name_node, "host name")
        if kind is not None and kind not in HOST_KINDS:
            self.error(
                fields["kind"][1],
                f"host kind '{kind}' must be 'federal' (Federal Police) or 'local' (a police zone)",
            )
            return None
        if kind is None or name is None:
            return None
        return ("federal" if kind == "federal" else "local"), name

    def warn_missing_languages(self, node: Node, label: str, texts: dict[str, dict[str, str]]) -> None:
        """One warning per office naming the languages its name, access or host text lacks (readers of
        those languages see the office's own language instead)."""
        missing = {
            lang: [what for what, by_lang in texts.items() if lang not in by_lang] for lang in NAME_LANGS
        }
        gaps = [f"{lang} ({', '.join(whats)})" for lang, whats in missing.items() if whats]
        if gaps:
            self.warn(
                node,
                f"{label} has no text in {'; '.join(gaps)}: readers of that language see the office's "
                "own language; add them",
            )

    def address(self, node: Node, label: str) -> Address | None:
        fields = self.fields(node, ADDRESS_FIELDS, f"the address of {label}")
        if fields is None:
            return None
        for name in ADDRESS_FIELDS:
            if name not in fields:
                self.error(node, f"the address of {label} has no '{name}'; add it")
        if set(ADDRESS_FIELDS) - fields.keys():
            return None
        street = self.text(fields["street"][1], "street")
        code_node = fields["postal_code"][1]
        code = self.text(code_node, "postal_code")
        municipality = self.text(fields["municipality"][1], "municipality")
        if code is not None:
            if not _POSTAL_CODE.match(code):
                self.error(code_node, f"postal code '{code}' must be four digits, e.g. 9000")
                return None
            if self.places.postal_code(code) is None:
                close = self.places.resolve(code).suggestions
                hint = f"; close ones: {', '.join(close)}" if close else ""
                self.error(code_node, f"unknown postal code '{code}'{hint}")
                return None
        if street is None or code is None or municipality is None:
            return None
        named = self.places.exact(municipality)
        if named and not any(code in p.postal_codes for p in named):
            owner = self.places.postal_code(code)
            self.warn(
                fields["municipality"][1],
                f"postal code {code} is {owner.label if owner else code}, not '{municipality}'; "
                "check the address",
            )
        return Address(street, code, municipality)

    def coordinates(self, node: Node, label: str) -> tuple[float, float] | None:
        fields = self.fields(node, COORDINATE_FIELDS, f"the coordinates of {label}")
        if fields is None:
            return None
        if set(COORDINATE_FIELDS) - fields.keys():
            self.error(
                node, f"the coordinates of {label} need both 'lat' and 'lon' (or leave coordinates out)"
            )
            return None
        values: list[float] = []
        for name, (low, high) in zip(COORDINATE_FIELDS, (LAT_RANGE, LON_RANGE), strict=True):
            value_node = fields[name][1]
            try:
                value = float(str(value_node.value)) if isinstance(value_node, ScalarNode) else None
            except ValueError:
                value = None
            if value is None or not low <= value <= high:
                self.error(value_node, f"{name} must be a number between {low} and {high} (in Belgium)")
                return None
            values.append(value)
        return values[0], values[1]

    def hours(self, node: Node, label: str) -> dict[str, tuple[TimeRange, ...]] | None:
        fields = self.fields(node, WEEKDAYS, f"the hours of {label}")
        if fields is None:
            return None
        hours: dict[str, tuple[TimeRange, ...]] = {}
        ok = True
        for day, (_, value_node) in fields.items():
            texts: list[tuple[str, Node]]
            if isinstance(value_node, SequenceNode):
                texts = self.word_list(value_node, f"the hours of {day}") or []
            elif isinstance(value_node, ScalarNode) and not value_node.tag.endswith(":null"):
                texts = [(part, value_node) for part in str(value_node.value).split(",")]
            else:
                self.error(
                    value_node,
                    f'the hours of {day} must be like "07:30-17:00" (leave the day out when closed)',
                )
                ok = False
                continue
            ranges: list[TimeRange] = []
            for text, where in texts:
                parsed = parse_time_range(text)
                if parsed is None:
                    self.error(
                        where,
                        f"bad time range '{text.strip()}' on {day}: write HH:MM-HH:MM with the start before "
                        "the end, e.g. 07:30-17:00",
                    )
                    ok = False
                    continue
                ranges.append(parsed)
            ranges.sort()
            for before, after in itertools.pairwise(ranges):
                if after.start < before.end:
                    self.error(
                        value_node, f"the time ranges {before} and {after} on {day} overlap; merge them"
                    )
                    ok = False
            hours[day] = tuple(ranges)
        if ok and not hours:
            self.warn(node, f"{label} has no opening hours on any day")
        return hours if ok else None

    def closures(self, node: Node, label: str) -> list[Closure] | None:
        if not isinstance(node, SequenceNode):
            self.error(
                node,
                f"the closures of {label} must be a list of '- date: ...' or '- from: ... to: ...' items",
            )
            return None
        closures: list[Closure] = []
        ok = True
        for item in node.value:
            fields = self.fields(item, CLOSURE_FIELDS, f"a closure of {label}")
            if fields is None:
                ok = False
                continue
            if "date" in fields and ("from" in fields or "to" in fields):
                self.error(
                    item, "a closure has either 'date' (one day) or 'from' and 'to' (a period), not both"
                )
                ok = False
                continue
            if "date" in fields:
                start = end = self.day(fields["date"][1])
            elif "from" in fields and "to" in fields:
                start, end = self.day(fields["from"][1]), self.day(fields["to"][1])
            else:
                self.error(item, "a closure needs 'date' (one day) or 'from' and 'to' (a period)")
                ok = False
                continue
            if "reason" not in fields:
                self.error(item, "a closure needs a 'reason' (nl and fr), shown to the users")
                ok = False
                continue
            reason_node = fields["reason"][1]
            reason: dict[str, str] | None
            if isinstance(reason_node, MappingNode):
                reason = self.texts_by_lang(reason_node, "the reason", NAME_LANGS)
            else:
                text = self.text(reason_node, "the reason")
                reason = {"nl": text} if text is not None else None
            if start is None or end is None or reason is None:
                ok = False
                continue
            if end < start:
                self.error(item, f"the closure ends ({end}) before it starts ({start}); swap 'from' and 'to'")
                ok = False
                continue
            closures.append(Closure(start, end, reason))
        return closures if ok else None

    def day(self, node: Node) -> date | None:
        text = str(node.value).strip() if isinstance(node, ScalarNode) else ""
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.error(node, f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-12-25")
            return None

    def desks(self, node: Node, label: str) -> int | None:
        text = str(node.value).strip() if isinstance(node, ScalarNode) else ""
        if not text.isdigit() or int(text) < 1:
            self.error(node, f"desks of {label} must be a whole number of at least 1")
            return None
        return int(text)

    def facilities(self, node: Node, label: str) -> list[str] | None:
        items = self.word_list(node, f"the facilities of {label}")
        if items is None:
            return None
        out: list[str] = []
        for name, item in items:
            if name not in FACILITIES:
                self.error(item, f"unknown facility '{name}'; {_suggest(name, FACILITIES)}")
            elif name in out:
                self.warn(item, f"facility '{name}' is listed twice")
            else:
                out.append(name)
        return out

    def contact(self, node: Node, label: str) -> Contact | None:
        fields = self.fields(node, CONTACT_FIELDS, f"the contact of {label}")
        if fields is None:
            return None
        if not fields:
            self.error(node, f"the contact of {label} needs an 'email' or a 'teams' address")
            return None
        values: dict[str, str] = {}
        for name, (_, value_node) in fields.items():
            value = self.text(value_node, f"contact {name}")
            if value is None:
                return None
            if not _EMAIL.match(value):
                self.error(value_node, f"contact {name} '{value}' must be an address like name@example.be")
                return None
            values[name] = value
        return Contact(values.get("email"), values.get("teams"))

    def languages(self, node: Node, label: str) -> tuple[str, ...] | None:
        items = self.word_list(node, f"the languages of {label}")
        if items is None:
            return None
        for code, item in items:
            if code not in LANGS:
                self.error(item, f"unknown language '{code}'; use {', '.join(LANGS)}")
                return None
        if not items:
            self.error(node, f"the languages of {label} must name at least one of {', '.join(LANGS)}")
            return None
        return tuple(code for code, _ in items)
