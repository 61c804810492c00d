"""The pulse results that reports and cards show, read from the store and frozen once a pulse is closed.

A closed pulse's results (closed with `nwow pulse close`, or its closing day over) are computed the first
time they are asked for and kept as a write-once document (`nwow.feedback.archive.kept_document`, the
mechanism of the frozen months): every later report and card shows the kept ones, so an answer deleted on
request, the retention purge or a new NWOW_MIN_GROUP_SIZE never change them, and two publications can never
be subtracted from one another. A running pulse shows its counts only (delivered, answered).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from nwow.feedback.archive import WriteOnce, kept_document
from nwow.pulses.compare import Comparison, compare
from nwow.pulses.launch import card_group
from nwow.pulses.model import Pulse, QuestionKind, StartedPulse
from nwow.pulses.results import PulseResults, compute_results, effective_min_group, live_counts
from nwow.pulses.results_codec import decode_results, encode_results
from nwow.pulses.store import PulseStore

__all__ = ["KEY_PREFIX", "PulseReport", "is_closed", "pulse_reports", "pulse_results"]

logger = logging.getLogger(__name__)

KEY_PREFIX: Final = "nwow/pulses/results/"


def is_closed(started: StartedPulse, now: datetime) -> bool:
    """Closed by DRI, or its closing day is over: no answer is taken any more."""
    return started.closed_at is not None or now >= started.closes_at


@dataclass(frozen=True)
class PulseReport:
    """A pulse as reports show it: its definition, its published results, the comparison with earlier
    pulses, and the comments of its free-text questions (as written: the renderers scrub them)."""

    started: StartedPulse
    results: PulseResults
    comparisons: tuple[Comparison, ...] = ()
    comments: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


async def pulse_results(
    store: PulseStore, archive: WriteOnce, started: StartedPulse, *, min_group_size: int, now: datetime
) -> PulseResults:
    """The published results of `started`: counts only while it runs; once closed, the kept results (computed
    now with the pulse's minimum group, never below `min_group_size`, and kept when there are none yet)."""
    pulse = started.pulse
    k = effective_min_group(pulse.min_group, min_group_size)
    if not is_closed(started, now):
        delivery = await store.delivery(pulse.id, card_group(pulse.id))
        return live_counts(started, delivery, await store.answered_by_unit(pulse.id), min_group=k)

    async def compute() -> str:
        answers = await store.answers(pulse.id)
        delivery = await store.delivery(pulse.id, card_group(pulse.id))
        by_unit = await store.answered_by_unit(pulse.id)
        results = await asyncio.to_thread(
            compute_results, started, answers, delivery, by_unit, min_group=k, frozen_at=now
        )
        logger.info("froze the results of pulse %s", pulse.id, extra={"event": "pulse.results_frozen"})
        return encode_results(results)

    return decode_results(await kept_document(archive, KEY_PREFIX + pulse.id, compute))


async def _comments(
    store: PulseStore, started: StartedPulse, results: PulseResults
) -> dict[str, tuple[str, ...]]:
    """The comments of the free-text questions whose results allow them, sorted by text (never by time)."""
    shown = [q.question_id for q in results.questions if q.kind is QuestionKind.TEXT and q.comments_shown]
    if not shown:
        return {}
    answers = await store.answers(started.pulse.id)
    comments: dict[str, tuple[str, ...]] = {}
    for question_id in shown:
        texts = [str(a.answers.get(question_id, "")).strip() for a in answers]
        comments[question_id] = tuple(sorted((t for t in texts if t), key=lambda t: (t.casefold(), t)))
    return comments


async def pulse_reports(
    store: PulseStore,
    archive: WriteOnce,
    *,
    min_group_size: int,
    now: datetime,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[PulseReport]:
    """The pulses running at some moment from `since` on (all of them without it), the latest started first
    (at most `limit`), each with its published results, its comparison with the previous pulses and its
    comments."""
    every = await store.all()
    chosen = [
        s for s in every if since is None or (s.closed_at or s.closes_at) >= since or not is_closed(s, now)
    ][:limit]
    closed = [s for s in every if is_closed(s, now)]
    cache: dict[str, PulseResults] = {}

    async def results_of(started: StartedPulse) -> PulseResults:
        if started.pulse.id not in cache:
            cache[started.pulse.id] = await pulse_results(
                store, archive, started, min_group_size=min_group_size, now=now
            )
        return cache[started.pulse.id]

    reports: list[PulseReport] = []
    for started in chosen:
        results = await results_of(started)
        comparisons: tuple[Comparison, ...] = ()
        if results.shown:
            earlier = await _earlier(started, closed, results_of)
            comparisons = compare(started.pulse, results, earlier)
        reports.append(PulseReport(started, results, comparisons, await _comments(store, started, results)))
    return reports


async def _earlier(
    started: StartedPulse,
    closed: Sequence[StartedPulse],
    results_of: Callable[[StartedPulse], Awaitable[PulseResults]],
) -> list[tuple[Pulse, PulseResults]]:
    """The closed pulses started before `started` that ask one of its questions, the most recent first."""
    asked = {q.id for q in started.pulse.questions if q.kind is not QuestionKind.TEXT}
    before = sorted(
        (
            s
            for s in closed
            if s.started_at < started.started_at and asked & {q.id for q in s.pulse.questions}
        ),
        key=lambda s: s.started_at,
        reverse=True,
    )
    return [(s.pulse, await results_of(s)) for s in before]
