"""The unanswered questions the ambassadors see (their card and the weekly digest): only what is still
open, grouped, newest first.

Of the questions of closed ISO weeks (fixed periods: docs/anonymity.md), those the knowledge base answers
now and those outside its scope are left out; near-duplicates are grouped (`cluster_questions`), and the
groups are ordered by the last time one of their questions was asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.cards.staff import UnansweredRow
from bot.settings import Settings
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.feedback.periods import Week
from nwow.feedback.report import cluster_questions, fold, questions_in
from nwow.feedback.store import FeedbackStore

__all__ = ["still_open"]


async def still_open(
    store: FeedbackStore, kb: KnowledgeBase, settings: Settings, weeks: Sequence[Week], limit: int
) -> list[UnansweredRow]:
    questions = await questions_in(store, weeks)
    open_now = [
        q
        for q in questions
        if kb.covers(q.text)
        and kb.match(
            q.text, q.lang, threshold=settings.match_threshold, gap=settings.match_ambiguity_gap
        ).status
        == "unanswered"
    ]
    latest: dict[str, datetime] = {}
    for q in open_now:
        key = fold(q.text)
        latest[key] = max(latest.get(key, q.asked_at), q.asked_at)
    rows = [
        UnansweredRow(
            c.text,
            c.count,
            ", ".join(c.langs),
            max((latest[fold(w)] for w in (c.text, *c.variants) if fold(w) in latest), default=None),
        )
        for c in cluster_questions(open_now, top=max(1, len(open_now)))
    ]
    rows.sort(key=lambda r: (r.last_asked is not None, r.last_asked or datetime.min), reverse=True)
    return rows[:limit]
