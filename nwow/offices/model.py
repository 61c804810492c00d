"""Satellite offices as the rest of the app sees them: offices, opening hours, places and ranked matches."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Final, Literal

from nwow.language import available_language
from nwow.provenance import UNKNOWN, Provenance

# The language given when a text lacks the one asked for, in this order.

WEEKDAYS: Final[tuple[str, ...]] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

FACILITIES: Final[tuple[str, ...]] = (
    "screens",
    "docking",
    "wifi",
    "parking",
    "bike_parking",
    "accessible",
    "lockers",
    "printer",
    "meeting_room",
    "quiet_room",
    "kitchen",
    "showers",
)

HostKind = Literal["federal", "local"]
HOST_KINDS: Final[tuple[HostKind, ...]] = ("federal", "local")

ResolutionStatus = Literal["found", "ambiguous", "unknown"]
# A place abroad is a foreign town named like a Belgian province (Luxembourg): only ever found by name.
PlaceKind = Literal["municipality", "locality", "postal_code", "abroad"]


def pick_text(texts: Mapping[str, str], lang: str, local: Sequence[str] = ()) -> str:
    """`texts[lang]`, else the text in the first of the `local` languages (those of the place it is about)
    that has one, else the first language of FALLBACK_ORDER that has one, else any text."""
    if lang in texts:
        return texts[lang]
    for code in local:
        if code in texts:
            return texts[code]
    fallback = available_language(texts, lang)
    return texts[fallback] if fallback is not None else next(iter(texts.values()), "")


@dataclass(frozen=True, order=True)
class TimeRange:
    """Open from `start` (included) to `end` (excluded), within one day."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        return self.start <= moment < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Closure:
    """Closed from `start` to `end`, both days included."""

    start: date
    end: date
    reason: Mapping[str, str]

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Host:
    kind: HostKind
    names: Mapping[str, str]


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    municipality: str


@dataclass(frozen=True)
class Contact:
    email: str | None = None
    teams: str | None = None


@dataclass(frozen=True)
class Office:
    id: str
    names: Mapping[str, str]
    host: Host
    address: Address
    lat: float
    lon: float
    coordinates_from_postal_code: bool
    province: str
    hours: Mapping[str, tuple[TimeRange, ...]]
    closures: tuple[Closure, ...]
    desks: int
    facilities: tuple[str, ...]
    access: Mapping[str, str]
    contact: Contact
    languages: tuple[str, ...]
    # The official languages where the office is (its municipality's language area), its own first: what
    # a text missing in the reader's language falls back to.
    local_languages: tuple[str, ...] = ("nl", "fr")
    provenance: Provenance = UNKNOWN  # the file requires it; the default is never "validated"
    example: bool = False  # an invented office of the shipped example file (`example: true`)

    def name(self, lang: str) -> str:
        return pick_text(self.names, lang, self.local_languages)

    def host_name(self, lang: str) -> str:
        return pick_text(self.host.names, lang, self.local_languages)

    def access_text(self, lang: str) -> str:
        return pick_text(self.access, lang, self.local_languages)

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.covers(day)), None)

    def hours_on(self, day: date) -> tuple[TimeRange, ...]:
        """The opening hours of `day`: empty when closed (no hours that weekday, or a closure)."""
        if self.closure_on(day) is not None:
            return ()
        return self.hours.get(WEEKDAYS[day.weekday()], ())

    def is_open_at(self, local: datetime) -> bool:
        """Whether the office is open at `local`, a wall-clock time in Europe/Brussels."""
        moment = local.time().replace(tzinfo=None)
        return any(r.contains(moment) for r in self.hours_on(local.date()))


@dataclass(frozen=True)
class Province:
    """One of the ten provinces, or the Brussels-Capital Region (id '04000'), by REFNIS code."""

    id: str
    names: Mapping[str, str]

    def name(self, lang: str) -> str:
        return pick_text(self.names, lang)


@dataclass(frozen=True)
class OfficeDirectory:
    """One loaded, validated version of the offices file (immutable once built)."""

    offices: tuple[Office, ...]
    provinces: Mapping[str, Province]
    source: Path | None = None
    by_id: Mapping[str, Office] = field(init=False, repr=False, compare=False)
    # (latitude in radians, longitude in radians, cosine of the latitude) per office, for ranking.
    radians: tuple[tuple[float, float, float], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {o.id: o for o in self.offices})
        points = ((math.radians(o.lat), math.radians(o.lon)) for o in self.offices)
        object.__setattr__(self, "radians", tuple((phi, lmb, math.cos(phi)) for phi, lmb in points))

    def __len__(self) -> int:
        return len(self.offices)

    def office(self, office_id: str) -> Office | None:
        return self.by_id.get(office_id)


@dataclass(frozen=True)
class Place:
    """A place the user can name: a municipality, a locality (sub-municipality) or a postal code.

    `label` names it in every national language at once ("Namen / Namur", "Wilrijk (Antwerpen)",
    "9000 Gent") and is what buttons carry and a home area keeps: it always resolves back to this place.
    `name(lang)` is what a reader of `lang` is shown ("Namur", "Wilrijk (Anvers)", "9000 Gand").
    """

    label: str
    lat: float
    lon: float
    kind: PlaceKind
    postal_codes: tuple[str, ...]
    municipality_id: str | None
    province_id: str | None
    names: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)
    # The official languages of its language area, its own name's first ("nl"; "fr", "nl" in Brussels).
    languages: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        """Its name in `lang` if it has one there, else its official name where it is; never "X / Y"."""
        if not self.names:
            return self.label
        return pick_text(self.names, lang, self.languages)


@dataclass(frozen=True)
class PlaceResolution:
    """What a typed place name resolves to: one place ("found"), several ("ambiguous", the candidates in
    order), or none ("unknown", perhaps with close postal codes). `score` is how close the best candidate
    came (100 for an exact name, the fuzzy ratio 0-100 for a typo)."""

    status: ResolutionStatus
    query: str
    place: Place | None = None
    suggestions: tuple[str, ...] = ()
    candidates: tuple[Place, ...] = ()
    score: float = 0.0


@dataclass(frozen=True)
class OfficeStatus:
    """An office as it is at one moment: open or not, its hours that day, and when closed, when it opens
    next (None: not within a year), all on the Europe/Brussels wall clock."""

    office: Office
    open_now: bool
    today_hours: tuple[TimeRange, ...]
    closure_today: Closure | None
    opens_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class OfficeMatch(OfficeStatus):
    """An office near a place, with its straight-line distance."""

    distance_km: float


@dataclass(frozen=True)
class NearestOffices:
    """The answer to "which offices are near `place`?" at local time `at`."""

    place: Place
    matches: tuple[OfficeMatch, ...]
    at: datetime
    province: Province | None = None
    remembered: bool = False


@dataclass(frozen=True)
class ProvinceOffices:
    """Every office of a province (or Brussels), at local time `at`."""

    province: Province
    offices: tuple[OfficeStatus, ...]
    at: datetime
