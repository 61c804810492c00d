"""The published figures of one closed month, computed once under the disclosure rules and then frozen.

Ratings: the month's total, each tool and each unit that `disclosure.protect` lets through, and the rest of
each breakdown taken together (the total minus the shown rows: an attacker can compute it, and it is
protected like a row). Votes on FAQ answers: the same for FAQ entries. Groups that are not shown are not
named either: naming them would tell that somebody in them answered.

`encode`/`decode` turn the figures into the JSON document that `archive` keeps, so that every later report,
card and digest shows exactly what was published the first time.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from nwow.feedback.disclosure import Cell, Dimension, Entry, Protection, Rule, protect
from nwow.feedback.models import MAX_RATING, MIN_RATING, SurveyResponse, Vote
from nwow.feedback.periods import Month

FORMAT_VERSION: Final = 1
MAX_SHARE: Final = 0.5  # no one may have given more than half of a shown group's answers
TOOL: Final = Dimension("tool")
UNIT: Final = Dimension("unit")
ENTRY: Final = Dimension("entry")


@dataclass(frozen=True)
class RatingStats:
    respondents: int
    responses: int
    mean: float
    stdev: float
    distribution: tuple[int, ...]  # responses rated 1..5


@dataclass(frozen=True)
class GroupFigure:
    """A shown group: a tool, a unit, or "the others together" (key REST)."""

    key: str
    stats: RatingStats


@dataclass(frozen=True)
class VoteFigure:
    key: str  # an FAQ entry id, ALL or REST
    voters: int
    up: int
    down: int


ALL: Final = "all"
REST: Final = "rest"


@dataclass(frozen=True)
class MonthFigures:
    month: Month
    min_group_size: int
    max_share: float
    frozen_at: datetime
    overall: RatingStats | None  # None: no answers, or too few people to show anything
    tools: tuple[GroupFigure, ...]  # shown tools, then REST when the others hold answers
    units: tuple[GroupFigure, ...]
    votes: VoteFigure | None  # every vote of the month; None when too few voters
    entries: tuple[VoteFigure, ...]  # shown FAQ entries, then REST

    def shows(self, dimension: str, key: str) -> bool:
        """Whether `key` of `dimension` ("tool" or "unit") has a row of its own."""
        rows = self.tools if dimension == TOOL.name else self.units
        return key != REST and any(row.key == key for row in rows)


def rating_stats(ratings: Sequence[int], respondents: int) -> RatingStats:
    counts = Counter(ratings)
    return RatingStats(
        respondents=respondents,
        responses=len(ratings),
        mean=statistics.fmean(ratings),
        stdev=statistics.stdev(ratings) if len(ratings) > 1 else 0.0,
        distribution=tuple(counts[n] for n in range(MIN_RATING, MAX_RATING + 1)),
    )


def _stats(rows: Sequence[SurveyResponse]) -> RatingStats:
    return rating_stats([r.rating for r in rows], len({r.user_key for r in rows}))


def _breakdown(
    rows: Sequence[SurveyResponse],
    protection: Protection,
    dimension: Dimension,
    key: Callable[[SurveyResponse], str],
) -> tuple[GroupFigure, ...]:
    shown: dict[str, list[SurveyResponse]] = {}
    rest: list[SurveyResponse] = []
    for r in rows:
        if protection.shown(Cell(dimension.name, key(r))):
            shown.setdefault(key(r), []).append(r)
        else:
            rest.append(r)
    figures = [GroupFigure(k, _stats(group)) for k, group in sorted(shown.items())]
    if rest:
        figures.append(GroupFigure(REST, _stats(rest)))
    return tuple(figures)


def _vote_figure(key: str, votes: Sequence[Vote]) -> VoteFigure:
    up = sum(1 for v in votes if v.helpful)
    return VoteFigure(key, len({v.user_key for v in votes}), up, len(votes) - up)


def compute_month(
    month: Month,
    surveys: Sequence[SurveyResponse],
    votes: Sequence[Vote],
    *,
    min_group_size: int,
    frozen_at: datetime,
    max_share: float = MAX_SHARE,
) -> MonthFigures:
    """The figures of `month` from its rows (pure; rows outside the month are refused)."""
    since, until = month.bounds()
    if any(not since <= r.submitted_at < until for r in surveys) or any(
        not since <= v.voted_at < until for v in votes
    ):
        raise ValueError(f"rows outside {month} given for its figures")
    rule = Rule(min_group_size, max_share)
    ratings = protect([Entry(r.user_key, (r.tool, r.unit)) for r in surveys], [TOOL, UNIT], rule)
    overall = _stats(surveys) if surveys and ratings.shown(Cell.total()) else None
    tools = _breakdown(surveys, ratings, TOOL, lambda r: r.tool) if overall else ()
    units = _breakdown(surveys, ratings, UNIT, lambda r: r.unit) if overall else ()

    voting = protect([Entry(v.user_key, (v.entry_id,)) for v in votes], [ENTRY], rule)
    shown_votes = votes and voting.shown(Cell.total())
    entries: list[VoteFigure] = []
    if shown_votes:
        by_entry: dict[str, list[Vote]] = {}
        for v in votes:
            by_entry.setdefault(
                v.entry_id if voting.shown(Cell(ENTRY.name, v.entry_id)) else REST, []
            ).append(v)
        entries = [_vote_figure(key, group) for key, group in sorted(by_entry.items()) if key != REST]
        entries.sort(key=lambda e: (-e.down, e.up, e.key))
        if REST in by_entry:
            entries.append(_vote_figure(REST, by_entry[REST]))
    return MonthFigures(
        month=month,
        min_group_size=min_group_size,
        max_share=max_share,
        frozen_at=frozen_at,
        overall=overall,
        tools=tools,
        units=units,
        votes=_vote_figure(ALL, votes) if shown_votes else None,
        entries=tuple(entries),
    )


# ---------------------------------------------------------------- the frozen document


def _stats_json(s: RatingStats) -> dict[str, Any]:
    return {
        "respondents": s.respondents,
        "responses": s.responses,
        "mean": s.mean,
        "stdev": s.stdev,
        "distribution": list(s.distribution),
    }


def _stats_of(doc: Mapping[str, Any]) -> RatingStats:
    return RatingStats(
        respondents=int(doc["respondents"]),
        responses=int(doc["responses"]),
        mean=float(doc["mean"]),
        stdev=float(doc["stdev"]),
        distribution=tuple(int(n) for n in doc["distribution"]),
    )


def _vote_json(v: VoteFigure) -> dict[str, Any]:
    return {"key": v.key, "voters": v.voters, "up": v.up, "down": v.down}


def _vote_of(doc: Mapping[str, Any]) -> VoteFigure:
    return VoteFigure(str(doc["key"]), int(doc["voters"]), int(doc["up"]), int(doc["down"]))


def encode(figures: MonthFigures) -> str:
    def groups(rows: Sequence[GroupFigure]) -> list[dict[str, Any]]:
        return [{"key": g.key, **_stats_json(g.stats)} for g in rows]

    return json.dumps(
        {
            "version": FORMAT_VERSION,
            "month": figures.month.key,
            "min_group_size": figures.min_group_size,
            "max_share": figures.max_share,
            "frozen_at": figures.frozen_at.isoformat(),
            "overall": _stats_json(figures.overall) if figures.overall else None,
            "tools": groups(figures.tools),
            "units": groups(figures.units),
            "votes": _vote_json(figures.votes) if figures.votes else None,
            "entries": [_vote_json(v) for v in figures.entries],
        },
        sort_keys=True,
    )


class FiguresUnreadable(ValueError):
    """A kept document is not figures this version can read (never recomputed: that would change them)."""


def decode(text: str) -> MonthFigures:
    """The figures from their document; FiguresUnreadable when it is not one this version wrote."""
    try:
        doc = json.loads(text)
        if doc.get("version") != FORMAT_VERSION:
            raise FiguresUnreadable(
                f"frozen figures in format {doc.get('version')!r}; this version reads {FORMAT_VERSION}"
            )
        return MonthFigures(
            month=Month.parse(doc["month"]),
            min_group_size=int(doc["min_group_size"]),
            max_share=float(doc["max_share"]),
            frozen_at=datetime.fromisoformat(doc["frozen_at"]),
            overall=_stats_of(doc["overall"]) if doc["overall"] else None,
            tools=tuple(GroupFigure(str(g["key"]), _stats_of(g)) for g in doc["tools"]),
            units=tuple(GroupFigure(str(g["key"]), _stats_of(g)) for g in doc["units"]),
            votes=_vote_of(doc["votes"]) if doc["votes"] else None,
            entries=tuple(_vote_of(v) for v in doc["entries"]),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, FiguresUnreadable):
            raise
        raise FiguresUnreadable(f"not a document of frozen monthly figures: {exc!r}") from exc
