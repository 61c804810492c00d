"""Reading, computing and freezing DRI's outcome figures (nwow/tickets/figures.py) for closed periods.

Like the feedback figures (nwow/feedback/archive.py), a closed month's or week's figures are computed the
first time they are asked for and kept as a write-once document; every later report, card and digest shows
the kept ones, so late changes (a deleted user, the retention purge) never change a published period.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

from nwow.feedback.archive import MonthNotClosed, WriteOnce, kept_document
from nwow.feedback.periods import Month, Week
from nwow.tickets.figures import (
    MonthOutcomes,
    OpenQuestion,
    OutcomeReport,
    WeekOutcomes,
    compute_month,
    compute_week,
    decode_month,
    decode_week,
    encode_month,
    encode_week,
)
from nwow.tickets.hours import BusinessHours
from nwow.tickets.store import QuestionLog, TicketStore

__all__ = [
    "MONTH_KEY",
    "WEEK_KEY",
    "build_outcome_report",
    "month_outcomes",
    "open_questions",
    "week_outcomes",
]

logger = logging.getLogger(__name__)

MONTH_KEY: Final = "nwow/tickets/month/"
WEEK_KEY: Final = "nwow/tickets/week/"
TOP_OPEN: Final = 5


async def month_outcomes(
    questions: QuestionLog,
    tickets: TicketStore,
    archive: WriteOnce,
    month: Month,
    *,
    min_group_size: int,
    hours: BusinessHours,
    now: datetime,
) -> MonthOutcomes:
    if not month.closed(now):
        raise MonthNotClosed(f"{month} is not over yet; figures are published per closed calendar month")

    async def compute() -> str:
        since, until = month.bounds()
        records = await questions.between(since, until)
        answered = await tickets.answered_between(since, until)
        units = await questions.units([r.user_key for r in records])
        figures = await asyncio.to_thread(
            compute_month,
            month,
            records,
            answered,
            units,
            min_group_size=min_group_size,
            hours=hours,
            frozen_at=now,
        )
        logger.info("froze the question outcomes of %s", month, extra={"event": "tickets.month_frozen"})
        return encode_month(figures)

    kept = await kept_document(archive, MONTH_KEY + month.key, compute)
    return decode_month(kept)


async def week_outcomes(
    questions: QuestionLog, archive: WriteOnce, week: Week, *, min_group_size: int, now: datetime
) -> WeekOutcomes:
    if not week.closed(now):
        raise MonthNotClosed(f"{week} is not over yet; the trend is published per closed ISO week")

    async def compute() -> str:
        records = await questions.between(*week.bounds())
        return encode_week(compute_week(week, records, min_group_size=min_group_size, frozen_at=now))

    kept = await kept_document(archive, WEEK_KEY + week.key, compute)
    return decode_week(kept)


async def open_questions(
    tickets: TicketStore, hours: BusinessHours, now: datetime, limit: int = TOP_OPEN
) -> list[OpenQuestion]:
    """The questions that have waited longest for an ambassador (now: not a published statistic)."""
    waiting = await tickets.waiting(1000)
    waiting.sort(key=lambda t: (t.created_at, t.number))
    return [
        OpenQuestion(
            number=t.number,
            text=t.question,
            consented=t.shares_name,
            waiting_working_hours=hours.between(t.created_at, now).total_seconds() / 3600,
        )
        for t in waiting[:limit]
    ]


async def build_outcome_report(
    questions: QuestionLog,
    tickets: TicketStore,
    archive: WriteOnce,
    months: Sequence[Month],
    *,
    min_group_size: int,
    hours: BusinessHours,
    now: datetime,
    labels: Mapping[str, str] | None = None,
) -> OutcomeReport:
    """The outcome figures of closed `months`, the closed ISO weeks that belong to them, and the questions
    waiting longest now."""
    figures = [
        await month_outcomes(
            questions, tickets, archive, m, min_group_size=min_group_size, hours=hours, now=now
        )
        for m in sorted(months)
    ]
    weeks = [w for m in sorted(months) for w in m.weeks() if w.closed(now)]
    trend = [
        await week_outcomes(questions, archive, w, min_group_size=min_group_size, now=now) for w in weeks
    ]
    return OutcomeReport(
        tuple(figures), tuple(trend), tuple(await open_questions(tickets, hours, now)), dict(labels or {})
    )
