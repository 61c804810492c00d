"""Start, close and follow a pulse: who gets it, their cards and reminders queued in the outbox.

Starting a pulse pages through its audience (everyone with an address, the members of its units, or the
listed Entra object ids), leaves out who asked never to be asked again, records each recipient (their card's
language from their Teams locale, their unit if they let the bot remember it) and queues, per recipient,
the card and the optional reminder in the outbox under keys of their own: queued once per user and pulse,
ever. A start that was interrupted (a crash, Ctrl-C) is resumed by starting the same file again; a start of
another file under a pulse id already used is refused.

What is queued is only the pulse id and the language: the card is drawn when it is sent
(`deliverable`), so a pulse closed meanwhile, a user who answered or opted out, is not sent anything.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Final

from nwow.language import DEFAULT_LANG, normalize_locale
from nwow.outbox import AddressBook, Delivery, OutboxMessage, OutboxStore
from nwow.pulses.codec import same_definition
from nwow.pulses.model import Pulse, Recipient, StartedPulse, card_key
from nwow.pulses.store import PulseStore
from nwow.schedule import BRUSSELS
from nwow.tickets.hours import BusinessHours

__all__ = [
    "KIND_PULSE",
    "KIND_REMINDER",
    "PulseConflict",
    "PulseStatus",
    "StartReport",
    "card_group",
    "deliverable",
    "pulse_status",
    "reminder_group",
    "start_pulse",
]

logger = logging.getLogger(__name__)

KIND_PULSE: Final = "pulse"
KIND_REMINDER: Final = "pulse-reminder"
_PAGE: Final = 1000


class PulseConflict(ValueError):
    """The pulse id is taken by a pulse that asks something else (a pulse id is never reused)."""


def card_group(pulse_id: str) -> str:
    return f"{KIND_PULSE}:{pulse_id}"


def reminder_group(pulse_id: str) -> str:
    return f"{KIND_REMINDER}:{pulse_id}"


def reminder_key(pulse_id: str, user_key: str) -> str:
    return f"{KIND_REMINDER}:{pulse_id}:{user_key}"


def closes_at(pulse: Pulse) -> datetime:
    """The end of the pulse's closing day, Brussels time."""
    return datetime.combine(pulse.closes + timedelta(days=1), time(0, 0), BRUSSELS).astimezone(UTC)


@dataclass(frozen=True)
class StartReport:
    started: StartedPulse
    resumed: bool  # the pulse had been started before: this start went on where that one stopped
    audience: int  # people in the audience the bot can reach
    opted_out: int  # left out: they asked never to be asked again
    unreachable: int  # listed (audience by list) but unknown to the bot: no address
    queued: int  # cards queued by this start (0 when everything had been queued before)
    first_send: datetime
    reminder_at: datetime | None


@dataclass(frozen=True)
class PulseStatus:
    started: StartedPulse
    recipients: int
    queued: int  # waiting to be sent (or being sent)
    delivered: int
    failed: int
    gone: int  # the user removed the app, blocked the bot or deleted their data: given up
    answered: int
    by_unit: Sequence[UnitStatus] = field(default_factory=tuple)
    hidden_units: int = 0  # units with fewer recipients than the minimum group (counted in the totals only)
    withdrawn: int = 0  # not sent: they opted out, answered or the pulse closed before their card went

    @property
    def settled(self) -> int:
        return self.delivered + self.failed + self.gone + self.withdrawn

    @property
    def response_rate(self) -> float | None:
        return None if not self.delivered else self.answered / self.delivered


@dataclass(frozen=True)
class UnitStatus:
    """A unit's delivery while a pulse runs (who answered, by unit, is published only with the results,
    under the disclosure rules: docs/pulses.md)."""

    unit: str
    recipients: int
    delivered: int


async def start_pulse(
    pulse: Pulse,
    *,
    pulses: PulseStore,
    outbox: OutboxStore,
    addresses: AddressBook,
    pseudonymize: Callable[[str], str],
    hours: BusinessHours,
    now: datetime,
    started_by: str = "",
    send_now: bool = False,
) -> StartReport:
    """Start `pulse` (or resume its start): record the recipients and queue their cards and reminders.
    The cards go from the first business-hours moment on or after the opening day (`send_now`: at once,
    once the pulse is open); the reminder at the first business-hours moment `reminder_days` later."""
    started = StartedPulse(pulse, now, closes_at(pulse), started_by=started_by)
    if not started.is_open(now):  # refused before it is kept: a corrected file may use the same id
        raise PulseConflict(f"pulse {pulse.id!r} is closed: its closing day {pulse.closes} is over")
    kept = await pulses.create(started)
    resumed = kept.started_at != now
    if not same_definition(kept.pulse, pulse):
        raise PulseConflict(
            f"pulse id {pulse.id!r} was started on {kept.started_at:%Y-%m-%d} with other questions, "
            "texts or dates: a pulse id is never reused; give this pulse a new id"
        )
    if kept.closed_at is not None or not kept.is_open(now):
        raise PulseConflict(f"pulse {pulse.id!r} is closed: nothing more is sent")
    opening = datetime.combine(pulse.opens, time(0, 0), BRUSSELS).astimezone(UTC)
    earliest = max(now, opening, kept.started_at)
    first_send = earliest if send_now else hours.add(earliest, timedelta(0))
    # The reminder: `reminder_days` after the cards first went out (not after the start: a pulse started on
    # a Friday evening sends its cards on Monday; a resume keeps the first start's moment), at the first
    # business-hours moment, before the closing day, and never with or before the card it reminds of.
    anchor = max(opening, kept.started_at)
    first_round = anchor if send_now else hours.add(anchor, timedelta(0))
    reminder_at = (
        hours.add(first_round + timedelta(days=pulse.reminder_days), timedelta(0))
        if pulse.reminder_days
        else None
    )
    if reminder_at is not None and (reminder_at >= kept.closes_at or reminder_at <= first_send):
        reminder_at = None
    audience = opted = unreachable = queued = 0
    async for page in _audience_pages(pulse, pulses, addresses, pseudonymize):
        excluded = await pulses.opted_out(page)
        opted += len(excluded)
        keys = [key for key in page if key not in excluded]
        if not keys:
            continue
        found = await addresses.lookup(keys)
        units = await pulses.units_of(keys)
        recipients = [
            Recipient(key, normalize_locale(found[key].locale) or DEFAULT_LANG, units.get(key, ""))
            for key in keys
            if key in found
        ]
        unreachable += len(keys) - len(recipients)  # listed, but the bot has no address for them
        audience += len(recipients)
        await pulses.add_recipients(pulse.id, recipients)
        cards = [
            OutboxMessage(
                key=card_key(pulse.id, r.user_key),
                kind=KIND_PULSE,
                recipient=r.user_key,
                payload={"pulse": pulse.id, "lang": r.lang},
                not_before=first_send,
                group=card_group(pulse.id),
            )
            for r in recipients
        ]
        queued += await outbox.enqueue(cards, now)
        if reminder_at is not None:
            reminders = [
                OutboxMessage(
                    key=reminder_key(pulse.id, r.user_key),
                    kind=KIND_REMINDER,
                    recipient=r.user_key,
                    payload={"pulse": pulse.id, "lang": r.lang, "reminder": True},
                    not_before=reminder_at,
                    group=reminder_group(pulse.id),
                )
                for r in recipients
            ]
            await outbox.enqueue(reminders, now)
    logger.info(
        "pulse %s %s: %d recipients, %d cards queued, %d opted out, %d unreachable",
        pulse.id,
        "resumed" if resumed else "started",
        audience,
        queued,
        opted,
        unreachable,
        extra={"event": "pulse.started"},
    )
    return StartReport(kept, resumed, audience, opted, unreachable, queued, first_send, reminder_at)


async def _audience_pages(
    pulse: Pulse, pulses: PulseStore, addresses: AddressBook, pseudonymize: Callable[[str], str]
) -> AsyncIterator[list[str]]:
    """The audience's keys a page at a time (a listed id the bot never met is a key without an address)."""
    audience = pulse.audience
    if audience.kind == "list":
        ids = sorted(audience.object_ids)
        for start in range(0, len(ids), _PAGE):
            yield [pseudonymize(object_id) for object_id in ids[start : start + _PAGE]]
        return
    after = ""
    while True:
        if audience.kind == "all":
            page = await addresses.recipients("user", after=after, limit=_PAGE)
        else:
            page = await pulses.members(audience.units, after=after, limit=_PAGE)
        if not page:
            return
        yield page
        after = page[-1]


async def deliverable(
    pulses: PulseStore, outbox: OutboxStore, pulse_id: str, user_key: str, *, reminder: bool, now: datetime
) -> StartedPulse | None:
    """The pulse, if its card (or reminder) should still go to `user_key` now: the pulse is open, the
    user has not answered nor opted out, and for a reminder, their card was delivered."""
    started = await pulses.get(pulse_id)
    if started is None or not started.is_open(now):
        return None
    if await pulses.has_answered(pulse_id, user_key) or await pulses.opted_out([user_key]):
        return None
    if reminder:
        card = (await outbox.delivery([card_key(pulse_id, user_key)])).get(card_key(pulse_id, user_key))
        if card is None or card[0] is not Delivery.SENT:
            return None
    return started


async def pulse_status(pulses: PulseStore, pulse_id: str, *, min_group: int = 0) -> PulseStatus | None:
    """How the pulse's delivery stands. By unit only the delivery, and only for units with at least the
    pulse's minimum group of recipients (never below `min_group`, the deployment's)."""
    started = await pulses.get(pulse_id)
    if started is None:
        return None
    k = max(started.pulse.min_group, min_group)
    rows = await pulses.delivery(pulse_id, card_group(pulse_id))
    answered = await pulses.answered_by_unit(pulse_id)
    totals: dict[Delivery | None, int] = {}
    withdrawn = 0
    units: dict[str, dict[Delivery | None, int]] = {}
    for row in rows:
        if row.withdrawn:
            withdrawn += row.recipients
        else:
            totals[row.status] = totals.get(row.status, 0) + row.recipients
        states = units.setdefault(row.unit, {})
        states[row.status] = states.get(row.status, 0) + row.recipients
    by_unit: list[UnitStatus] = []
    hidden = 0
    for unit, states in sorted(units.items()):
        recipients = sum(states.values())
        if not unit or recipients < k:
            hidden += bool(unit)
            continue
        by_unit.append(UnitStatus(unit, recipients, states.get(Delivery.SENT, 0)))
    return PulseStatus(
        started=started,
        recipients=sum(totals.values()) + withdrawn,
        queued=sum(totals.get(s, 0) for s in (Delivery.QUEUED, Delivery.SENDING, None)),
        delivered=totals.get(Delivery.SENT, 0),
        failed=totals.get(Delivery.FAILED, 0),
        gone=totals.get(Delivery.GONE, 0),
        answered=sum(answered.values()),
        by_unit=tuple(by_unit),
        hidden_units=hidden,
        withdrawn=withdrawn,
    )
