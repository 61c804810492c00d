"""The weekly digest for the ambassadors' team: remembered where to post, posted proactively.

When the bot is installed in the team whose id is `NWOW_AMBASSADOR_TEAM_ID`, it keeps that conversation's
reference in the shared state store. `nwow digest send` and, when `NWOW_DIGEST_SCHEDULE` is set (e.g.
"mon 09:00", Europe/Brussels), a task in the running bot post the digest card there: the figures of the last
closed month and the unanswered questions of the last closed ISO week (fixed periods: docs/anonymity.md).
With several replicas, an e_tag-guarded claim per ISO week makes exactly one of them post.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import statistics
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any, Final

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot.cards.message import card_message
from bot.cards.staff import TicketWeek, render_digest
from bot.conversation.unanswered import still_open
from bot.log_redaction import describe, redacted_traceback
from bot.settings import Settings
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.feedback.periods import last_closed_weeks
from nwow.feedback.report import build_summary
from nwow.feedback.report_text import weeks_label
from nwow.feedback.store import FeedbackStore
from nwow.language import Lang
from nwow.schedule import BRUSSELS, Schedule
from nwow.storage import KeyValueStore
from nwow.storage.kv import claim_period
from nwow.storage.write_once import KvWriteOnce
from nwow.tasks import stop_task
from nwow.tickets import TicketStore

logger = logging.getLogger(__name__)

REFERENCE_KEY: Final = "nwow/digest/conversation"
CLAIM_KEY: Final = "nwow/digest/last-week"
DIGEST_WEEKS: Final = 1
TOP_QUESTIONS: Final = 5


class DigestUnavailable(RuntimeError):
    """The bot has not been installed in the ambassadors' team yet (or no team is configured)."""


def team_id_of(activity: Activity) -> str | None:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = data.get("team") if isinstance(data.get("team"), dict) else None
    team_id = team.get("id") if team else None
    return team_id if isinstance(team_id, str) else None


async def remember_if_ambassador_team(kv: KeyValueStore, settings: Settings, activity: Activity) -> bool:
    """Keep this conversation as the digest's destination when it is the ambassadors' team."""
    if not settings.ambassador_team_id or team_id_of(activity) != settings.ambassador_team_id:
        return False
    reference = TurnContext.get_conversation_reference(activity)
    await kv.write([(REFERENCE_KEY, json.dumps(reference.serialize()), None)])
    logger.info("digest destination remembered", extra={"event": "digest.destination"})
    return True


async def ticket_week(
    tickets: TicketStore, settings: Settings, since: datetime, until: datetime
) -> TicketWeek:
    """The ambassadors' week: questions asked and first answered in [since, until), waiting now, and the
    median working time to the first answer."""
    asked = await tickets.created_between(since, until)
    answered = await tickets.answered_between(since, until)
    hours = settings.working_hours
    waits = sorted(
        hours.between(t.created_at, t.first_answered_at).total_seconds() / 3600
        for t in answered
        if t.first_answered_at is not None
    )
    median = statistics.median(waits) if waits else None
    return TicketWeek(len(asked), len(answered), await tickets.count_waiting(), median)


async def digest_card(
    store: FeedbackStore,
    kv: KeyValueStore,
    settings: Settings,
    now: datetime,
    lang: Lang,
    knowledge: KnowledgeBase,
    tickets: TicketStore | None = None,
) -> dict[str, Any]:
    """The last closed month's figures, the ambassadors' last closed week, and that week's unanswered
    questions still open (newest first)."""
    numbers = await build_summary(store, KvWriteOnce(kv), settings.min_group_size, now=now)
    weeks = last_closed_weeks(now, DIGEST_WEEKS)
    questions = await still_open(store, knowledge, settings, weeks, TOP_QUESTIONS)
    since, until = weeks[0].bounds()[0], weeks[-1].bounds()[1]
    week = None if tickets is None else await ticket_week(tickets, settings, since, until)
    return render_digest(numbers, questions, weeks_label(weeks, lang), lang, week)


async def send_digest(
    adapter: Any,
    kv: KeyValueStore,
    store: FeedbackStore,
    settings: Settings,
    now: datetime,
    knowledge: KnowledgeBase,
    tickets: TicketStore | None = None,
) -> None:
    """Post the digest card to the remembered conversation; DigestUnavailable when there is none."""
    found = await kv.read([REFERENCE_KEY])
    if REFERENCE_KEY not in found:
        raise DigestUnavailable(
            "the bot has not been installed in the ambassadors' team yet "
            "(set NWOW_AMBASSADOR_TEAM_ID and add the app to that team)"
        )
    reference = ConversationReference().deserialize(json.loads(found[REFERENCE_KEY][0]))
    lang = settings.digest_lang
    card = await digest_card(store, kv, settings, now, lang, knowledge, tickets)  # type: ignore[arg-type]

    async def post(turn_context: TurnContext) -> None:
        await turn_context.send_activity(card_message(card))

    await adapter.continue_conversation(reference, post, settings.APP_ID)
    logger.info("digest posted", extra={"event": "digest.posted"})


async def claim_week(kv: KeyValueStore, week: str) -> bool:
    """True for exactly one caller per ISO week, across replicas (e_tag-guarded compare-and-set)."""
    return await claim_period(kv, CLAIM_KEY, week, field="week")


@contextlib.asynccontextmanager
async def scheduled_digest(
    schedule: Schedule,
    send: Callable[[datetime], Any],
    kv: KeyValueStore,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> AsyncIterator[None]:
    """Run the weekly digest in the background while the app runs."""

    async def loop() -> None:
        while True:
            due = schedule.next_after(clock())
            await asyncio.sleep(max(0.0, (due - clock()).total_seconds()))
            year, week, _ = due.astimezone(BRUSSELS).isocalendar()
            try:
                if await claim_week(kv, f"{year}-W{week:02d}"):
                    await send(clock())
            except DigestUnavailable as exc:
                logger.warning("weekly digest skipped: %s", exc)
            except Exception as exc:  # the digest quotes users' questions: log the failure without its text
                logger.error("weekly digest failed: %s\n%s", describe(exc), redacted_traceback(exc))

    task = asyncio.create_task(loop(), name="weekly-digest")
    try:
        yield
    finally:
        await stop_task(task)
