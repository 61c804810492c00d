"""The fixed periods feedback is published for: calendar months (ratings, votes, comments) and ISO weeks
(unanswered questions), in Brussels time, and only once they are closed (docs/anonymity.md).

A period is closed `SETTLE` after its end: by then every answer stamped inside it has been stored (a turn
has a deadline far shorter than that), so the first publication of a closed period sees all of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from nwow.feedback.models import require_aware
from nwow.schedule import BRUSSELS

SETTLE: Final = timedelta(hours=1)
_MONTH: Final = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK: Final = re.compile(r"^(\d{4})-W(\d{2})$")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, BRUSSELS).astimezone(UTC)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month in Brussels time."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 9999:
            raise ValueError(f"no such month: {self.year}-{self.month:02d}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2026-10' -> October 2026; ValueError for anything else (a day included)."""
        m = _MONTH.match(text.strip())
        if m is None:
            raise ValueError(f"{text!r} is not a month; write YYYY-MM")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, moment: datetime) -> Month:
        local = require_aware("moment", moment).astimezone(BRUSSELS)
        return cls(local.year, local.month)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """[first midnight, next month's first midnight) in Brussels time, as UTC datetimes."""
        return _midnight(self.first_day()), _midnight(self.next().first_day())

    def closed(self, now: datetime) -> bool:
        return require_aware("now", now) >= self.bounds()[1] + SETTLE

    def weeks(self) -> tuple[Week, ...]:
        """The ISO weeks that belong to this month: those whose Thursday falls in it (as ISO 8601 gives a
        week to a year). Every week belongs to exactly one month."""
        first = self.first_day()
        thursday = first + timedelta(days=(3 - first.weekday()) % 7)
        weeks: list[Week] = []
        while thursday.month == self.month:
            year, week, _ = thursday.isocalendar()
            weeks.append(Week(year, week))
            thursday += timedelta(days=7)
        return tuple(weeks)

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week (Monday to Sunday) in Brussels time."""

    year: int
    week: int

    def __post_init__(self) -> None:
        date.fromisocalendar(self.year, self.week, 1)  # ValueError for a week that does not exist

    @classmethod
    def parse(cls, text: str) -> Week:
        m = _WEEK.match(text.strip())
        if m is None:
            raise ValueError(f"{text!r} is not an ISO week; write YYYY-Www")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, moment: datetime) -> Week:
        year, week, _ = require_aware("moment", moment).astimezone(BRUSSELS).date().isocalendar()
        return cls(year, week)

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    def previous(self) -> Week:
        year, week, _ = (self.monday() - timedelta(days=7)).isocalendar()
        return Week(year, week)

    def bounds(self) -> tuple[datetime, datetime]:
        return _midnight(self.monday()), _midnight(self.monday() + timedelta(days=7))

    def closed(self, now: datetime) -> bool:
        return require_aware("now", now) >= self.bounds()[1] + SETTLE

    def __str__(self) -> str:
        return self.key


def last_closed_month(now: datetime) -> Month:
    month = Month.of(now)
    while not month.closed(now):
        month = month.previous()
    return month


def last_closed_weeks(now: datetime, count: int) -> tuple[Week, ...]:
    """The `count` most recent closed ISO weeks, oldest first."""
    if count < 1:
        raise ValueError("count must be at least 1")
    week = Week.of(now)
    while not week.closed(now):
        week = week.previous()
    weeks = [week]
    while len(weeks) < count:
        weeks.append(weeks[-1].previous())
    return tuple(reversed(weeks))


def months_between(first: Month, last: Month) -> tuple[Month, ...]:
    if first > last:
        raise ValueError(f"{first} is after {last}")
    months = [first]
    while months[-1] < last:
        months.append(months[-1].next())
    return tuple(months)
