"""Business hours in Brussels: reminders fall in working time, across nights, weekends, holidays and the
change to summer time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from nwow.schedule import BRUSSELS
from nwow.tickets.hours import BusinessHours, belgian_holidays, easter_sunday

HOURS = BusinessHours()


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("year", "easter"), [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5))]
)
def test_easter(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_the_ten_belgian_public_holidays_of_2026() -> None:
    assert sorted(belgian_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 7, 21),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]


def test_a_question_asked_in_the_afternoon_is_due_the_next_morning() -> None:
    asked = local(2026, 11, 24, 15, 30)  # Tuesday
    assert HOURS.add(asked, timedelta(hours=4)) == local(2026, 11, 25, 10, 30)


def test_a_question_asked_on_friday_evening_is_due_on_monday() -> None:
    asked = local(2026, 11, 27, 20, 0)  # Friday
    assert HOURS.add(asked, timedelta(hours=2)) == local(2026, 11, 30, 10, 0)


def test_holidays_are_skipped_and_can_be_counted_as_working_days() -> None:
    asked = local(2026, 11, 10, 16, 0)  # Tuesday; Wednesday 11 November is Armistice Day
    assert HOURS.add(asked, timedelta(hours=2)) == local(2026, 11, 12, 9, 0)
    every_day = BusinessHours(holidays=False)
    assert every_day.add(asked, timedelta(hours=2)) == local(2026, 11, 11, 9, 0)


def test_summer_time_starts_on_a_sunday_and_a_working_day_keeps_nine_hours() -> None:
    before = local(2026, 3, 27, 16, 0)  # Friday before the change (29 March)
    due = HOURS.add(before, timedelta(hours=3))
    assert due == local(2026, 3, 30, 10, 0)
    assert due.utcoffset() == timedelta(hours=2)
    assert HOURS.between(local(2026, 3, 30, 8, 0), local(2026, 3, 30, 17, 0)) == timedelta(hours=9)


def test_working_time_between_two_moments() -> None:
    asked = local(2026, 11, 27, 16, 0)  # Friday
    answered = local(2026, 11, 30, 9, 30)  # Monday
    assert HOURS.between(asked, answered) == timedelta(hours=2, minutes=30)
    assert HOURS.between(answered, asked) == timedelta()
    assert HOURS.between(asked.astimezone(UTC), answered.astimezone(UTC)) == timedelta(hours=2, minutes=30)


def test_add_and_between_agree() -> None:
    start = local(2026, 12, 23, 11, 17)
    for hours in (1, 5, 9, 13, 40):
        due = HOURS.add(start, timedelta(hours=hours))
        assert HOURS.between(start, due) == timedelta(hours=hours)


def test_hours_are_parsed_and_checked() -> None:
    assert BusinessHours.parse("07:30-16:00") == BusinessHours(
        datetime(2026, 1, 1, 7, 30).time(), datetime(2026, 1, 1, 16).time()
    )
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        BusinessHours.parse("8 to 5")
    with pytest.raises(ValueError, match="start before"):
        BusinessHours.parse("17:00-08:00")
