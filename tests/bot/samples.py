"""Inputs shared by the card tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from nwow.feedback.periods import Month
from nwow.feedback.report import SummaryNumbers


def summary_numbers(**changes: Any) -> SummaryNumbers:
    """The figures of a feedback summary (October 2026), with `changes` applied."""
    base = SummaryNumbers(
        month=Month(2026, 10),
        min_group_size=5,
        responses=42,
        respondents=40,
        mean=3.8,
        tools=(("teams", "Teams", 30, 4.1), ("telework", "Telework", 12, 3.2)),
        unanswered=7,
    )
    return replace(base, **changes)
