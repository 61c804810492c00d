"""What DRI and the ambassadors may ask in Teams: the feedback summary (with where questions ended and the
latest pulses) and the unanswered questions (those waiting for an ambassador, and those the FAQ still
cannot answer).

DRI membership is by Entra object id, listed in the settings; ambassadors are the members of the
ambassadors' team or listed (bot/conversation/ambassadors.py). Anyone else gets `None` (the handler refuses
politely and logs the attempt).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from botbuilder.schema import Activity

from bot.cards.outcomes import outcome_elements
from bot.cards.staff import WaitingGroup, render_summary, render_unanswered
from bot.cards.summary_pulses import MAX_PULSES, pulse_elements
from bot.conversation.ambassadors import is_ambassador
from bot.conversation.identity import entra_object_id
from bot.conversation.unanswered import still_open
from bot.settings import Settings
from bot.strings import t
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.feedback.archive import WriteOnce
from nwow.feedback.periods import last_closed_month, last_closed_weeks
from nwow.feedback.report import build_summary
from nwow.feedback.report_text import weeks_label
from nwow.feedback.store import FeedbackStore
from nwow.feedback.units import Units
from nwow.language import Lang
from nwow.pulses.published import pulse_reports
from nwow.pulses.store import PulseStore
from nwow.tickets import TicketStatus, TicketStore
from nwow.tickets.outcomes import month_outcomes, open_questions, week_outcomes
from nwow.tickets.store import QuestionLog

UNANSWERED_WEEKS: Final = 4  # closed ISO weeks in the ambassadors' card
TOP_UNANSWERED: Final = 10
WAITING_SHOWN: Final = 20
TREND_WEEKS: Final = 4


@dataclass(frozen=True)
class TicketSources:
    """Where the staff cards read the questions for the ambassadors and where questions ended."""

    tickets: TicketStore
    questions: QuestionLog
    units: Callable[[], Units]


class StaffReports:
    def __init__(
        self,
        settings: Settings,
        store: FeedbackStore,
        archive: WriteOnce,
        *,
        knowledge: Callable[[], KnowledgeBase],
        tickets: TicketSources | None = None,
        pulses: PulseStore | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._settings = settings
        self._store = store
        self._archive = archive
        self._knowledge = knowledge
        self._tickets = tickets
        self._pulses = pulses
        self._clock = clock

    def is_dri(self, activity: Activity) -> bool:
        user = entra_object_id(activity)
        return user is not None and user in self._settings.dri_members

    def is_ambassador(self, activity: Activity) -> bool:
        return is_ambassador(activity, self._settings)

    async def summary_card(self, activity: Activity, lang: Lang) -> dict[str, Any] | None:
        if not self.is_dri(activity):
            return None
        now = self._clock()
        numbers = await build_summary(self._store, self._archive, self._settings.min_group_size, now=now)
        card = render_summary(numbers, lang)
        if self._tickets is not None:
            card["body"] += await self._outcomes(lang, now)
        if self._pulses is not None:
            reports = await pulse_reports(
                self._pulses,
                self._archive,
                min_group_size=self._settings.min_group_size,
                now=now,
                limit=MAX_PULSES,
            )
            card["body"] += pulse_elements(reports, lang)
        return card

    async def _outcomes(self, lang: Lang, now: datetime) -> list[dict[str, Any]]:
        assert self._tickets is not None
        sources = self._tickets
        hours = self._settings.working_hours
        k = self._settings.min_group_size
        month = await month_outcomes(
            sources.questions,
            sources.tickets,
            self._archive,
            last_closed_month(now),
            min_group_size=k,
            hours=hours,
            now=now,
        )
        weeks = [
            await week_outcomes(sources.questions, self._archive, w, min_group_size=k, now=now)
            for w in last_closed_weeks(now, TREND_WEEKS)
        ]
        waiting = await open_questions(sources.tickets, hours, now)
        return outcome_elements(month, weeks, waiting, self._labels(lang), lang)

    def _labels(self, lang: Lang) -> dict[str, str]:
        kb = self._knowledge()
        labels = {
            f"topic:{topic}": kb.topic_name(topic, lang)
            for topic in {*kb.topics, *(e.topic for e in kb.entries.values())}
        }
        if self._tickets is not None:
            units = self._tickets.units()
            labels.update({f"unit:{unit.id}": units.label(unit.id, lang) for unit in units.units})
        return labels

    async def unanswered_card(self, activity: Activity, lang: Lang) -> dict[str, Any] | None:
        if not self.is_ambassador(activity):
            return None
        now = self._clock()
        weeks = last_closed_weeks(now, UNANSWERED_WEEKS)
        rows = await still_open(self._store, self._knowledge(), self._settings, weeks, TOP_UNANSWERED)
        waiting = await self._waiting(lang) if self._tickets is not None else None
        return render_unanswered(
            rows[:TOP_UNANSWERED], lang, period=weeks_label(weeks, lang), waiting=waiting
        )

    async def _waiting(self, lang: Lang) -> list[WaitingGroup]:
        """The questions waiting for an ambassador, grouped by topic, newest first."""
        assert self._tickets is not None
        kb = self._knowledge()
        groups: dict[str, list[tuple[int, datetime, str, str]]] = defaultdict(list)
        for ticket in await self._tickets.tickets.waiting(WAITING_SHOWN):
            heading = kb.topic_name(ticket.topic, lang) if ticket.topic else t("amb.no_topic", lang)
            status = t(
                "myq.status.claimed" if ticket.status is TicketStatus.CLAIMED else "myq.status.open", lang
            )
            groups[heading].append((ticket.number, ticket.created_at, status, ticket.question))
        ordered: Sequence[tuple[str, list[tuple[int, datetime, str, str]]]] = sorted(
            groups.items(), key=lambda item: max(row[1] for row in item[1]), reverse=True
        )
        return [WaitingGroup(heading, rows) for heading, rows in ordered]
