"""The report's figures and its anonymity rules (pure: compose_report on hand-made rows)."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import pytest

from nwow.feedback.models import SurveyResponse, UnansweredQuestion, Vote
from nwow.feedback.report import (
    SUPPRESSED_COMPLEMENTARY,
    SUPPRESSED_SMALL,
    Report,
    build_report,
    cluster_questions,
    compose_report,
    fold,
    iso_week,
    summary_numbers,
    summary_period,
)
from nwow.storage import open_database

SINCE = datetime(2026, 10, 5, tzinfo=UTC)  # a Monday
UNTIL = datetime(2026, 11, 1, 23, tzinfo=UTC)  # Monday 2026-11-02 00:00 in Brussels
T0 = datetime(2026, 10, 6, 10, 0, tzinfo=UTC)


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


def compose(surveys: list[SurveyResponse], **kwargs: object) -> Report:
    params: dict[str, object] = {"since": SINCE, "until": UNTIL, "min_group_size": 5, "now": UNTIL}
    params.update(kwargs)
    return compose_report(surveys, [], [], **params)  # type: ignore[arg-type]


def test_mean_spread_and_distribution() -> None:
    ratings = [1, 2, 4, 5, 5, 3]
    report = compose([resp(i, rating=r) for i, r in enumerate(ratings)])
    stats = report.overall.stats
    assert stats is not None
    assert stats.responses == 6 and stats.respondents == 6
    assert stats.mean == pytest.approx(statistics.fmean(ratings))
    assert stats.stdev == pytest.approx(statistics.stdev(ratings))
    assert stats.distribution == (1, 1, 1, 1, 2)


def test_a_group_below_the_minimum_is_suppressed_with_its_comments() -> None:
    big = [resp(i, unit="fed-dri", works=f"fine {i}") for i in range(6)]
    big += [resp(100 + i, unit="local-namur", works=f"ok {i}") for i in range(6)]
    big += [resp(200 + i, unit="fed-dgj", works=f"meh {i}") for i in range(7)]
    small = [resp(300 + i, unit="local-arlon", works=f"secret {i}", rating=1) for i in range(4)]
    small += [resp(400 + i, unit="local-eupen", obstacles=f"secret {i}") for i in range(3)]
    report = compose(big + small)
    units = {row.key: row for row in report.by_unit}
    assert units["local-arlon"].stats is None
    assert units["local-arlon"].suppressed == SUPPRESSED_SMALL
    # The small group's comments are withheld everywhere, also under its (shown) tool.
    assert all("secret" not in c.works + c.obstacles for c in report.comments)
    assert report.withheld_comments == 7
    assert {c.works for c in report.comments} >= {"fine 0", "ok 5", "meh 6"}
    # The tool row still counts everyone: it is a group of 23 people.
    teams = report.by_tool[0]
    assert teams.stats is not None and teams.stats.respondents == 26


def test_the_smallest_shown_group_is_hidden_too_when_only_one_small_group_is_hidden() -> None:
    rows = [resp(i, unit="fed-dri") for i in range(20)]
    rows += [resp(100 + i, unit="local-namur") for i in range(6)]
    rows += [resp(200 + i, unit="local-arlon", rating=1) for i in range(2)]
    report = compose(rows)
    units = {row.key: row for row in report.by_unit}
    assert units["local-arlon"].suppressed == SUPPRESSED_SMALL
    # Otherwise total minus fed-dri minus local-namur would give local-arlon's numbers.
    assert units["local-namur"].suppressed == SUPPRESSED_COMPLEMENTARY
    assert units["fed-dri"].stats is not None
    # Shown rows come first.
    assert [row.key for row in report.by_unit] == ["fed-dri", "local-arlon", "local-namur"]


def test_no_complementary_suppression_when_the_hidden_part_is_big_enough() -> None:
    rows = [resp(i, unit="fed-dri") for i in range(20)]
    rows += [resp(100 + i, unit="local-namur") for i in range(6)]
    rows += [resp(200 + i, unit="local-arlon") for i in range(3)]
    rows += [resp(300 + i, unit="local-eupen") for i in range(3)]
    report = compose(rows)
    units = {row.key: row for row in report.by_unit}
    assert units["local-namur"].stats is not None
    assert units["local-arlon"].suppressed == units["local-eupen"].suppressed == SUPPRESSED_SMALL


def test_respondents_are_distinct_people_not_responses() -> None:
    rows = [resp(i, user="same-person", unit="local-arlon") for i in range(12)]
    rows += [resp(100 + i) for i in range(10)]
    report = compose(rows)
    units = {row.key: row for row in report.by_unit}
    assert units["local-arlon"].stats is None


def test_everything_is_suppressed_when_the_whole_period_is_small() -> None:
    report = compose([resp(i, works="hello") for i in range(3)])
    assert report.overall.stats is None and report.overall.suppressed == SUPPRESSED_SMALL
    assert all(row.stats is None for row in (*report.by_tool, *report.by_unit))
    assert report.comments == () and report.withheld_comments == 3
    assert all(w.row.stats is None for w in report.weeks)
    assert report.tool_trends == ()


def test_weeks_are_iso_weeks_in_belgian_time() -> None:
    # Sunday 2026-10-11 23:30 UTC is Monday 01:30 in Brussels: week 42, not 41.
    assert iso_week(datetime(2026, 10, 11, 23, 30, tzinfo=UTC))[0] == "2026-W42"
    assert iso_week(datetime(2026, 10, 11, 21, 30, tzinfo=UTC))[0] == "2026-W41"
    rows = [resp(i, at=T0 + timedelta(days=7 * (i % 3))) for i in range(30)]
    report = compose(rows)
    assert [w.week for w in report.weeks] == ["2026-W41", "2026-W42", "2026-W43", "2026-W44"]
    assert [w.starts.isoformat() for w in report.weeks][:2] == ["2026-10-05", "2026-10-12"]
    assert [w.row.stats.responses if w.row.stats else None for w in report.weeks] == [10, 10, 10, None]
    assert report.weeks[-1].row.suppressed is None  # an empty week is not "suppressed"
    [trend] = report.tool_trends
    assert trend.means == (4.0, 4.0, 4.0, None)


def test_tool_trend_cells_with_few_respondents_are_left_out() -> None:
    rows = [resp(i, tool="teams") for i in range(10)]
    rows += [resp(100 + i, tool="yammer", at=T0 + timedelta(days=7 * (i % 2))) for i in range(8)]
    report = compose(rows)
    yammer = next(t for t in report.tool_trends if t.key == "yammer")
    assert yammer.means[:2] == (None, None)  # 4 respondents each week


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


def test_thumbs_down_ranking() -> None:
    votes = [
        Vote(f"v{i}", f"u{i}", entry, f"a{i}", helpful, "nl", T0)
        for i, (entry, helpful) in enumerate(
            [("vpn", False)] * 3 + [("vpn", True)] + [("teams", False)] * 3 + [("mfa", True)] * 4
        )
    ]
    report = compose_report(
        [], votes, [], since=SINCE, until=UNTIL, min_group_size=5, labels={"entry:vpn": "VPN"}
    )
    assert [(e.entry_id, e.label, e.down, e.up) for e in report.thumbs_down] == [
        ("teams", "teams", 3, 0),
        ("vpn", "VPN", 3, 1),
    ]
    assert (report.votes_up, report.votes_down) == (5, 6)


def test_summary_numbers_follow_the_suppression() -> None:
    rows = [resp(i, tool="teams", rating=5) for i in range(7)]
    rows += [resp(20 + i, tool="office365") for i in range(6)]
    rows += [resp(50 + i, tool="yammer") for i in range(2)]
    summary = summary_numbers(compose(rows, labels={"tool:teams": "Teams"}))
    assert summary.responses == 15 and summary.respondents == 15
    # yammer is small; office365 is hidden with it, else total minus teams would reveal yammer.
    assert summary.tools == (("teams", "Teams", 7, 5.0),)
    assert summary.suppressed_groups == 2
    assert summary.days == 28
    empty = summary_numbers(compose(rows[:2]))
    assert empty.responses is None and empty.mean is None and empty.tools == ()


def test_summary_period_is_the_last_30_days() -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert summary_period(now) == (now - timedelta(days=30), now)
    with pytest.raises(ValueError):
        summary_period(datetime(2026, 11, 23))


async def test_build_report_reads_the_period_from_the_store(tmp_path: object) -> None:
    db = await open_database(f"sqlite:///{tmp_path}/nwow.sqlite3")
    try:
        for i in range(6):
            await db.feedback.record_survey(resp(i, at=T0))
        await db.feedback.record_survey(resp(99, at=UNTIL))  # the end is excluded
        await db.feedback.record_unanswered(UnansweredQuestion("q1", "Waar is mijn badge?", "nl", T0))
        report = await build_report(db.feedback, SINCE, UNTIL, 5)
    finally:
        await db.close()
    assert report.overall.stats is not None and report.overall.stats.responses == 6
    assert report.unanswered_total == 1 and report.unanswered[0].text == "Waar is mijn badge?"
