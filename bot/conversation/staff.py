"""What DRI and the ambassadors may ask in Teams: the feedback summary and the unanswered questions.

Membership is by Entra object id, listed in the settings; anyone else gets `None` (the handler refuses
politely and logs the attempt).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botbuilder.schema import Activity

from bot.cards.staff import render_summary, render_unanswered, unanswered_rows
from bot.conversation.identity import entra_object_id
from bot.settings import Settings
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.feedback.report import build_report, summary_numbers, summary_period
from nwow.feedback.store import FeedbackStore
from nwow.language import Lang

SUMMARY_DAYS = 30
TOP_UNANSWERED = 10


class StaffReports:
    def __init__(
        self,
        settings: Settings,
        store: FeedbackStore,
        *,
        knowledge: Callable[[], KnowledgeBase],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._settings = settings
        self._store = store
        self._knowledge = knowledge
        self._clock = clock

    def is_dri(self, activity: Activity) -> bool:
        user = entra_object_id(activity)
        return user is not None and user in self._settings.dri_members

    def is_ambassador(self, activity: Activity) -> bool:
        user = entra_object_id(activity)
        if user is None:
            return False
        return user in self._settings.ambassador_members or user in self._settings.dri_members

    async def summary_card(self, activity: Activity, lang: Lang) -> dict[str, Any] | None:
        if not self.is_dri(activity):
            return None
        since, until = summary_period(self._clock(), SUMMARY_DAYS)
        report = await build_report(self._store, since, until, self._settings.min_group_size)
        return render_summary(summary_numbers(report), lang)

    async def unanswered_card(self, activity: Activity, lang: Lang) -> dict[str, Any] | None:
        if not self.is_ambassador(activity):
            return None
        since, until = summary_period(self._clock(), SUMMARY_DAYS)
        report = await build_report(self._store, since, until, self._settings.min_group_size)
        return render_unanswered(unanswered_rows(report, TOP_UNANSWERED), lang, days=SUMMARY_DAYS)
