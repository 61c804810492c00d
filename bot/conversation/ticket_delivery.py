"""The ambassadors' cards as the outbox sends them, and the background sweep of reminders.

A question's card is a *live* outbox kind: rendered from the ticket as it is when the outbox sends it (see
bot/proactive/dispatcher.py), so that whatever order its updates go out in, the card ends on the latest
state, and a card whose ticket was deleted is wiped. The reminder is live too: withdrawn when somebody took
the question before it went out.

The sweep (reminders that are due, cards of questions asked before the bot knew the team) runs in every
replica; the replica holding the `ticket-sweeper` lease does the work, and the store hands each due
reminder to one caller only, so a reminder is sent once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from bot.cards import ambassadors as ambassador_cards
from bot.cards.ambassadors import TicketContext
from bot.log_redaction import describe, redacted_traceback
from bot.proactive import card_payload
from bot.proactive.dispatcher import LiveRenderer
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.model import FaqEntry
from nwow.feedback.units import Units
from nwow.language import Lang
from nwow.outbox import LeaseStore, PendingMessage
from nwow.tasks import stop_task
from nwow.tickets import Ticket, TicketStatus, TicketStore
from nwow.tickets.hours import BusinessHours

__all__ = [
    "KIND_CARD",
    "KIND_REMINDER",
    "SWEEP_LEASE",
    "TicketCardView",
    "card_key",
    "running_sweeper",
    "ticket_context",
]

logger = logging.getLogger(__name__)

KIND_CARD: Final = "ticket-card"
KIND_REMINDER: Final = "ticket-reminder"
SWEEP_LEASE: Final = "ticket-sweeper"


def card_key(number: int) -> str:
    """The outbox key of a question's card in the channel (its updates replace it)."""
    return f"{KIND_CARD}:{number}"


class TicketCardView:
    """Draws a ticket's card for the ambassadors, with what the knowledge base and units file say."""

    def __init__(
        self,
        tickets: TicketStore,
        knowledge: Callable[[], KnowledgeBase],
        units: Callable[[], Units],
        lang: Lang,
        hours: BusinessHours,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._tickets = tickets
        self._knowledge = knowledge
        self._units = units
        self.lang = lang
        self._hours = hours
        self._clock = clock

    def live(self) -> Mapping[str, LiveRenderer]:
        """The outbox kinds this view renders when they are sent."""
        return {KIND_CARD: self.render_card, KIND_REMINDER: self.render_reminder}

    async def render_card(self, message: PendingMessage) -> Mapping[str, Any] | None:
        number = int(message.payload["ticket"])
        ticket = await self._tickets.get(number)
        if ticket is None:
            # Deleted on the user's request: an update wipes the card; a card never posted is withdrawn.
            return (
                card_payload(ambassador_cards.render_ticket_deleted(number, self.lang))
                if message.replaces
                else None
            )
        return card_payload(ambassador_cards.render_ticket_card(ticket, self.context(ticket), self.lang))

    async def render_reminder(self, message: PendingMessage) -> Mapping[str, Any] | None:
        ticket = await self._tickets.get(int(message.payload["ticket"]))
        if ticket is None or ticket.status is not TicketStatus.OPEN:
            return None
        waited = self._hours.between(ticket.created_at, self._clock())
        hours = max(1, round(waited.total_seconds() / 3600))
        return card_payload(
            ambassador_cards.render_reminder(ticket, self.context(ticket), self.lang, hours=hours)
        )

    def context(self, ticket: Ticket) -> TicketContext:
        return ticket_context(ticket, self._knowledge(), self._units(), self.lang)


def ticket_context(ticket: Ticket, kb: KnowledgeBase, units: Units, lang: Lang) -> TicketContext:
    """What a ticket's card names, in the team's language: entry titles, topic and unit names, the links
    and the entries to answer with (the ticket's candidates first, then its topic's, then all by title)."""
    mentioned = {*ticket.candidates, ticket.entry_id}
    if ticket.answer is not None and ticket.answer.entry_id:
        mentioned.add(ticket.answer.entry_id)
    titles = {e.id: e.title(lang) for e in (kb.entry(i) for i in mentioned if i) if e is not None}
    links = {link.key: link.title(lang) for entry in kb.entries.values() for link in entry.links}
    first = [kb.entry(i) for i in ticket.candidates]
    by_title = sorted(kb.entries.values(), key=lambda e: e.title(lang).casefold())
    same_topic = [e for e in by_title if e.topic == ticket.topic]
    ordered: dict[str, FaqEntry] = {}
    for entry in (*first, *same_topic, *by_title):
        if entry is not None:
            ordered.setdefault(entry.id, entry)
    return TicketContext(
        entry_titles=titles,
        topic_name=kb.topic_name(ticket.topic, lang) if ticket.topic else "",
        unit_label=units.label(ticket.unit, lang) if ticket.unit else "",
        links=sorted(links.items(), key=lambda item: item[1].casefold()),
        entries=[(e.id, e.title(lang)) for e in ordered.values()],
    )


@contextlib.asynccontextmanager
async def running_sweeper(
    sweep: Callable[[], Awaitable[int]],
    leases: LeaseStore,
    *,
    every: float = 60.0,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> AsyncIterator[None]:
    """Run `sweep` every `every` seconds in the replica that holds the sweeper lease."""
    owner = f"sweeper-{secrets.token_hex(6)}"
    lease = timedelta(seconds=max(30.0, every * 3))

    async def loop() -> None:
        while True:
            try:
                if await leases.acquire(SWEEP_LEASE, owner, clock(), lease):
                    await sweep()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.error(
                    "ticket sweep failed; trying again at the next round: %s\n%s",
                    describe(exc),
                    redacted_traceback(exc),
                )
            await asyncio.sleep(every)

    task = asyncio.create_task(loop(), name="ticket-sweeper")
    try:
        yield
    finally:
        await stop_task(task)
        with contextlib.suppress(Exception):
            await asyncio.shield(leases.release(SWEEP_LEASE, owner))
