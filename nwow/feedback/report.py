"""The DRI feedback report: figures per tool, per unit and per week, with small groups suppressed.

Anonymity rules (as in Viva Pulse / Glint):
- a group (a tool, a unit, a week, a tool in a week) with fewer than `min_group_size` distinct respondents
  is suppressed: no count, no mean, no spread, and none of its comments;
- when the suppressed groups of a breakdown hold fewer than `min_group_size` respondents together, the
  overall total minus the shown groups would reveal them, so the smallest shown groups are suppressed too
  ("complementary suppression") until the hidden part is large enough;
- a comment is shown only when both its tool and its unit are shown, listed under its tool, with no
  unit, date or user beside it.
Unanswered questions carry no identity; near-duplicates (rapidfuzz on folded text) are counted together.
"""

from __future__ import annotations

import asyncio
import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from nwow.feedback.models import SurveyResponse, UnansweredQuestion, Vote
from nwow.feedback.store import FeedbackStore
from nwow.language import fold as fold_accents

REPORT_TZ: Final = ZoneInfo("Europe/Brussels")
NEAR_DUPLICATE_SCORE: Final = 88.0
MAX_CLUSTERED_TEXTS: Final = 5000
TOP_UNANSWERED: Final = 15
TOP_THUMBS_DOWN: Final = 10

SUPPRESSED_SMALL: Final = "small"
SUPPRESSED_COMPLEMENTARY: Final = "complementary"


@dataclass(frozen=True)
class RatingStats:
    respondents: int
    responses: int
    mean: float
    stdev: float
    distribution: tuple[int, int, int, int, int]  # responses rated 1..5


@dataclass(frozen=True)
class GroupRow:
    """One row of a breakdown: `stats` is None when the group is suppressed (see `suppressed`)."""

    key: str
    label: str
    stats: RatingStats | None
    suppressed: str | None = None  # None, SUPPRESSED_SMALL or SUPPRESSED_COMPLEMENTARY

    @property
    def shown(self) -> bool:
        return self.stats is not None


@dataclass(frozen=True)
class WeekRow:
    week: str  # ISO week, e.g. "2026-W45"
    starts: date
    row: GroupRow


@dataclass(frozen=True)
class ToolTrend:
    key: str
    label: str
    means: tuple[float | None, ...]  # one per week of Report.weeks; None when suppressed or empty


@dataclass(frozen=True)
class QuestionCluster:
    text: str  # the most frequent wording
    count: int
    variants: tuple[str, ...]  # other wordings, most frequent first
    langs: tuple[str, ...]


@dataclass(frozen=True)
class EntryVotes:
    entry_id: str
    label: str
    up: int
    down: int


@dataclass(frozen=True)
class Comment:
    tool: str
    tool_label: str
    works: str
    obstacles: str


@dataclass(frozen=True)
class Report:
    since: datetime
    until: datetime
    generated_at: datetime
    min_group_size: int
    overall: GroupRow
    by_tool: tuple[GroupRow, ...]
    by_unit: tuple[GroupRow, ...]
    weeks: tuple[WeekRow, ...]
    tool_trends: tuple[ToolTrend, ...]
    unanswered: tuple[QuestionCluster, ...]
    unanswered_total: int
    thumbs_down: tuple[EntryVotes, ...]
    votes_up: int
    votes_down: int
    comments: tuple[Comment, ...]
    withheld_comments: int
    labels: Mapping[str, str] = field(default_factory=dict)


_NOT_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """`nwow.language.fold` (lower-case, accents removed), with punctuation to spaces and whitespace
    collapsed: for near-duplicate checks."""
    return " ".join(_NOT_WORD.sub(" ", fold_accents(text)).split())


def iso_week(moment: datetime) -> tuple[str, date]:
    """The ISO week of `moment` in Brussels time, and the Monday it starts."""
    local = moment.astimezone(REPORT_TZ).date()
    year, week, weekday = local.isocalendar()
    return f"{year}-W{week:02d}", local - timedelta(days=weekday - 1)


def _weeks_between(since: datetime, until: datetime) -> list[tuple[str, date]]:
    weeks: list[tuple[str, date]] = []
    last = until - timedelta(microseconds=1)
    key, monday = iso_week(since)
    end_key, _ = iso_week(last)
    while True:
        weeks.append((key, monday))
        if key == end_key or len(weeks) > 600:
            return weeks
        monday += timedelta(days=7)
        key, monday = iso_week(datetime.combine(monday, datetime.min.time(), REPORT_TZ))


def rating_stats(responses: Sequence[SurveyResponse]) -> RatingStats:
    ratings = [r.rating for r in responses]
    counts = Counter(ratings)
    return RatingStats(
        respondents=len({r.user_key for r in responses}),
        responses=len(ratings),
        mean=statistics.fmean(ratings),
        stdev=statistics.stdev(ratings) if len(ratings) > 1 else 0.0,
        distribution=(counts[1], counts[2], counts[3], counts[4], counts[5]),
    )


def breakdown(
    groups: Mapping[str, Sequence[SurveyResponse]],
    label: Callable[[str], str],
    min_group_size: int,
) -> tuple[GroupRow, ...]:
    """Rows for each group, with small and complementary suppression applied; shown rows first."""
    stats = {key: rating_stats(rows) for key, rows in groups.items() if rows}
    small = {key for key, s in stats.items() if s.respondents < min_group_size}
    hidden = set(small)
    complementary: set[str] = set()

    def hidden_respondents() -> int:
        return len({r.user_key for key in hidden for r in groups[key]})

    # If what is hidden is itself a small group, the shown rows plus the total would reveal it.
    while hidden and 0 < hidden_respondents() < min_group_size:
        candidates = sorted((s.respondents, key) for key, s in stats.items() if key not in hidden)
        if not candidates:
            break
        _, smallest = candidates[0]
        hidden.add(smallest)
        complementary.add(smallest)

    shown = sorted(
        (key for key in stats if key not in hidden), key=lambda k: (-stats[k].responses, label(k).casefold())
    )
    rows = [GroupRow(key, label(key), stats[key]) for key in shown]
    rows += [
        GroupRow(key, label(key), None, SUPPRESSED_SMALL if key in small else SUPPRESSED_COMPLEMENTARY)
        for key in sorted(hidden, key=lambda k: label(k).casefold())
    ]
    return tuple(rows)


def overall_row(responses: Sequence[SurveyResponse], min_group_size: int) -> GroupRow:
    if not responses:
        return GroupRow("all", "all", None, None)
    stats = rating_stats(responses)
    if stats.respondents < min_group_size:
        return GroupRow("all", "all", None, SUPPRESSED_SMALL)
    return GroupRow("all", "all", stats)


def cluster_questions(
    questions: Iterable[UnansweredQuestion], *, top: int = TOP_UNANSWERED
) -> list[QuestionCluster]:
    """Group near-duplicate questions; the biggest groups first."""
    wordings: dict[str, Counter[str]] = defaultdict(Counter)
    langs: dict[str, Counter[str]] = defaultdict(Counter)
    for q in questions:
        key = fold(q.text)
        if not key:
            continue
        wordings[key][q.text.strip()] += 1
        langs[key][q.lang] += 1
    by_count = sorted(wordings, key=lambda k: (-sum(wordings[k].values()), k))[:MAX_CLUSTERED_TEXTS]
    heads: list[str] = []
    members: dict[str, list[str]] = {}
    for key in by_count:
        match = process.extractOne(
            key, heads, scorer=fuzz.token_sort_ratio, score_cutoff=NEAR_DUPLICATE_SCORE
        )
        if match is None:
            heads.append(key)
            members[key] = [key]
        else:
            members[match[0]].append(key)
    clusters: list[QuestionCluster] = []
    for head in heads:
        texts: Counter[str] = Counter()
        cluster_langs: Counter[str] = Counter()
        for key in members[head]:
            texts.update(wordings[key])
            cluster_langs.update(langs[key])
        ranked = [text for text, _ in sorted(texts.items(), key=lambda kv: (-kv[1], kv[0]))]
        clusters.append(
            QuestionCluster(
                text=ranked[0],
                count=sum(texts.values()),
                variants=tuple(ranked[1:6]),
                langs=tuple(lang for lang, _ in cluster_langs.most_common()),
            )
        )
    clusters.sort(key=lambda c: (-c.count, fold(c.text)))
    return clusters[:top]


def entry_votes(votes: Iterable[Vote], label: Callable[[str], str]) -> tuple[list[EntryVotes], int, int]:
    up: Counter[str] = Counter()
    down: Counter[str] = Counter()
    for v in votes:
        (up if v.helpful else down)[v.entry_id] += 1
    ranked = sorted(down, key=lambda e: (-down[e], up[e], e))
    rows = [EntryVotes(e, label(e), up[e], down[e]) for e in ranked[:TOP_THUMBS_DOWN]]
    return rows, sum(up.values()), sum(down.values())


def compose_report(
    surveys: Sequence[SurveyResponse],
    votes: Sequence[Vote],
    questions: Sequence[UnansweredQuestion],
    *,
    since: datetime,
    until: datetime,
    min_group_size: int,
    labels: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Report:
    """The report from rows already read (pure). `labels` maps "tool:<id>", "unit:<id>", "entry:<id>" to names."""
    if min_group_size < 1:
        raise ValueError("min_group_size must be at least 1")
    names = dict(labels or {})

    def label_of(kind: str) -> Callable[[str], str]:
        return lambda key: names.get(f"{kind}:{key}", key)

    by_tool: dict[str, list[SurveyResponse]] = defaultdict(list)
    by_unit: dict[str, list[SurveyResponse]] = defaultdict(list)
    by_week: dict[str, list[SurveyResponse]] = defaultdict(list)
    by_tool_week: dict[tuple[str, str], list[SurveyResponse]] = defaultdict(list)
    for r in surveys:
        week, _ = iso_week(r.submitted_at)
        by_tool[r.tool].append(r)
        by_unit[r.unit].append(r)
        by_week[week].append(r)
        by_tool_week[(r.tool, week)].append(r)

    tool_rows = breakdown(by_tool, label_of("tool"), min_group_size)
    unit_rows = breakdown(by_unit, label_of("unit"), min_group_size)
    calendar = _weeks_between(since, until)
    week_rows_by_key = {row.key: row for row in breakdown(by_week, lambda k: k, min_group_size)}
    weeks = tuple(
        WeekRow(key, monday, week_rows_by_key.get(key, GroupRow(key, key, None, None)))
        for key, monday in calendar
    )

    trends: list[ToolTrend] = []
    for row in tool_rows:
        if not row.shown:
            continue
        means: list[float | None] = []
        for key, _ in calendar:
            cell = by_tool_week.get((row.key, key), [])
            respondents = len({r.user_key for r in cell})
            means.append(
                statistics.fmean(r.rating for r in cell) if cell and respondents >= min_group_size else None
            )
        trends.append(ToolTrend(row.key, row.label, tuple(means)))

    shown_tools = {row.key for row in tool_rows if row.shown}
    shown_units = {row.key for row in unit_rows if row.shown}
    comments: list[Comment] = []
    withheld = 0
    for r in sorted(surveys, key=lambda s: (s.tool, s.submitted_at, s.submission_id)):
        if not (r.works.strip() or r.obstacles.strip()):
            continue
        if r.tool in shown_tools and r.unit in shown_units:
            comments.append(Comment(r.tool, label_of("tool")(r.tool), r.works.strip(), r.obstacles.strip()))
        else:
            withheld += 1

    thumbs, up, down = entry_votes(votes, label_of("entry"))
    return Report(
        since=since,
        until=until,
        generated_at=now or datetime.now(UTC),
        min_group_size=min_group_size,
        overall=overall_row(surveys, min_group_size),
        by_tool=tool_rows,
        by_unit=unit_rows,
        weeks=weeks,
        tool_trends=tuple(trends),
        unanswered=tuple(cluster_questions(questions)),
        unanswered_total=len(questions),
        thumbs_down=tuple(thumbs),
        votes_up=up,
        votes_down=down,
        comments=tuple(comments),
        withheld_comments=withheld,
        labels=names,
    )


async def build_report(
    store: FeedbackStore,
    since: datetime,
    until: datetime,
    min_group_size: int,
    *,
    labels: Mapping[str, str] | None = None,
) -> Report:
    """Read the period [since, until) from the store and compose the report (the composing runs in a thread)."""
    surveys = await store.surveys_between(since, until)
    votes = await store.votes_between(since, until)
    questions = await store.unanswered_between(since, until)
    return await asyncio.to_thread(
        compose_report,
        surveys,
        votes,
        questions,
        since=since,
        until=until,
        min_group_size=min_group_size,
        labels=labels,
    )


@dataclass(frozen=True)
class SummaryNumbers:
    """What the Teams summary card shows; every figure respects the report's suppression."""

    days: int
    since: datetime
    until: datetime
    min_group_size: int
    responses: int | None  # None when the whole period is suppressed or empty
    respondents: int | None
    mean: float | None
    stdev: float | None
    tools: tuple[tuple[str, str, int, float], ...]  # (tool id, label, responses, mean), shown tools only
    suppressed_groups: int
    unanswered: int
    top_unanswered: tuple[tuple[str, int], ...]
    votes_up: int
    votes_down: int
    most_thumbs_down: tuple[tuple[str, str, int], ...]  # (entry id, label, down)


SUMMARY_DAYS: Final = 30


def summary_period(now: datetime, days: int = SUMMARY_DAYS) -> tuple[datetime, datetime]:
    """The last `days` days up to `now`: [now - days, now)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now - timedelta(days=days), now


def summary_numbers(report: Report, *, top: int = 3) -> SummaryNumbers:
    """The figures of a Teams summary card, from a report (pure)."""
    overall = report.overall.stats
    days = max(1, math.ceil((report.until - report.since) / timedelta(days=1)))
    return SummaryNumbers(
        days=days,
        since=report.since,
        until=report.until,
        min_group_size=report.min_group_size,
        responses=overall.responses if overall else None,
        respondents=overall.respondents if overall else None,
        mean=overall.mean if overall else None,
        stdev=overall.stdev if overall else None,
        tools=tuple((r.key, r.label, r.stats.responses, r.stats.mean) for r in report.by_tool if r.stats),
        suppressed_groups=sum(1 for r in (*report.by_tool, *report.by_unit) if r.suppressed),
        unanswered=report.unanswered_total,
        top_unanswered=tuple((c.text, c.count) for c in report.unanswered[:top]),
        votes_up=report.votes_up,
        votes_down=report.votes_down,
        most_thumbs_down=tuple((e.entry_id, e.label, e.down) for e in report.thumbs_down[:top]),
    )
