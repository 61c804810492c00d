"""Where the user is: Belgian municipalities, sub-municipalities and postal codes resolved to coordinates.

The places come from the extract in `data/` (`place_data.py` reads it; `scripts/make_places.py` makes it
from Statbel's municipality and postal-code lists and GeoNames' postal codes and town names, see
`data/README.md`). Each municipality is known by its Dutch and French names, its label ("Gent / Gand") and
other names of larger towns (the German 'Lüttich' or 'Löwen', the Dutch 'Bergen' for Mons, for exact
matches only); each sub-municipality by its name and label ("Wilrijk (Antwerpen)"); each postal code
by its code and label ("9000 Gent"); provinces by their names in Dutch, French, German and English.

The index is built once, on first use (under a tenth of a second, from 170 KB of CSV: still, call
`default_place_index()` off the event loop).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Final

from rapidfuzz import fuzz, process

from nwow.language import fold
from nwow.offices.model import Place, PlaceResolution, Province
from nwow.offices.place_data import PlaceData, read_packaged_place_data

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

# A part of a name shorter than this is not looked up inside longer names.
MIN_PART_LENGTH: Final = 4
_ABBREVIATIONS: Final = {"st": ("sint", "saint", "sankt"), "ste": ("sainte",)}

_POSTAL_CODE: Final = re.compile(r"(?<!\d)([1-9]\d{3})(?!\d)")
_SEPARATORS: Final = re.compile(r"[\s\-‐‑–—'’`.,/()]+")
_PROVINCE_PREFIXES: Final = (
    "provincie ",
    "province de ",
    "province du ",
    "province d ",
    "province of ",
    "provinz ",
)


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


class PlaceIndex:
    """Every place name, in every language the data has, mapped to its places."""

    def __init__(
        self,
        places_by_key: Mapping[str, tuple[Place, ...]],
        fuzzy_keys: Iterable[str],
        provinces: Iterable[Province],
    ) -> None:
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
        self._provinces = {province.id: province for province in provinces}
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


def build_place_index(data: PlaceData | None = None) -> PlaceIndex:
    """The index over the place extract (default: the one shipped in this package)."""
    data = read_packaged_place_data() if data is None else data
    keys: dict[str, list[Place]] = defaultdict(list)
    fuzzy: set[str] = set()

    def add(name: str, place: Place, *, fuzzy_ok: bool = True) -> None:
        key = normalize_place(name)
        if key and place not in keys[key]:
            keys[key].append(place)
            if fuzzy_ok:
                fuzzy.add(key)

    municipalities: dict[str, Place] = {}
    first_names: dict[str, str] = {}
    for municipality in data.municipalities:
        names = municipality.names
        place = Place(
            " / ".join(names),
            municipality.lat,
            municipality.lon,
            "municipality",
            municipality.postal_codes,
            municipality.id,
            municipality.province_id,
        )
        municipalities[municipality.id] = place
        first_names[municipality.id] = names[0]
        for name in (*names, place.label):
            add(name, place)

    for locality in data.localities:
        owner = municipalities[locality.municipality_id]
        label = f"{locality.name} ({first_names[locality.municipality_id]})"
        place = Place(
            label,
            locality.lat,
            locality.lon,
            "locality",
            locality.postal_codes,
            locality.municipality_id,
            owner.province_id,
        )
        add(locality.name, place)
        add(label, place)

    for postal in data.postal_codes:
        served = municipalities[postal.municipality_id] if postal.municipality_id else None
        place = Place(
            f"{postal.code} {postal.name}",
            postal.lat,
            postal.lon,
            "postal_code",
            (postal.code,),
            postal.municipality_id,
            served.province_id if served else None,
        )
        add(postal.code, place, fuzzy_ok=False)
        add(place.label, place, fuzzy_ok=False)

    for other in data.other_names:
        add(other.name, municipalities[other.municipality_id], fuzzy_ok=False)

    return PlaceIndex({k: tuple(v) for k, v in keys.items()}, fuzzy, data.provinces)


_lock = threading.Lock()
_default: PlaceIndex | None = None


def built_place_index() -> PlaceIndex | None:
    """The shared index if it has been built already, without building it."""
    return _default


def default_place_index() -> PlaceIndex:
    """The index over the shipped place extract, built on first use and then shared (thread-safe)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = build_place_index()
                logger.info("place index built: %d names", len(_default))
    return _default
