"""The DRI feedback report and the Teams summary, from the published figures of closed months.

Every rating and vote figure comes from `archive.month_figures`: computed once per closed calendar month under
the disclosure rules (`disclosure`, `figures`) and kept, so no two publications of a month differ and no sum
or difference of published figures singles out fewer than the minimum number of respondents
(docs/anonymity.md). Besides the figures a report lists:
- comments, for the months it covers: a comment is shown when both its tool and its unit have a row of their
  own in its month's figures, under its tool, with no unit, date or author, sorted by text (never by time);
- the unanswered questions of the closed ISO weeks that belong to its months (the store keeps no identity
  with them); near-duplicates (rapidfuzz on folded text) are counted together.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from rapidfuzz import fuzz, process

from nwow.feedback.archive import WriteOnce, month_figures
from nwow.feedback.figures import REST, MonthFigures
from nwow.feedback.models import SurveyResponse, UnansweredQuestion
from nwow.feedback.periods import Month, Week, last_closed_month, last_closed_weeks
from nwow.feedback.store import FeedbackStore
from nwow.language import fold as fold_accents

NEAR_DUPLICATE_SCORE: Final = 88.0
MAX_CLUSTERED_TEXTS: Final = 5000
TOP_UNANSWERED: Final = 15
TOP_THUMBS_DOWN: Final = 10


@dataclass(frozen=True)
class QuestionCluster:
    text: str  # the most frequent wording
    count: int
    variants: tuple[str, ...]  # other wordings, most frequent first
    langs: tuple[str, ...]


@dataclass(frozen=True)
class Comment:
    month: Month
    tool: str
    works: str
    obstacles: str
    consented: bool = False  # the respondent agreed to be contacted: their words are shown as written


@dataclass(frozen=True)
class Report:
    months: tuple[MonthFigures, ...]  # oldest first
    generated_at: datetime
    comments: tuple[Comment, ...]
    question_weeks: tuple[Week, ...]  # the closed ISO weeks the unanswered questions are from
    unanswered: tuple[QuestionCluster, ...]
    unanswered_total: int
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def min_group_size(self) -> int:
        """The smallest minimum group size among the months (they keep the one they were published with)."""
        return min((m.min_group_size for m in self.months), default=0)

    def label(self, kind: str, key: str) -> str:
        """The name of a tool, unit or FAQ entry (`kind` "tool", "unit", "entry"); the id when unknown."""
        return self.labels.get(f"{kind}:{key}", key)


_NOT_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """`nwow.language.fold` (lower-case, accents removed), with punctuation to spaces and whitespace
    collapsed: for near-duplicate checks."""
    return " ".join(_NOT_WORD.sub(" ", fold_accents(text)).split())


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


def shown_comments(figures: Sequence[MonthFigures], surveys: Iterable[SurveyResponse]) -> tuple[Comment, ...]:
    """The comments of the months of `figures` whose tool and unit have rows of their own there."""
    by_month = {f.month: f for f in figures}
    comments: list[Comment] = []
    for r in surveys:
        month = by_month.get(Month.of(r.submitted_at))
        works, obstacles = r.works.strip(), r.obstacles.strip()
        if month is None or not (works or obstacles):
            continue
        if month.shows("tool", r.tool) and month.shows("unit", r.unit):
            comments.append(Comment(month.month, r.tool, works, obstacles, r.contact_ok))
    return tuple(sorted(comments, key=lambda c: (c.month, c.tool, fold(c.works + " " + c.obstacles))))


def question_weeks(months: Iterable[Month], now: datetime) -> tuple[Week, ...]:
    """The closed ISO weeks that belong to `months` (a week belongs to the month of its Thursday)."""
    return tuple(w for m in months for w in m.weeks() if w.closed(now))


async def questions_in(store: FeedbackStore, weeks: Sequence[Week]) -> list[UnansweredQuestion]:
    if not weeks:
        return []
    return await store.unanswered_between(weeks[0].bounds()[0], weeks[-1].bounds()[1])


def compose_report(
    figures: Sequence[MonthFigures],
    surveys: Sequence[SurveyResponse],
    questions: Sequence[UnansweredQuestion],
    *,
    weeks: Sequence[Week],
    labels: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Report:
    """The report from published figures and rows already read (pure). `labels` maps "tool:<id>",
    "unit:<id>", "entry:<id>" to names."""
    return Report(
        months=tuple(sorted(figures, key=lambda f: f.month)),
        generated_at=now or datetime.now(UTC),
        comments=shown_comments(figures, surveys),
        question_weeks=tuple(weeks),
        unanswered=tuple(cluster_questions(questions)),
        unanswered_total=len(questions),
        labels=dict(labels or {}),
    )


async def build_report(
    store: FeedbackStore,
    archive: WriteOnce,
    months: Sequence[Month],
    min_group_size: int,
    *,
    labels: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Report:
    """The report on closed `months` (MonthNotClosed for one that is not); months never published before
    are frozen now with `min_group_size`."""
    if not months:
        raise ValueError("a report covers at least one month")
    now = now or datetime.now(UTC)
    figures = [await month_figures(store, archive, m, min_group_size=min_group_size, now=now) for m in months]
    first, last = min(months), max(months)
    surveys = await store.surveys_between(first.bounds()[0], last.bounds()[1])
    weeks = question_weeks(sorted(months), now)
    questions = await questions_in(store, weeks)
    # Clustering thousands of questions takes a while: off the event loop.
    return await asyncio.to_thread(
        compose_report, figures, surveys, questions, weeks=weeks, labels=labels, now=now
    )


@dataclass(frozen=True)
class SummaryNumbers:
    """What the Teams summary card shows: the published figures of the last closed month."""

    month: Month
    min_group_size: int
    responses: int | None  # None when the month shows nothing (no answers, or too few people)
    respondents: int | None
    mean: float | None
    tools: tuple[tuple[str, str, int, float], ...]  # (tool id, label, responses, mean), tools shown alone
    unanswered: int  # questions asked in the month's ISO weeks


def summary_numbers(
    figures: MonthFigures, unanswered: int, labels: Mapping[str, str] | None = None
) -> SummaryNumbers:
    """The figures of a Teams summary card (pure)."""
    names = labels or {}
    overall = figures.overall
    return SummaryNumbers(
        month=figures.month,
        min_group_size=figures.min_group_size,
        responses=overall.responses if overall else None,
        respondents=overall.respondents if overall else None,
        mean=overall.mean if overall else None,
        tools=tuple(
            (g.key, names.get(f"tool:{g.key}", g.key), g.stats.responses, g.stats.mean)
            for g in sorted(figures.tools, key=lambda g: (-g.stats.responses, g.key))
            if g.key != REST
        ),
        unanswered=unanswered,
    )


async def build_summary(
    store: FeedbackStore, archive: WriteOnce, min_group_size: int, *, now: datetime
) -> SummaryNumbers:
    """The summary of the last closed month (the same until the next month closes)."""
    month = last_closed_month(now)
    figures = await month_figures(store, archive, month, min_group_size=min_group_size, now=now)
    questions = await questions_in(store, question_weeks([month], now))
    return summary_numbers(figures, len(questions))


async def recent_questions(
    store: FeedbackStore, now: datetime, weeks: int, *, top: int
) -> tuple[tuple[Week, ...], list[QuestionCluster]]:
    """The most asked unanswered questions of the last `weeks` closed ISO weeks (the same all week long)."""
    closed = last_closed_weeks(now, weeks)
    questions = await questions_in(store, closed)
    return closed, await asyncio.to_thread(cluster_questions, questions, top=top)
