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
from nwow.feedback.archive import WriteOnce
from nwow.feedback.report import build_summary, recent_questions
from nwow.feedback.report_text import weeks_label
from nwow.feedback.store import FeedbackStore
from nwow.language import Lang

UNANSWERED_WEEKS = 4  # closed ISO weeks in the ambassadors' card
TOP_UNANSWERED = 10


class StaffReports:
    def __init__(
        self,
        settings: Settings,
        store: FeedbackStore,
        archive: WriteOnce,
        *,
        knowledge: Callable[[], KnowledgeBase],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._settings = settings
        self._store = store
        self._archive = archive
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
        numbers = await build_summary(
            self._store, self._archive, self._settings.min_group_size, now=self._clock()
        )
        return render_summary(numbers, lang)

    async def unanswered_card(self, activity: Activity, lang: Lang) -> dict[str, Any] | None:
        if not self.is_ambassador(activity):
            return None
        weeks, clusters = await recent_questions(
            self._store, self._clock(), UNANSWERED_WEEKS, top=TOP_UNANSWERED
        )
        return render_unanswered(
            unanswered_rows(clusters, TOP_UNANSWERED), lang, period=weeks_label(weeks, lang)
        )
