"""When something recurs in Brussels time: "mon 09:00" -> the next Monday 09:00 Europe/Brussels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

__all__ = ["BRUSSELS", "Schedule"]

BRUSSELS: Final = ZoneInfo("Europe/Brussels")
_WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Schedule:
    weekday: int
    at: time

    @classmethod
    def parse(cls, text: str) -> Schedule:
        """'mon 09:00' -> Monday 09:00 Europe/Brussels."""
        day, _, clock = text.strip().lower().partition(" ")
        if day[:3] not in _WEEKDAYS:
            raise ValueError(
                f"NWOW_DIGEST_SCHEDULE {text!r}: start with a weekday (mon..sun), e.g. 'mon 09:00'"
            )
        try:
            hours, minutes = (int(part) for part in clock.strip().split(":"))
            at = time(hours, minutes)
        except ValueError as exc:
            raise ValueError(
                f"NWOW_DIGEST_SCHEDULE {text!r}: give the time as HH:MM, e.g. 'mon 09:00'"
            ) from exc
        return cls(_WEEKDAYS.index(day[:3]), at)

    def next_after(self, now: datetime) -> datetime:
        local = now.astimezone(BRUSSELS)
        days_ahead = (self.weekday - local.weekday()) % 7
        candidate = datetime.combine(local.date() + timedelta(days=days_ahead), self.at, BRUSSELS)
        if candidate <= local:
            candidate += timedelta(days=7)
        return candidate.astimezone(UTC)
