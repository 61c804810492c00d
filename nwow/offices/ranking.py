"""The nearest offices to a point, with whether they are open now (Europe/Brussels time)."""

from __future__ import annotations

import heapq
import math
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from nwow.offices.model import (
    NearestOffices,
    Office,
    OfficeDirectory,
    OfficeMatch,
    OfficeStatus,
    Place,
    Province,
    ProvinceOffices,
)
from nwow.offices.places import default_place_index, haversine_km

BRUSSELS: Final = ZoneInfo("Europe/Brussels")
# How far ahead "opens next" looks (a closed office with no hours in that time opens "not soon").
OPENING_HORIZON_DAYS: Final = 366


def local_time(now: datetime) -> datetime:
    """`now` on the Brussels wall clock; a naive datetime is taken as Brussels time already."""
    if now.tzinfo is None:
        return now.replace(tzinfo=BRUSSELS)
    return now.astimezone(BRUSSELS)


def status_at(office: Office, now: datetime) -> OfficeStatus:
    """Whether `office` is open at `now`, its hours that day on the Brussels calendar, and when closed,
    when it opens next."""
    local = local_time(now)
    open_now = office.is_open_at(local)
    return OfficeStatus(
        office=office,
        open_now=open_now,
        today_hours=office.hours_on(local.date()),
        closure_today=office.closure_on(local.date()),
        opens_at=None if open_now else next_opening(office, local),
    )


def next_opening(office: Office, now: datetime) -> datetime | None:
    """When `office` next opens after `now` (Brussels wall clock, closures included); None when it has no
    opening hours within OPENING_HORIZON_DAYS."""
    local = local_time(now)
    moment = local.time().replace(tzinfo=None)
    for offset in range(OPENING_HORIZON_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        for hours in office.hours_on(day):
            if offset > 0 or hours.start > moment:
                return datetime.combine(day, hours.start, tzinfo=BRUSSELS)
    return None


def match_office(office: Office, distance_km: float, now: datetime) -> OfficeMatch:
    status = status_at(office, now)
    return OfficeMatch(
        office=office,
        open_now=status.open_now,
        today_hours=status.today_hours,
        closure_today=status.closure_today,
        distance_km=distance_km,
        opens_at=status.opens_at,
    )


def nearest(
    directory: OfficeDirectory, lat: float, lon: float, now: datetime, n: int = 3
) -> list[OfficeMatch]:
    """The `n` offices closest to (lat, lon) in a straight line, nearest first (ties by id)."""
    if n <= 0:
        return []
    phi, lmb = math.radians(lat), math.radians(lon)
    cos_phi = math.cos(phi)
    sin = math.sin
    # The haversine of the central angle grows with the distance: rank on it, convert only the n kept.
    halfway = [
        sin((p - phi) / 2) ** 2 + cos_phi * c * sin((m - lmb) / 2) ** 2 for p, m, c in directory.radians
    ]
    offices = directory.offices
    closest = heapq.nsmallest(n, range(len(offices)), key=lambda i: (halfway[i], offices[i].id))
    return [
        match_office(offices[i], haversine_km(lat, lon, offices[i].lat, offices[i].lon), now) for i in closest
    ]


def nearest_to(
    directory: OfficeDirectory, place: Place, now: datetime, n: int = 3, *, remembered: bool = False
) -> NearestOffices:
    """The answer card's content: the `n` offices nearest to `place`, and the place's province."""
    province = directory.provinces.get(place.province_id or "")
    return NearestOffices(
        place, tuple(nearest(directory, place.lat, place.lon, now, n)), local_time(now), province, remembered
    )


def province_offices(directory: OfficeDirectory, province: Province, now: datetime) -> ProvinceOffices:
    """Every office in `province` with whether it is open at `now`, by name."""
    return ProvinceOffices(
        province, tuple(status_at(o, now) for o in in_province(directory, province)), local_time(now)
    )


def in_province(directory: OfficeDirectory, province: str | Province) -> list[Office]:
    """The offices in `province`, by id: a Province, its REFNIS code ('40000'; '04000' for Brussels), or
    its name in Dutch, French or German ('Oost-Vlaanderen', 'Hainaut', 'Provinz Lüttich').

    An unknown province has no offices.
    """
    if isinstance(province, Province):
        code: str | None = province.id
    elif province in directory.provinces:
        code = province
    else:
        found = default_place_index().province(province)
        code = found.id if found else None
    return sorted((o for o in directory.offices if o.province == code), key=lambda o: o.id)
