"""Where the user is: Belgian municipalities, sub-municipalities and postal codes resolved to coordinates.

The places come from the extract in `data/` (`place_data.py` reads it; `scripts/make_places.py` makes it
from Statbel's municipality and postal-code lists and GeoNames' postal codes and town names, see
`data/README.md`). Each municipality is known by its Dutch and French names, its German and English ones
where those differ ('Lüttich', 'Ghent'), its label ("Gent / Gand") and other names of larger towns (the
Dutch 'Bergen' for Mons, for exact matches only); each sub-municipality by its name and label ("Wilrijk
(Antwerpen)"); each postal code by its code and label ("9000 Gent"); provinces by their names in Dutch,
French, German and English, with or without "province", a few short forms ('West-Vl.') and typos; the
regions (Vlaanderen, Wallonie) and a bare 'Brabant' name several provinces. Every place also has its name
for readers of each language (`Place.name`): 'Namur' in French, 'Namen' in Dutch, never "Namen / Namur".

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

from nwow.language import LANGS, fold
from nwow.offices.model import Place, PlaceResolution, Province
from nwow.offices.place_data import PlaceData, read_packaged_place_data

logger = logging.getLogger(__name__)

__all__ = [
    "PlaceIndex",
    "build_place_index",
    "built_place_index",
    "default_place_index",
    "normalize_place",
    "strip_province_prefix",
]

BRUSSELS_REGION: Final = "04000"
BRUSSELS_CITY: Final = "21004"
MAX_SUGGESTIONS: Final = 5
# A typo is accepted without asking when it scores at least this (rapidfuzz ratio, 0-100) ...
ACCEPT_SCORE: Final = 85.0
# ... and no other place comes within this many points of it.
ACCEPT_GAP: Final = 4.0
SUGGEST_SCORE: Final = 60.0

# A province named with a typo ('Henegouw', 'West-Vlaandren') is taken when it scores at least this.
PROVINCE_SCORE: Final = 88.0
# Province names shorter than this are never matched approximately.
MIN_FUZZY_PROVINCE: Final = 6

# A part of a name shorter than this is not looked up inside longer names.
MIN_PART_LENGTH: Final = 4
# Words that stand for each other in place names: 'St. Vith' = 'Sankt Vith', 'Sint-Truiden' = 'St-Truiden',
# 'Saint Niklaas' = 'Sint-Niklaas' (people mix the languages of the saint).
_SAINTS: Final = ("sint", "saint", "sankt", "st")
_SAINTESSES: Final = ("sainte", "ste")
_ABBREVIATIONS: Final = {
    **{word: tuple(w for w in _SAINTS if w != word) for word in _SAINTS},
    **{word: tuple(w for w in _SAINTESSES if w != word) for word in _SAINTESSES},
}

# Other ways to name a province (normalised), by REFNIS code; and names that cover several provinces.
PROVINCE_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "west vl": ("30000",),
    "wvl": ("30000",),
    "w vl": ("30000",),
    "oost vl": ("40000",),
    "ovl": ("40000",),
    "o vl": ("40000",),
    "hainault": ("50000",),
    "vlaams brabant": ("20001",),
    "brabant": ("20001", "20002"),
    "vlaanderen": ("10000", "20001", "30000", "40000", "70000"),
    "vlaams gewest": ("10000", "20001", "30000", "40000", "70000"),
    "flandre": ("10000", "20001", "30000", "40000", "70000"),
    "flandres": ("10000", "20001", "30000", "40000", "70000"),
    "region flamande": ("10000", "20001", "30000", "40000", "70000"),
    "flandern": ("10000", "20001", "30000", "40000", "70000"),
    "flanders": ("10000", "20001", "30000", "40000", "70000"),
    "wallonie": ("20002", "50000", "60000", "80000", "90000"),
    "wallonia": ("20002", "50000", "60000", "80000", "90000"),
    "wallonien": ("20002", "50000", "60000", "80000", "90000"),
    "waals gewest": ("20002", "50000", "60000", "80000", "90000"),
    "region wallonne": ("20002", "50000", "60000", "80000", "90000"),
}

# Foreign towns named like a Belgian province: 'Luxembourg' may be the province or the Grand Duchy's
# capital, where some colleagues live. Only found by these exact names; offices are ranked from there.
_ABROAD: Final = (
    (
        ("luxembourg", "luxemburg", "letzebuerg", "luxembourg ville", "luxemburg stad", "luxemburg stadt"),
        "Luxembourg (Grand Duchy)",
        49.6116,
        6.1319,
        {
            "nl": "Luxemburg (stad, Groothertogdom)",
            "fr": "Luxembourg (ville, Grand-Duché)",
            "de": "Luxemburg (Stadt, Großherzogtum)",
            "en": "Luxembourg (city, Grand Duchy)",
        },
    ),
)

_POSTAL_CODE: Final = re.compile(r"(?<!\d)([1-9]\d{3})(?!\d)")
_SEPARATORS: Final = re.compile(r"[\s\-‐‑–—'’`.,/()]+")
_PROVINCE_PREFIXES: Final = (
    "provincie van ",
    "provincie ",
    "prov ",
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
                self._province_names.setdefault(strip_province_prefix(full), province)
        # ... and the names that cover one or more provinces (short forms, regions, 'Brabant').
        self._province_groups: dict[str, tuple[Province, ...]] = {
            key: (province,) for key, province in self._province_names.items() if not key.isdigit()
        }
        for alias, codes in PROVINCE_ALIASES.items():
            group = tuple(self._provinces[c] for c in codes if c in self._provinces)
            if group:
                self._province_groups.setdefault(alias, group)
        self._fuzzy_province_keys = sorted(
            key for key in self._province_groups if len(key) >= MIN_FUZZY_PROVINCE
        )

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
                return PlaceResolution("found", query, place, score=100.0)
            nearby = self._nearby_postal_codes(code.group(1))
            return PlaceResolution(
                "unknown", query, suggestions=tuple(p.label for p in nearby), candidates=nearby
            )
        exact = self.named(key)
        if exact:
            return _choose(query, exact, 100.0)
        partial = self._containing(key)
        if partial:
            return _choose(query, partial, 100.0)
        return self._fuzzy(query, key)

    def named(self, text: str) -> tuple[Place, ...]:
        """The places named exactly `text` (after normalizing), also with 'St.' for 'Sint', 'Saint' or
        'Sankt' and the other way round."""
        key = normalize_place(text)
        found = self._by_key.get(key, ())
        if found:
            return found
        for variant in _abbreviations_expanded(key):
            found += tuple(p for p in self._by_key.get(variant, ()) if p not in found)
        return found

    def province(self, text: str) -> Province | None:
        """A province (or the Brussels-Capital Region) by REFNIS code or by name in nl/fr/de/en."""
        wanted = normalize_place(text)
        named = self._province_names.get(wanted)
        if named is not None:
            return named
        if any(p.municipality_id == BRUSSELS_CITY for p in self._by_key.get(wanted, ())):
            return self._provinces.get(BRUSSELS_REGION)
        return None

    def provinces_named(self, text: str, *, fuzzy: bool = False) -> tuple[Province, ...]:
        """The provinces `text` names: one ('Henegouwen', 'West-Vl.', 'provincie Limburg'), several (a
        region, 'Brabant'), or none. With `fuzzy`, a name with a typo ('Henegouw') counts too."""
        key = normalize_place(text)
        if not key:
            return ()
        group = self._province_groups.get(key) or self._province_groups.get(strip_province_prefix(key))
        if group:
            return group
        if any(p.municipality_id == BRUSSELS_CITY for p in self._by_key.get(key, ())):
            return (self._provinces[BRUSSELS_REGION],)
        if not fuzzy or len(key) < MIN_FUZZY_PROVINCE:
            return ()
        best = process.extractOne(
            strip_province_prefix(key),
            self._fuzzy_province_keys,
            scorer=fuzz.ratio,
            score_cutoff=PROVINCE_SCORE,
        )
        return self._province_groups[best[0]] if best is not None else ()

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
        candidates = tuple(p for p, _ in ranked[:MAX_SUGGESTIONS])
        if best_score >= ACCEPT_SCORE and best_score - runner_up >= ACCEPT_GAP:
            return PlaceResolution("found", query, best, candidates=candidates, score=best_score)
        return PlaceResolution(
            "ambiguous",
            query,
            suggestions=tuple(p.label for p in candidates),
            candidates=candidates,
            score=best_score,
        )

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

    def _nearby_postal_codes(self, code: str) -> tuple[Place, ...]:
        wanted = int(code)
        closest = sorted(self._postal_sorted, key=lambda c: (abs(int(c) - wanted), c))[:MAX_SUGGESTIONS]
        return tuple(self._postal[c] for c in sorted(closest))


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


def _choose(query: str, places: tuple[Place, ...], score: float) -> PlaceResolution:
    preferred = _prefer_municipality(places)
    if len(preferred) == 1:
        return PlaceResolution("found", query, preferred[0], score=score)
    candidates = tuple(sorted(preferred, key=lambda p: p.label))[:MAX_SUGGESTIONS]
    return PlaceResolution(
        "ambiguous", query, suggestions=tuple(p.label for p in candidates), candidates=candidates, score=score
    )


def _prefer_municipality(places: tuple[Place, ...]) -> tuple[Place, ...]:
    """A name that is both a municipality and a locality elsewhere means the municipality."""
    municipalities = tuple(p for p in places if p.kind in ("municipality", "abroad"))
    return municipalities or places


def strip_province_prefix(name: str) -> str:
    """'provincie limburg' -> 'limburg' (normalised names)."""
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
            municipality.names_by_lang,
            municipality.languages,
        )
        municipalities[municipality.id] = place
        first_names[municipality.id] = names[0]
        for name in (*names, *place.names.values(), place.label):
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
            {lang: f"{locality.name} ({owner.name(lang)})" for lang in LANGS},
            owner.languages,
        )
        add(locality.name, place)
        add(label, place)

    for postal in data.postal_codes:
        served = municipalities[postal.municipality_id] if postal.municipality_id else None
        # A code named after its municipality is named as the municipality is in each language.
        own_name = served is not None and normalize_place(postal.name) in {
            normalize_place(n) for n in served.names.values()
        }
        place = Place(
            f"{postal.code} {postal.name}",
            postal.lat,
            postal.lon,
            "postal_code",
            (postal.code,),
            postal.municipality_id,
            served.province_id if served else None,
            {
                lang: f"{postal.code} {served.name(lang) if served and own_name else postal.name}"
                for lang in LANGS
            },
            served.languages if served else (),
        )
        add(postal.code, place, fuzzy_ok=False)
        add(place.label, place, fuzzy_ok=False)

    for other in data.other_names:
        add(other.name, municipalities[other.municipality_id], fuzzy_ok=False)

    for names, label, lat, lon, shown in _ABROAD:
        abroad = Place(label, lat, lon, "abroad", (), None, None, shown, ())
        for name in (*names, label, *shown.values()):
            add(name, abroad, fuzzy_ok=False)

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
