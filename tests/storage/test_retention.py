"""The retention period, applied by the running bot: every day one replica deletes what is older than
NWOW_RETENTION_DAYS, and nothing more recent. Two replicas (two connections to one database, SQLite and
PostgreSQL) run the daily schedule on clocks of their own that the test moves (`clock` and `sleep` are
injected): each day is purged exactly once, whichever replica gets there first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from nwow.feedback.models import UnansweredQuestion, Vote
from nwow.feedback.retention import DAILY_AT, RetentionSchedule
from nwow.outbox import Delivery, Settlement
from nwow.schedule import BRUSSELS
from nwow.storage import Database, open_database
from nwow.tickets.proposals import NewProposal, ProposalKind
from nwow.tickets.questions import AskedQuestion, Outcome
from tests.e2e.conftest import faq_dir
from tests.harness.fixtures import ServeApp
from tests.storage.factories import message, survey
from tests.storage.ticket_factories import new_ticket

__all__ = ["faq_dir"]  # a fixture defined elsewhere, used by name below

DAYS = 30
START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday, 11:00 in Brussels
RUN_DAYS = 5  # the replicas' clocks run from START to 03:30 on the fifth day after it


class FakeTime:
    """One replica's clock; its `sleep` moves it on, and parks the loop once past `end`."""

    def __init__(self, start: datetime, end: datetime) -> None:
        self.now = start
        self.end = end
        self.wakeups: list[datetime] = []
        self.parked = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        if self.now > self.end:
            self.parked.set()
            await asyncio.Event().wait()  # until the test stops the schedule
        self.wakeups.append(self.now)
        await asyncio.sleep(0)  # let the other replica's loop run too


@pytest.fixture
async def replicas(database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    first = await open_database(database_url)
    second = await open_database(database_url)
    try:
        yield first, second
    finally:
        await second.close()
        await first.close()


async def _record(database: Database, name: str, at: datetime) -> None:
    store = database.feedback
    await store.record_survey(survey(f"survey-{name}", submitted_at=at))
    await store.record_vote(
        Vote(f"vote-{name}", f"user-{name}", "mfa-what", f"answer-{name}", True, "nl", at)
    )
    await store.record_unanswered(UnansweredQuestion(f"question-{name}", f"question {name}", "nl", at))


async def _kept(database: Database) -> dict[str, list[str]]:
    since, until = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    store = database.feedback
    return {
        "surveys": sorted(s.submission_id for s in await store.surveys_between(since, until)),
        "votes": sorted(v.submission_id for v in await store.votes_between(since, until)),
        "unanswered": sorted(q.submission_id for q in await store.unanswered_between(since, until)),
    }


def _expected(*names: str) -> dict[str, list[str]]:
    return {
        "surveys": sorted(f"survey-{n}" for n in names),
        "votes": sorted(f"vote-{n}" for n in names),
        "unanswered": sorted(f"question-{n}" for n in names),
    }


async def test_two_replicas_purge_once_a_day_what_is_older_than_the_retention_period(
    replicas: tuple[Database, Database],
) -> None:
    first, second = replicas
    await _record(first, "expired", START - timedelta(days=DAYS + 10))
    await _record(first, "expires-on-day-3", START - timedelta(days=DAYS - 2, hours=12))
    await _record(first, "recent", START - timedelta(days=DAYS - RUN_DAYS - 2))
    end = datetime.combine((START + timedelta(days=RUN_DAYS)).astimezone(BRUSSELS).date(), DAILY_AT, BRUSSELS)
    times = [FakeTime(START, end), FakeTime(START, end)]
    schedules = [
        RetentionSchedule(db.expiring, db.kv, DAYS, clock=lambda t=t: t.now, sleep=t.sleep)  # type: ignore[misc]
        for db, t in zip(replicas, times, strict=True)
    ]

    async with schedules[0].running(), schedules[1].running():
        async with asyncio.timeout(30):
            await asyncio.gather(*(t.parked.wait() for t in times))

    # The start day and each of the RUN_DAYS days after it: purged once each, by one replica or the other.
    assert schedules[0].runs + schedules[1].runs == RUN_DAYS + 1
    for fake in times:  # every wake-up is the daily time in Brussels
        assert {(w.astimezone(BRUSSELS).hour, w.astimezone(BRUSSELS).minute) for w in fake.wakeups} == {
            (DAILY_AT.hour, DAILY_AT.minute)
        }
    assert await _kept(second) == _expected("recent")


async def test_a_purge_is_not_repeated_the_same_day_and_runs_again_the_next(
    replicas: tuple[Database, Database],
) -> None:
    first, second = replicas
    now = START
    schedules = [RetentionSchedule(db.expiring, db.kv, DAYS, clock=lambda: now) for db in replicas]
    await _record(first, "old", now - timedelta(days=DAYS + 1))
    await _record(first, "young", now - timedelta(days=DAYS - 1))

    outcomes = await asyncio.gather(*(s.run_if_due() for s in schedules))
    assert sorted(outcomes, key=repr) == sorted([3, None], key=repr)  # one replica: the 3 old rows
    assert await _kept(second) == _expected("young")
    now = START + timedelta(hours=12)  # later the same day (Brussels): nobody purges
    assert [await s.run_if_due() for s in schedules] == [None, None]
    now = START + timedelta(days=2)  # "young" is now older than the retention period
    outcomes = [await s.run_if_due() for s in schedules]
    assert outcomes.count(None) == 1
    assert await _kept(first) == _expected()


async def test_the_running_bot_applies_the_retention_period(
    tmp_path: Path, faq_dir: Path, serve_app: ServeApp
) -> None:
    url = f"sqlite:///{tmp_path / 'nwow.sqlite3'}"
    database = await open_database(url)
    now = datetime.now(UTC)
    try:
        await _record(database, "expired", now - timedelta(days=DAYS + 1))
        await _record(database, "kept", now - timedelta(days=DAYS - 1))
    finally:
        await database.close()
    settings = Settings().with_overrides(
        dev_mode=True, data_dir=tmp_path / "data", faq_dir=faq_dir, database_url=url, retention_days=DAYS
    )
    app = create_app(settings)
    await serve_app(app)
    async with asyncio.timeout(30):
        await app[RUNTIME].retention.wait_for_runs(1)  # at start, then daily
    assert await _kept(app[RUNTIME].database) == _expected("kept")


async def test_the_daily_purge_also_deletes_old_questions_to_the_ambassadors_their_records_and_proposals(
    replicas: tuple[Database, Database],
) -> None:
    first, _ = replicas
    old, young = START - timedelta(days=DAYS + 1), START - timedelta(days=DAYS - 1)
    for name, at in (("old", old), ("young", young)):
        user = f"user-{name}"
        await first.tickets.create(new_ticket(f"ticket-{name}", user, created_at=at, question_ref=name))
        await first.questions.record(AskedQuestion(name, user, at, "nl", Outcome.UNANSWERED))
        proposal = NewProposal(ProposalKind.VARIANT, "mfa-what", "nl", f"wat is mfa {name}", f"mfa {name}")
        await first.proposals.propose(proposal, f"source-{name}", user, at)

    assert await RetentionSchedule(first.expiring, first.kv, DAYS, clock=lambda: START).run_if_due() == 4
    for name, kept in (("old", 0), ("young", 1)):
        user = f"user-{name}"
        assert [
            await first.tickets.count_for_user(user),
            await first.questions.count_for_user(user),
            await first.proposals.count_for_user(user),
        ] == [kept] * 3, name


async def test_the_daily_purge_forgets_settled_proactive_messages_but_not_those_still_to_send(
    replicas: tuple[Database, Database],
) -> None:
    """A delivered message keeps its key and its recipient's pseudonym (its content is dropped when it is
    settled); after the retention period the row goes too. One still queued is kept, however old: it has
    not been delivered yet."""
    first, _ = replicas
    old, young = START - timedelta(days=DAYS + 1), START - timedelta(days=DAYS - 1)
    for name, at in (("old", old), ("young", young)):
        await first.outbox.enqueue([message(f"sent-{name}", recipient=f"user-{name}", not_before=at)], at)
        [claimed] = await first.outbox.claim("sender", at, timedelta(seconds=30), 10)
        assert await first.outbox.settle(claimed.id, "sender", Settlement.sent(), at)
    await first.outbox.enqueue([message("waiting", not_before=START + timedelta(days=1))], old)

    assert await RetentionSchedule(first.expiring, first.kv, DAYS, clock=lambda: START).run_if_due() == 1
    states = await first.outbox.delivery(["sent-old", "sent-young", "waiting"])
    assert states == {"sent-young": (Delivery.SENT, None), "waiting": (Delivery.QUEUED, None)}
