"""Business hours in Brussels: when a reminder is due, and how long a ticket waited, in working time.

Working time is Monday to Friday between `start` and `end` (default 08:00-17:00) in Europe/Brussels, minus
Belgium's ten legal public holidays (New Year, Easter Monday, Labour Day, Ascension, Whit Monday, the
National Day, Assumption, All Saints, Armistice Day, Christmas). Regional and community days and the days
off of the federal administration (15 November, 26 December) are working days here: which of them a
police unit observes differs. Daylight saving time is handled by working in local time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Final

from nwow.schedule import BRUSSELS

__all__ = ["BusinessHours", "belgian_holidays", "easter_sunday"]

_MAX_DAYS: Final = 3660  # ten years: no arithmetic runs further than this


def easter_sunday(year: int) -> date:
    """Easter Sunday (Gregorian calendar; the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def belgian_holidays(year: int) -> frozenset[date]:
    """Belgium's ten legal public holidays in `year`."""
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter + timedelta(days=1),  # Easter Monday
            date(year, 5, 1),
            easter + timedelta(days=39),  # Ascension
            easter + timedelta(days=50),  # Whit Monday
            date(year, 7, 21),
            date(year, 8, 15),
            date(year, 11, 1),
            date(year, 11, 11),
            date(year, 12, 25),
        }
    )


@dataclass(frozen=True)
class BusinessHours:
    start: time = time(8, 0)
    end: time = time(17, 0)
    holidays: bool = True  # Belgian public holidays are not working days
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"business hours must start before they end ({self.start}-{self.end})")

    @classmethod
    def parse(cls, text: str, *, holidays: bool = True) -> BusinessHours:
        """'08:00-17:00' -> those hours, Monday to Friday."""
        try:
            first, last = (part.strip() for part in text.split("-"))
            start = time.fromisoformat(first)
            end = time.fromisoformat(last)
        except ValueError as exc:
            raise ValueError(f"business hours {text!r}: write them as HH:MM-HH:MM, e.g. 08:00-17:00") from exc
        return cls(start, end, holidays)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        return not (self.holidays and day in belgian_holidays(day.year))

    def _windows(self, since: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working windows (local start, local end) from the day of `since` on, at most ten years."""
        day = since.astimezone(BRUSSELS).date()
        for _ in range(_MAX_DAYS):
            if self.is_working_day(day):
                yield (
                    datetime.combine(day, self.start, BRUSSELS),
                    datetime.combine(day, self.end, BRUSSELS),
                )
            day += timedelta(days=1)

    def add(self, moment: datetime, working: timedelta) -> datetime:
        """The moment `working` time after `moment`, counting only business hours."""
        if moment.tzinfo is None:
            raise ValueError("moment must be timezone-aware")
        left = working
        for opens, closes in self._windows(moment):
            begin = max(opens, moment)
            if begin >= closes:
                continue
            if begin + left <= closes:
                return (begin + left).astimezone(moment.tzinfo)
            left -= closes - begin
        raise ValueError(f"{working} of business hours do not fit in ten years")

    def between(self, since: datetime, until: datetime) -> timedelta:
        """The working time from `since` to `until` (zero when `until` is not later)."""
        if since.tzinfo is None or until.tzinfo is None:
            raise ValueError("since and until must be timezone-aware")
        total = timedelta()
        if until <= since:
            return total
        for opens, closes in self._windows(since):
            if opens >= until:
                break
            begin, finish = max(opens, since), min(closes, until)
            if finish > begin:
                total += finish - begin
        return total
