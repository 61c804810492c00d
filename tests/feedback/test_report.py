"""The published monthly figures, the report built from them, the fixed periods and the frozen months."""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from nwow.feedback.archive import MonthNotClosed, month_figures
from nwow.feedback.figures import REST, FiguresUnreadable, MonthFigures, compute_month, decode, encode
from nwow.feedback.models import SurveyResponse, UnansweredQuestion, Vote
from nwow.feedback.periods import SETTLE, Month, Week, last_closed_month, last_closed_weeks, months_between
from nwow.feedback.report import build_report, build_summary, cluster_questions, fold, recent_questions
from nwow.storage import Database, open_database
from nwow.storage.write_once import KvWriteOnce

OCTOBER = Month(2026, 10)
T0 = datetime(2026, 10, 6, 10, 0, tzinfo=UTC)
AFTER = datetime(2026, 12, 1, tzinfo=UTC)  # October and November are closed


def resp(
    n: int,
    *,
    user: str | None = None,
    tool: str = "teams",
    unit: str = "fed-dri",
    rating: int = 4,
    works: str = "",
    obstacles: str = "",
    at: datetime = T0,
) -> SurveyResponse:
    return SurveyResponse(
        submission_id=f"s{n}-{tool}-{unit}",
        user_key=user or f"user{n}",
        tool=tool,
        rating=rating,
        works=works,
        obstacles=obstacles,
        unit=unit,
        contact_ok=False,
        contact_id=None,
        lang="nl",
        submitted_at=at,
    )


def october(surveys: list[SurveyResponse], votes: list[Vote] | None = None, k: int = 5) -> MonthFigures:
    return compute_month(OCTOBER, surveys, votes or [], min_group_size=k, frozen_at=AFTER)


def test_mean_spread_and_distribution() -> None:
    ratings = [1, 2, 4, 5, 5, 3]
    figures = october([resp(i, rating=r) for i, r in enumerate(ratings)])
    stats = figures.overall
    assert stats is not None
    assert stats.responses == 6 and stats.respondents == 6
    assert stats.mean == pytest.approx(statistics.fmean(ratings))
    assert stats.stdev == pytest.approx(statistics.stdev(ratings))
    assert stats.distribution == (1, 1, 1, 1, 2)


def test_a_small_tool_is_counted_with_the_others_and_not_named() -> None:
    rows = [resp(i, tool="teams") for i in range(12)]
    rows += [resp(100 + i, tool="office365") for i in range(6)]
    rows += [resp(200 + i, tool="yammer", rating=1) for i in range(2)]
    rows += [resp(300 + i, tool="wikipol") for i in range(3)]
    figures = october(rows)
    assert [(g.key, g.stats.responses) for g in figures.tools] == [("office365", 6), ("teams", 12), (REST, 5)]
    assert figures.shows("tool", "teams") and not figures.shows("tool", "yammer")


def test_the_others_are_hidden_with_a_shown_row_when_they_would_be_too_few() -> None:
    rows = [resp(i, tool="teams") for i in range(20)]
    rows += [resp(100 + i, tool="office365") for i in range(6)]
    rows += [resp(200 + i, tool="yammer", rating=1) for i in range(2)]
    figures = october(rows)
    # Else the total minus Teams minus Office 365 would be the two Yammer answers.
    assert [g.key for g in figures.tools] == ["teams", REST]
    assert figures.tools[-1].stats.responses == 8


def test_respondents_are_distinct_people_and_no_one_may_dominate_a_group() -> None:
    rows = [resp(i, user="same-person", unit="local-arlon") for i in range(12)]
    rows += [resp(100 + i) for i in range(10)]
    figures = october(rows)
    assert not figures.shows("unit", "local-arlon")
    keen = [resp(i, user="keen", tool="yammer") for i in range(6)] + [
        resp(50 + i, tool="yammer") for i in range(4)
    ]
    figures = october(keen + [resp(100 + i) for i in range(10)])
    assert not figures.shows("tool", "yammer"), "five people, but one gave 6 of the 10 answers"


def test_a_month_with_too_few_people_shows_nothing() -> None:
    figures = october([resp(i, works="hello") for i in range(3)])
    assert figures.overall is None and figures.tools == () and figures.units == ()


def test_votes_are_shown_per_entry_with_enough_voters() -> None:
    votes = [Vote(f"v{i}", f"u{i}", "vpn", f"a{i}", i % 3 == 0, "nl", T0) for i in range(7)]
    votes += [Vote(f"w{i}", f"x{i}", "mfa", f"b{i}", True, "nl", T0) for i in range(3)]
    votes += [Vote(f"y{i}", f"y{i}", "teams-chat", f"c{i}", False, "nl", T0) for i in range(2)]
    figures = october([], votes)
    assert figures.votes is not None and (figures.votes.up, figures.votes.down) == (6, 6)
    # MFA (3 voters) and Teams chat (2) are not named; together they are five people.
    assert [(e.key, e.down, e.up) for e in figures.entries] == [("vpn", 4, 3), (REST, 2, 3)]
    alone = october([], votes[:10])
    assert [e.key for e in alone.entries] == [REST], "else the total minus VPN would be MFA's three voters"


def test_rows_outside_the_month_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        october([resp(1, at=datetime(2026, 11, 1, tzinfo=UTC))])


def test_frozen_figures_read_back_equal_and_a_foreign_document_is_refused() -> None:
    rows = [resp(i, tool="teams" if i % 2 else "office365", rating=1 + i % 5) for i in range(20)]
    figures = october(rows)
    assert decode(encode(figures)) == figures
    with pytest.raises(FiguresUnreadable, match="format"):
        decode('{"version": 99}')
    with pytest.raises(FiguresUnreadable):
        decode("not json")


def test_months_and_weeks_are_in_belgian_time() -> None:
    # 2026-10-31 23:30 UTC is 1 November 00:30 in Brussels (winter time).
    assert Month.of(datetime(2026, 10, 31, 23, 30, tzinfo=UTC)) == Month(2026, 11)
    assert OCTOBER.bounds() == (datetime(2026, 9, 30, 22, tzinfo=UTC), datetime(2026, 10, 31, 23, tzinfo=UTC))
    assert Week.of(datetime(2026, 10, 11, 23, 30, tzinfo=UTC)).key == "2026-W42"
    # A week belongs to the month of its Thursday: W40 (28 Sep - 4 Oct, Thursday 1 Oct) is October's.
    assert [w.key for w in OCTOBER.weeks()] == ["2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44"]
    assert [w.key for w in Month(2026, 9).weeks()][-1] == "2026-W39"
    assert Month.parse("2026-10") == OCTOBER and months_between(Month(2026, 11), Month(2027, 2))[-1] == Month(
        2027, 2
    )
    with pytest.raises(ValueError):
        Month.parse("2026-10-05")


def test_a_period_is_closed_only_once_it_is_over_and_settled() -> None:
    end = OCTOBER.bounds()[1]
    assert not OCTOBER.closed(end) and not OCTOBER.closed(end + SETTLE - timedelta(seconds=1))
    assert OCTOBER.closed(end + SETTLE)
    assert last_closed_month(end) == Month(2026, 9) and last_closed_month(end + SETTLE) == OCTOBER
    monday = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert [w.key for w in last_closed_weeks(monday, 2)] == ["2026-W46", "2026-W47"]


def test_near_duplicate_questions_are_counted_together() -> None:
    texts = [
        "Hoe reserveer ik een bureau?",
        "hoe reserveer ik een bureau",
        "Hoe reserveer ik een  bureau ?",
        "Hoe reserveer ik een buro?",
        "Comment réserver un bureau ?",
        "comment reserver un bureau",
        "Waar vind ik mijn loonbrief?",
    ]
    questions = [UnansweredQuestion(f"q{i}", text, "nl", T0) for i, text in enumerate(texts * 2)]
    clusters = cluster_questions(questions)
    assert [(c.count, fold(c.text)) for c in clusters] == [
        (8, "hoe reserveer ik een bureau"),
        (4, "comment reserver un bureau"),
        (2, "waar vind ik mijn loonbrief"),
    ]
    assert "Hoe reserveer ik een buro?" in clusters[0].variants


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_database(f"sqlite:///{tmp_path}/nwow.sqlite3")
    yield database
    await database.close()


async def test_an_open_month_is_not_published(db: Database) -> None:
    with pytest.raises(MonthNotClosed):
        await month_figures(
            db.feedback,
            KvWriteOnce(db.kv),
            Month(2026, 11),
            min_group_size=5,
            now=datetime(2026, 11, 30, tzinfo=UTC),
        )


async def test_a_published_month_never_changes(db: Database) -> None:
    """Late answers, deletions, the purge and a stricter setting leave a published month as it was."""
    archive = KvWriteOnce(db.kv)
    for i in range(8):
        await db.feedback.record_survey(resp(i, tool="teams" if i < 6 else "yammer", rating=3 + i % 3))
    first = await month_figures(db.feedback, archive, OCTOBER, min_group_size=5, now=AFTER)
    await db.feedback.record_survey(resp(99, rating=1, at=T0 + timedelta(days=20)))  # stamped in October
    await db.feedback.delete_user_data("user3")
    await db.feedback.purge_older_than(T0 + timedelta(hours=1))
    again = await month_figures(
        db.feedback, archive, OCTOBER, min_group_size=7, now=AFTER + timedelta(days=40)
    )
    assert again == first
    assert first.overall is not None and first.overall.responses == 8 and first.min_group_size == 5


async def test_two_replicas_publishing_a_month_at_once_show_the_same_figures(db: Database) -> None:
    for i in range(6):
        await db.feedback.record_survey(resp(i))
    archive = KvWriteOnce(db.kv)
    a, b = await asyncio.gather(
        month_figures(db.feedback, archive, OCTOBER, min_group_size=5, now=AFTER),
        month_figures(db.feedback, archive, OCTOBER, min_group_size=5, now=AFTER + timedelta(minutes=1)),
    )
    assert a == b


async def test_build_report_shows_each_month_and_the_comments_of_shown_groups(db: Database) -> None:
    rows = [resp(i, works=f"fine {i}", at=T0 + timedelta(hours=i)) for i in range(6)]
    rows += [resp(50 + i, unit="local-arlon", works=f"secret {i}") for i in range(2)]
    rows += [resp(70 + i, unit="local-namur") for i in range(3)]
    rows += [resp(100 + i, at=datetime(2026, 11, 10, tzinfo=UTC), obstacles="slow") for i in range(5)]
    for row in rows:
        await db.feedback.record_survey(row)
    await db.feedback.record_unanswered(UnansweredQuestion("q1", "Waar is mijn badge?", "nl", T0))
    await db.feedback.record_unanswered(
        UnansweredQuestion("q2", "Late vraag", "nl", datetime(2026, 11, 30, 23, tzinfo=UTC))
    )
    report = await build_report(db.feedback, KvWriteOnce(db.kv), [OCTOBER, Month(2026, 11)], 5, now=AFTER)
    assert [m.month for m in report.months] == [OCTOBER, Month(2026, 11)]
    assert [m.overall.responses if m.overall else None for m in report.months] == [11, 5]
    assert [c.works for c in report.comments if c.month == OCTOBER] == [f"fine {i}" for i in range(6)]
    assert all("secret" not in c.works for c in report.comments)
    assert [c.obstacles for c in report.comments if c.month == Month(2026, 11)] == ["slow"] * 5
    # Questions of the closed weeks of October and November; W49 (from 30 Nov) is not over yet.
    assert report.question_weeks[-1].key == "2026-W48"
    assert [c.text for c in report.unanswered] == ["Waar is mijn badge?"]


async def test_the_summary_shows_the_last_closed_month_until_the_next_one_closes(db: Database) -> None:
    for i in range(6):
        await db.feedback.record_survey(resp(i, rating=5))
    archive = KvWriteOnce(db.kv)
    summary = await build_summary(db.feedback, archive, 5, now=datetime(2026, 11, 20, tzinfo=UTC))
    assert (
        summary.month == OCTOBER and summary.responses == 6 and summary.tools == (("teams", "teams", 6, 5.0),)
    )
    await db.feedback.record_survey(resp(50, rating=1, at=datetime(2026, 11, 20, 1, tzinfo=UTC)))
    assert await build_summary(db.feedback, archive, 5, now=datetime(2026, 11, 30, tzinfo=UTC)) == summary


async def test_recent_questions_are_those_of_closed_weeks(db: Database) -> None:
    monday = datetime(2026, 11, 23, 12, tzinfo=UTC)  # W48
    await db.feedback.record_unanswered(UnansweredQuestion("q1", "earlier", "en", monday - timedelta(days=3)))
    await db.feedback.record_unanswered(UnansweredQuestion("q2", "this week", "en", monday))
    weeks, clusters = await recent_questions(db.feedback, monday + timedelta(hours=1), 1, top=5)
    assert [w.key for w in weeks] == ["2026-W47"]
    assert [c.text for c in clusters] == ["earlier"]
    assert date(2026, 11, 16) == weeks[0].monday()
