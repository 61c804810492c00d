"""The place extract: the Belgian places the office finder knows, as five small CSV files in `data/`.

`scripts/make_places.py` writes them from the packages they come from (see `data/README.md` for the
sources, versions and licences); at run time they are read from the installed package with
`importlib.resources`, and nothing else is needed. This module is the format, both ways:

| file | one row per | columns |
|---|---|---|
| provinces.csv | province, and the Brussels-Capital Region | id (REFNIS), nl, fr, de, en |
| municipalities.csv | municipality | id (REFNIS), province, languages, nl, fr, de, en, lat, lon, postal_codes |
| localities.csv | sub-municipality | municipality, name, lat, lon, postal_codes |
| postal_codes.csv | postal code | code, name, lat, lon, municipality |
| other_names.csv | another name of a municipality | municipality, name |

A municipality's `languages` are the official languages of its language area, the one its own name is in
first (`nl`, `fr`, `de fr` for the German-speaking area, `fr nl` for Brussels); its `de` and `en` names are
empty where German or English speakers use one of its official names.

Rows are in the order the place index adds them (municipalities and postal codes by code, localities by
normalised name then municipality, other names by municipality then name); a list of postal codes is
separated by spaces; an empty municipality means none; coordinates are written as Python writes floats,
so they read back to the same number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Final

from nwow.offices.model import Province

__all__ = [
    "FILES",
    "PROVINCE_LANGS",
    "Locality",
    "Municipality",
    "OtherName",
    "PlaceData",
    "PlaceDataError",
    "PostalCode",
    "read_packaged_place_data",
    "read_place_data",
    "render_place_data",
]

PROVINCE_LANGS: Final = ("nl", "fr", "de", "en")

_PROVINCES: Final = "provinces.csv"
_MUNICIPALITIES: Final = "municipalities.csv"
_LOCALITIES: Final = "localities.csv"
_POSTAL_CODES: Final = "postal_codes.csv"
_OTHER_NAMES: Final = "other_names.csv"
FILES: Final = (_PROVINCES, _MUNICIPALITIES, _LOCALITIES, _POSTAL_CODES, _OTHER_NAMES)

_HEADERS: Final[Mapping[str, tuple[str, ...]]] = {
    _PROVINCES: ("id", *PROVINCE_LANGS),
    _MUNICIPALITIES: ("id", "province", "languages", "nl", "fr", "de", "en", "lat", "lon", "postal_codes"),
    _LOCALITIES: ("municipality", "name", "lat", "lon", "postal_codes"),
    _POSTAL_CODES: ("code", "name", "lat", "lon", "municipality"),
    _OTHER_NAMES: ("municipality", "name"),
}


class PlaceDataError(ValueError):
    """A place extract file that is not what `render_place_data` writes."""


@dataclass(frozen=True)
class Municipality:
    id: str
    province_id: str
    languages: tuple[str, ...]
    name_nl: str
    name_fr: str
    lat: float
    lon: float
    postal_codes: tuple[str, ...]
    name_de: str = ""
    name_en: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Its Dutch and French names, once each ('Aartselaar' is both)."""
        return tuple(dict.fromkeys((self.name_nl, self.name_fr)))

    @property
    def names_by_lang(self) -> dict[str, str]:
        """Its name for readers of each language that has one: nl and fr always, de and en when they differ
        from the official names ('Lüttich', 'Ghent') or the area speaks German ('Eupen')."""
        names = {"nl": self.name_nl, "fr": self.name_fr, "de": self.name_de, "en": self.name_en}
        return {lang: name for lang, name in names.items() if name}


@dataclass(frozen=True)
class Locality:
    """A sub-municipality (a locality served by a postal code) that is not its municipality's own name."""

    municipality_id: str
    name: str
    lat: float
    lon: float
    postal_codes: tuple[str, ...]


@dataclass(frozen=True)
class PostalCode:
    code: str
    name: str
    lat: float
    lon: float
    municipality_id: str | None


@dataclass(frozen=True)
class OtherName:
    """A name of a municipality in neither of its official ones: 'Lüttich' for Liège, 'Bergen' for Mons."""

    municipality_id: str
    name: str


@dataclass(frozen=True)
class PlaceData:
    provinces: tuple[Province, ...]
    municipalities: tuple[Municipality, ...]
    localities: tuple[Locality, ...]
    postal_codes: tuple[PostalCode, ...]
    other_names: tuple[OtherName, ...]


def render_place_data(data: PlaceData) -> dict[str, str]:
    """The text of each file, by file name (UTF-8, '\\n' line ends)."""
    tables: dict[str, Iterable[Sequence[str]]] = {
        _PROVINCES: ([p.id, *(p.names.get(lang, "") for lang in PROVINCE_LANGS)] for p in data.provinces),
        _MUNICIPALITIES: (
            [
                m.id,
                m.province_id,
                " ".join(m.languages),
                m.name_nl,
                m.name_fr,
                m.name_de,
                m.name_en,
                repr(m.lat),
                repr(m.lon),
                " ".join(m.postal_codes),
            ]
            for m in data.municipalities
        ),
        _LOCALITIES: (
            [loc.municipality_id, loc.name, repr(loc.lat), repr(loc.lon), " ".join(loc.postal_codes)]
            for loc in data.localities
        ),
        _POSTAL_CODES: (
            [pc.code, pc.name, repr(pc.lat), repr(pc.lon), pc.municipality_id or ""]
            for pc in data.postal_codes
        ),
        _OTHER_NAMES: ([o.municipality_id, o.name] for o in data.other_names),
    }
    rendered = {}
    for name, rows in tables.items():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_HEADERS[name])
        writer.writerows(rows)
        rendered[name] = out.getvalue()
    return rendered


def read_place_data(texts: Mapping[str, str]) -> PlaceData:
    """The extract from the text of its files (by file name). Raises PlaceDataError naming file and line."""
    return PlaceData(
        provinces=tuple(
            Province(row["id"], {lang: row[lang] for lang in PROVINCE_LANGS if row[lang]})
            for row in _rows(texts, _PROVINCES)
        ),
        municipalities=tuple(
            Municipality(
                row["id"],
                row["province"],
                tuple(row["languages"].split()),
                row["nl"],
                row["fr"],
                float(row["lat"]),
                float(row["lon"]),
                tuple(row["postal_codes"].split()),
                row["de"],
                row["en"],
            )
            for row in _rows(texts, _MUNICIPALITIES)
        ),
        localities=tuple(
            Locality(
                row["municipality"],
                row["name"],
                float(row["lat"]),
                float(row["lon"]),
                tuple(row["postal_codes"].split()),
            )
            for row in _rows(texts, _LOCALITIES)
        ),
        postal_codes=tuple(
            PostalCode(
                row["code"], row["name"], float(row["lat"]), float(row["lon"]), row["municipality"] or None
            )
            for row in _rows(texts, _POSTAL_CODES)
        ),
        other_names=tuple(OtherName(row["municipality"], row["name"]) for row in _rows(texts, _OTHER_NAMES)),
    )


def read_packaged_place_data() -> PlaceData:
    """The extract shipped in this package (`nwow/offices/data/`)."""
    folder = resources.files("nwow.offices") / "data"
    return read_place_data({name: (folder / name).read_text(encoding="utf-8") for name in FILES})


def _rows(texts: Mapping[str, str], name: str) -> Iterator[dict[str, str]]:
    if name not in texts:
        raise PlaceDataError(f"{name}: missing")
    reader = csv.reader(io.StringIO(texts[name]))
    header = next(reader, None)
    if header is None or tuple(header) != _HEADERS[name]:
        raise PlaceDataError(f"{name}:1: the header must be {','.join(_HEADERS[name])}")
    for row in reader:
        if len(row) != len(header):
            raise PlaceDataError(f"{name}:{reader.line_num}: {len(row)} columns, expected {len(header)}")
        yield dict(zip(header, row, strict=True))
