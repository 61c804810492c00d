"""Load the offices file: read safely, checked against faq/schemas/offices.schema.json, then the rules a
schema cannot express (postal codes that exist, hours that make sense, ids unique). Every problem names the
file, the line and what to change."""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Mapping
from datetime import date, time
from pathlib import Path
from typing import Any, Final

from nwow.content_gate import refused_office_message
from nwow.language import LANGS
from nwow.offices.model import Address, Closure, Contact, Host, Office, OfficeDirectory, Place, TimeRange
from nwow.offices.places import PlaceIndex, default_place_index
from nwow.problems import Problem, ProblemList, shown
from nwow.provenance import Provenance
from nwow.reloading import Loaded
from nwow.yaml_reader import JsonPath, YamlDocument, read_yaml
from nwow.yaml_schema import SchemaCheck, check_schema

logger = logging.getLogger(__name__)

OFFICES_FILE: Final = "offices.yml"
DEFAULT_LANGUAGES: Final = ("nl", "fr")

_RANGE: Final = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def read_offices(
    path: Path, *, places: PlaceIndex | None = None, refuse_examples: bool = False
) -> Loaded[OfficeDirectory]:
    """The offices of `path`, every problem found and the bytes read; no directory when there is an error.
    With `refuse_examples` (the bot outside development mode), an example office is an error
    (`nwow.content_gate`)."""
    problems = ProblemList()
    document = read_yaml(path)
    if isinstance(document, Problem):
        return Loaded(None, [document])
    problems.extend(document.problems)
    check = check_schema(document, "offices")
    problems.extend(check.problems)
    offices: list[Office] = []
    if check.passed(("offices",)) or (
        isinstance(document.value, dict) and isinstance(document.value.get("offices"), list)
    ):
        offices = _Rules(document, check, places or default_place_index(), problems).offices()
        if refuse_examples:
            _refuse_examples(document, offices, problems)
    files = {path.name: document.raw}
    if problems.has_errors:
        return Loaded(None, problems.sorted(), files, problems.dropped)
    provinces = (places or default_place_index()).provinces
    directory = OfficeDirectory(tuple(offices), provinces, path)
    logger.info("loaded %d offices from %s", len(directory), path)
    return Loaded(directory, problems.sorted(), files, problems.dropped)


def load_offices(
    path: Path, *, places: PlaceIndex | None = None
) -> tuple[OfficeDirectory | None, list[Problem]]:
    """The offices of `path` and every problem found; no directory when there is an error."""
    loaded = read_offices(path, places=places)
    return loaded.value, loaded.problems


def validate_offices_file(path: Path) -> list[Problem]:
    """Every problem of the offices file `path` (for `nwow faq check`)."""
    return load_offices(path)[1]


def validate_faq_folder(folder: Path) -> list[Problem]:
    """The problems of `folder`/offices.yml, if the folder has one (the `nwow faq check` hook)."""
    path = folder / OFFICES_FILE
    return validate_offices_file(path) if path.is_file() else []


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


class _Rules:
    """The offices of a file that passed its schema, with the checks a schema cannot make."""

    def __init__(
        self, document: YamlDocument, check: SchemaCheck, places: PlaceIndex, problems: ProblemList
    ) -> None:
        self.document = document
        self.check = check
        self.places = places
        self.problems = problems

    def error(self, path: JsonPath, message: str) -> None:
        self.problems.error(self.document.path, self.document.line(path), message)

    def warn(self, path: JsonPath, message: str) -> None:
        self.problems.warn(self.document.path, self.document.line(path), message)

    def offices(self) -> list[Office]:
        items: list[dict[str, Any]] = self.document.value["offices"]
        if not items:
            self.warn(("offices",), "the file lists no office")
        offices: list[Office] = []
        first: dict[str, int] = {}
        for index, fields in enumerate(items):
            path: JsonPath = ("offices", index)
            if not isinstance(fields, dict) or not self.check.passed((*path, "id")) or "id" not in fields:
                continue
            office_id = str(fields["id"])
            if office_id in first:
                self.error(
                    path,
                    f"duplicate id {shown(office_id)} (first on line {first[office_id]}); give each office its own id",
                )
                continue
            first[office_id] = self.document.line(path)
            office = self.office(path, fields)
            if office is not None:
                offices.append(office)
        return offices

    def office(self, path: JsonPath, fields: Mapping[str, Any]) -> Office | None:
        """The office at `path`; the parts that passed the schema are checked even when others did not."""
        label = f"office '{fields['id']}'"
        postal = self.postal_code((*path, "address"), fields.get("address"))
        hours = self.hours((*path, "hours"), fields.get("hours"), label)
        closures = self.closures((*path, "closures"), fields.get("closures"))
        if self.check.passed((*path, "facilities")):
            listed = list(fields.get("facilities", ()))
            for name in dict.fromkeys(listed):
                if listed.count(name) > 1:
                    self.warn((*path, "facilities"), f"facility `{name}` is listed twice")
        if not self.check.passed(path) or postal is None or hours is None or closures is None:
            return None
        address, contact, coordinates = fields["address"], fields["contact"], fields.get("coordinates")
        lat, lon = (coordinates["lat"], coordinates["lon"]) if coordinates else (postal.lat, postal.lon)
        local_languages = postal.languages or DEFAULT_LANGUAGES
        names, access, host_name = _texts(fields["name"]), _texts(fields["access"]), fields["host"]["name"]
        # A host named in one text is named so in every language (a zone's name); per language, all four.
        host_names = (
            _texts(host_name) if isinstance(host_name, dict) else {local_languages[0]: _text(host_name)}
        )
        translated = {"name": names, "access": access} | (
            {"host": host_names} if isinstance(host_name, dict) else {}
        )
        self.warn_missing_languages(path, label, translated)
        return Office(
            id=str(fields["id"]),
            names=names,
            host=Host("federal" if fields["host"]["kind"] == "federal" else "local", host_names),
            address=Address(
                _text(address["street"]), str(address["postal_code"]), _text(address["municipality"])
            ),
            lat=float(lat),
            lon=float(lon),
            coordinates_from_postal_code=coordinates is None,
            province=postal.province_id or "",
            hours=hours,
            closures=tuple(closures),
            desks=int(fields["desks"]),
            facilities=tuple(dict.fromkeys(fields.get("facilities", ()))),
            access=access,
            contact=Contact(contact.get("email"), contact.get("teams")),
            languages=tuple(dict.fromkeys(fields.get("languages", DEFAULT_LANGUAGES))),
            local_languages=local_languages,
            provenance=Provenance.from_fields(fields),
            example=fields.get("example") is True,
        )

    def warn_missing_languages(
        self, path: JsonPath, label: str, texts: Mapping[str, Mapping[str, str]]
    ) -> None:
        """One warning per office naming the languages its name, access or host text lacks (readers of
        those languages see the office's own language instead)."""
        missing = {lang: [what for what, by_lang in texts.items() if lang not in by_lang] for lang in LANGS}
        gaps = [f"{lang} ({', '.join(whats)})" for lang, whats in missing.items() if whats]
        if gaps:
            self.warn(
                path,
                f"{label} has no text in {'; '.join(gaps)}: readers of that language see the office's "
                "own language; add them",
            )

    def postal_code(self, path: JsonPath, address: Any) -> Place | None:
        """The place of the address's postal code (None when unknown); a municipality elsewhere is a warning."""
        if not self.check.passed(path) or not isinstance(address, dict):
            return None
        code = str(address["postal_code"])
        postal = self.places.postal_code(code)
        if postal is None:
            close = self.places.resolve(code).suggestions
            hint = f"; close ones: {', '.join(close)}" if close else ""
            self.error((*path, "postal_code"), f"unknown postal code {shown(code)}{hint}")
            return None
        municipality = _text(address["municipality"])
        named = self.places.exact(municipality)
        if named and not any(code in p.postal_codes for p in named):
            self.warn(
                (*path, "municipality"),
                f"postal code {code} is {postal.label}, not {shown(municipality)}; check the address",
            )
        return postal

    def hours(self, path: JsonPath, days: Any, label: str) -> dict[str, tuple[TimeRange, ...]] | None:
        if not isinstance(days, dict):
            return None
        hours: dict[str, tuple[TimeRange, ...]] = {}
        ok = True
        for day, value in days.items():
            if not self.check.passed((*path, day)):
                ok = False
                continue
            texts = [value] if isinstance(value, str) else list(value)
            ranges: list[TimeRange] = []
            for text in itertools.chain.from_iterable(str(t).split(",") for t in texts):
                parsed = parse_time_range(text)
                if parsed is None:
                    self.error(
                        (*path, day),
                        f"bad time range {shown(text.strip())} on {day}: write HH:MM-HH:MM with the start before "
                        "the end, e.g. 07:30-17:00",
                    )
                    ok = False
                else:
                    ranges.append(parsed)
            ranges.sort()
            for before, after in itertools.pairwise(ranges):
                if after.start < before.end:
                    self.error(
                        (*path, day), f"the time ranges {before} and {after} on {day} overlap; merge them"
                    )
                    ok = False
            hours[day] = tuple(ranges)
        if ok and not hours:
            self.warn(path, f"{label} has no opening hours on any day")
        return hours if ok else None

    def closures(self, path: JsonPath, items: Any) -> list[Closure] | None:
        if items is None:
            return []
        if not isinstance(items, list):
            return None
        closures: list[Closure] = []
        ok = True
        for index, fields in enumerate(items):
            if not self.check.passed((*path, index)):
                ok = False
                continue
            start = date.fromisoformat(fields.get("date") or fields["from"])
            end = date.fromisoformat(fields.get("date") or fields["to"])
            if end < start:
                self.error(
                    (*path, index),
                    f"the closure ends ({end}) before it starts ({start}); swap `from` and `to`",
                )
                ok = False
                continue
            reason = fields["reason"]
            closures.append(
                Closure(start, end, _texts(reason) if isinstance(reason, dict) else {"nl": _text(reason)})
            )
        return closures if ok else None


def _refuse_examples(document: YamlDocument, offices: list[Office], problems: ProblemList) -> None:
    where: dict[str, int] = {}
    for index, fields in enumerate(document.value["offices"]):
        if isinstance(fields, dict):
            where.setdefault(str(fields.get("id")), index)
    for office in offices:
        if office.example:
            line = document.line(("offices", where[office.id], "example"))
            problems.error(document.path, line, refused_office_message(office.id))


def _text(value: Any) -> str:
    return str(value).strip()


def _texts(value: Mapping[str, Any]) -> dict[str, str]:
    return {lang: _text(text) for lang, text in value.items()}


def offices_loader(
    places: PlaceIndex | None = None, *, refuse_examples: bool = False
) -> Callable[[Path], Loaded[OfficeDirectory]]:
    """`folder -> Loaded` for a reloading holder (the folder holds offices.yml)."""
    return lambda folder: read_offices(folder / OFFICES_FILE, places=places, refuse_examples=refuse_examples)
