"""The nearest offices to a point, with whether they are open now (Europe/Brussels time)."""

from __future__ import annotations

import heapq
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from nwow.offices.model import Office, OfficeDirectory, OfficeMatch, Province
from nwow.offices.places import default_place_index, haversine_km

BRUSSELS: Final = ZoneInfo("Europe/Brussels")


def local_time(now: datetime) -> datetime:
    """`now` on the Brussels wall clock; a naive datetime is taken as Brussels time already."""
    if now.tzinfo is None:
        return now.replace(tzinfo=BRUSSELS)
    return now.astimezone(BRUSSELS)


def match_office(office: Office, distance_km: float, now: datetime) -> OfficeMatch:
    local = local_time(now)
    return OfficeMatch(
        office=office,
        distance_km=distance_km,
        open_now=office.is_open_at(local),
        today_hours=office.hours_on(local.date()),
        closure_today=office.closure_on(local.date()),
    )


def nearest(
    directory: OfficeDirectory, lat: float, lon: float, now: datetime, n: int = 3
) -> list[OfficeMatch]:
    """The `n` offices closest to (lat, lon) in a straight line, nearest first (ties by id)."""
    if n <= 0:
        return []
    distances = ((haversine_km(lat, lon, o.lat, o.lon), o.id, o) for o in directory.offices)
    closest = heapq.nsmallest(n, distances, key=lambda item: (item[0], item[1]))
    return [match_office(office, distance, now) for distance, _, office in closest]


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
