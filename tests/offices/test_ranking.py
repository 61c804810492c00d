"""Nearest offices against distances computed independently, and opening hours at their boundaries."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from nwow.offices.model import Address, Closure, Contact, Host, Office, OfficeDirectory, TimeRange
from nwow.offices.places import haversine_km
from nwow.offices.ranking import in_province, local_time, nearest, next_opening

BRUSSELS = ZoneInfo("Europe/Brussels")
WEEKDAY_HOURS = (TimeRange(time(7, 30), time(12, 0)), TimeRange(time(13, 0), time(17, 0)))


def law_of_cosines_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the spherical law of cosines: another formula than the code's haversine."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos_angle = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, cos_angle)))


def make_office(
    office_id: str,
    lat: float,
    lon: float,
    *,
    province: str = "40000",
    closures: tuple[Closure, ...] = (),
) -> Office:
    return Office(
        id=office_id,
        names={"nl": f"Kantoor {office_id}", "fr": f"Bureau {office_id}"},
        host=Host("local", {"nl": "Politiezone Voorbeeld"}),
        address=Address("Voorbeeldstraat 1", "9000", "Gent"),
        lat=lat,
        lon=lon,
        coordinates_from_postal_code=False,
        province=province,
        hours={day: WEEKDAY_HOURS for day in ("mon", "tue", "wed", "thu", "fri")},
        closures=closures,
        desks=4,
        facilities=("wifi",),
        access={"nl": "Badge", "fr": "Badge"},
        contact=Contact(email=f"{office_id}@police.example"),
        languages=("nl",),
    )


# City halls (rounded): the test's own reference points.
CITIES = {
    "brussel": (50.8467, 4.3525),
    "antwerpen": (51.2211, 4.3997),
    "gent": (51.0543, 3.7174),
    "luik": (50.6455, 5.5734),
    "namen": (50.4636, 4.8656),
    "brugge": (51.2089, 3.2242),
    "hasselt": (50.9307, 5.3378),
    "aarlen": (49.6833, 5.8167),
}
DIRECTORY = OfficeDirectory(tuple(make_office(name, *ll) for name, ll in CITIES.items()), {})


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ("brussel", "antwerpen", 41.8),  # commonly quoted straight-line distances between the city halls
        ("brussel", "gent", 50.6),
        ("brussel", "luik", 89.0),
        ("gent", "brugge", 39.0),
    ],
)
def test_haversine_matches_known_distances(a: str, b: str, km: float) -> None:
    got = haversine_km(*CITIES[a], *CITIES[b])

    assert got == pytest.approx(law_of_cosines_km(*CITIES[a], *CITIES[b]), abs=1e-6)
    assert got == pytest.approx(km, abs=1.5)


@pytest.mark.parametrize("origin", [(50.88, 4.70), (51.0, 3.5), (49.8, 5.9), (50.5, 4.6), (51.3, 5.2)])
def test_nearest_ranks_by_independently_computed_distance(origin: tuple[float, float]) -> None:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    expected = sorted(CITIES, key=lambda name: law_of_cosines_km(*origin, *CITIES[name]))[:3]

    matches = nearest(DIRECTORY, *origin, now)

    assert [m.office.id for m in matches] == expected
    for match in matches:
        assert match.distance_km == pytest.approx(
            law_of_cosines_km(*origin, match.office.lat, match.office.lon)
        )
    assert [m.distance_km for m in matches] == sorted(m.distance_km for m in matches)


def test_nearest_n() -> None:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    assert len(nearest(DIRECTORY, 50.85, 4.35, now, n=5)) == 5
    assert len(nearest(DIRECTORY, 50.85, 4.35, now, n=50)) == len(CITIES)
    assert nearest(DIRECTORY, 50.85, 4.35, now, n=0) == []


def brussels(y: int, m: int, d: int, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("moment", "open_now"),
    [
        (brussels(2026, 11, 23, 7, 29, 59), False),  # Monday, before opening
        (brussels(2026, 11, 23, 7, 30), True),  # opening time is open
        (brussels(2026, 11, 23, 11, 59, 59), True),
        (brussels(2026, 11, 23, 12, 0), False),  # lunch break: closing time is closed
        (brussels(2026, 11, 23, 13, 0), True),
        (brussels(2026, 11, 23, 16, 59, 59), True),
        (brussels(2026, 11, 23, 17, 0), False),  # exact closing time
        (brussels(2026, 11, 22, 10, 0), False),  # a Sunday
        (brussels(2026, 11, 21, 10, 0), False),  # a Saturday
    ],
)
def test_open_now_at_the_boundaries(moment: datetime, open_now: bool) -> None:
    (match,) = nearest(DIRECTORY, *CITIES["gent"], moment, n=1)

    assert match.open_now is open_now


def test_today_hours_on_a_weekday_and_a_sunday() -> None:
    (monday,) = nearest(DIRECTORY, *CITIES["gent"], brussels(2026, 11, 23, 20, 0), n=1)
    (sunday,) = nearest(DIRECTORY, *CITIES["gent"], brussels(2026, 11, 22, 10, 0), n=1)

    assert [str(r) for r in monday.today_hours] == ["07:30-12:00", "13:00-17:00"]
    assert sunday.today_hours == ()


def test_closures_close_the_whole_period_both_days_included() -> None:
    holiday = Closure(date(2026, 12, 24), date(2026, 12, 26), {"nl": "Kerstmis", "fr": "Noël"})
    directory = OfficeDirectory((make_office("gent", *CITIES["gent"], closures=(holiday,)),), {})

    def at(day: int, hour: int) -> tuple[bool, int, bool]:
        (m,) = nearest(directory, *CITIES["gent"], brussels(2026, 12, day, hour, 0), n=1)
        return m.open_now, len(m.today_hours), m.closure_today is holiday

    assert at(23, 10) == (True, 2, False)
    assert at(24, 10) == (False, 0, True)  # Thursday, first day of the closure
    assert at(25, 10) == (False, 0, True)
    assert at(26, 10) == (False, 0, True)  # a Saturday inside it
    assert at(28, 10) == (True, 2, False)  # Monday after


@pytest.mark.parametrize(
    ("utc", "open_now"),
    [
        # Friday 27 March 2026, winter time (UTC+1): 06:30 UTC is 07:30 in Brussels.
        (datetime(2026, 3, 27, 6, 29, tzinfo=UTC), False),
        (datetime(2026, 3, 27, 6, 30, tzinfo=UTC), True),
        # Monday 30 March 2026, summer time (UTC+2) since Sunday: 05:30 UTC is 07:30 in Brussels.
        (datetime(2026, 3, 30, 5, 29, tzinfo=UTC), False),
        (datetime(2026, 3, 30, 5, 30, tzinfo=UTC), True),
        (datetime(2026, 3, 30, 14, 59, tzinfo=UTC), True),
        (datetime(2026, 3, 30, 15, 0, tzinfo=UTC), False),
        # Monday 26 October 2026, winter time again: 16:00 UTC is 17:00 in Brussels.
        (datetime(2026, 10, 26, 15, 59, tzinfo=UTC), True),
        (datetime(2026, 10, 26, 16, 0, tzinfo=UTC), False),
    ],
)
def test_opening_hours_follow_brussels_time_across_dst(utc: datetime, open_now: bool) -> None:
    (match,) = nearest(DIRECTORY, *CITIES["gent"], utc, n=1)

    assert match.open_now is open_now


def test_utc_evening_is_already_tomorrow_in_brussels() -> None:
    # Sunday 22 November 2026 23:30 UTC is Monday 00:30 in Brussels: today's hours are Monday's.
    (match,) = nearest(DIRECTORY, *CITIES["gent"], datetime(2026, 11, 22, 23, 30, tzinfo=UTC), n=1)

    assert match.today_hours == WEEKDAY_HOURS
    assert local_time(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)).date() == date(2026, 11, 23)


def test_a_naive_time_is_brussels_time() -> None:
    naive = datetime(2026, 7, 1, 7, 30)

    assert local_time(naive) == brussels(2026, 7, 1, 7, 30)
    assert local_time(naive).utcoffset() == timedelta(hours=2)


def test_in_province_by_code_and_by_name(fixture_directory: OfficeDirectory) -> None:
    by_code = in_province(fixture_directory, "40000")

    assert [o.id for o in by_code] == ["aalst", "gent"]
    assert in_province(fixture_directory, "Oost-Vlaanderen") == by_code
    assert in_province(fixture_directory, "Flandre orientale") == by_code
    assert in_province(fixture_directory, "Provinz Ostflandern") == by_code
    assert [o.id for o in in_province(fixture_directory, "Lüttich")] == ["eupen"]
    assert in_province(fixture_directory, "Bruxelles") == []
    assert in_province(fixture_directory, "Atlantis") == []


@pytest.mark.parametrize(
    ("moment", "opens_at"),
    [
        (brussels(2026, 11, 23, 6, 0), brussels(2026, 11, 23, 7, 30)),  # Monday before opening: today
        (brussels(2026, 11, 23, 12, 30), brussels(2026, 11, 23, 13, 0)),  # lunch break: after it
        (brussels(2026, 11, 23, 17, 0), brussels(2026, 11, 24, 7, 30)),  # closing time: tomorrow
        (brussels(2026, 11, 27, 18, 0), brussels(2026, 11, 30, 7, 30)),  # Friday evening: Monday
        (brussels(2026, 11, 22, 10, 0), brussels(2026, 11, 23, 7, 30)),  # Sunday: Monday
        (brussels(2026, 11, 23, 10, 0), None),  # open now: nothing to say
    ],
)
def test_a_closed_office_says_when_it_opens_next(moment: datetime, opens_at: datetime | None) -> None:
    (match,) = nearest(DIRECTORY, *CITIES["gent"], moment, n=1)

    assert match.opens_at == opens_at


def test_the_next_opening_skips_a_closure_and_crosses_daylight_saving_time() -> None:
    summer = Closure(date(2026, 10, 19), date(2026, 10, 23), {"nl": "Sluiting", "fr": "Fermeture"})
    directory = OfficeDirectory((make_office("gent", *CITIES["gent"], closures=(summer,)),), {})

    # Friday 16 October, summer time; the week of the 19th is closed; the 26th is winter time (UTC+1).
    (match,) = nearest(directory, *CITIES["gent"], brussels(2026, 10, 16, 18, 0), n=1)

    assert match.opens_at == brussels(2026, 10, 26, 7, 30)
    assert match.opens_at is not None and match.opens_at.utcoffset() == timedelta(hours=1)


def test_an_office_without_hours_never_says_it_opens() -> None:
    office = replace(make_office("gent", *CITIES["gent"]), hours={})

    assert next_opening(office, brussels(2026, 11, 23, 10, 0)) is None
