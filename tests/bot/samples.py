"""Inputs shared by the card tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from nwow.feedback.report import SummaryNumbers


def summary_numbers(**changes: Any) -> SummaryNumbers:
    """The figures of a feedback summary, with `changes` applied."""
    base = SummaryNumbers(
        days=30,
        since=datetime(2026, 10, 24, tzinfo=UTC),
        until=datetime(2026, 11, 23, tzinfo=UTC),
        min_group_size=5,
        responses=42,
        respondents=40,
        mean=3.8,
        stdev=0.9,
        tools=(("teams", "Teams", 30, 4.1), ("telework", "Telework", 12, 3.2)),
        suppressed_groups=2,
        unanswered=7,
        top_unanswered=(("parking badge", 3),),
        votes_up=10,
        votes_down=2,
        most_thumbs_down=(("mfa-what", "Wat is MFA?", 2),),
    )
    return replace(base, **changes)
