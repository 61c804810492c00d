"""Pulse cards through a 429 storm, and to users who removed the app: the real dispatcher and sender,
the pulse started with `start_pulse` on a real database (both backends), the fake Bot Connector over HTTP.
The dispatcher's clocks are virtual: a sleep moves the moment its delivery happens, so the test can say
when each call reached the channel without waiting for it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bot.proactive import OutboxDispatcher
from bot.proactive.dispatcher import DispatchPolicy
from bot.proactive.sender import ConnectorSender, SendResult
from bot.transport.outbound import OutboundClient
from nwow.feedback.pseudonym import pseudonymize
from nwow.outbox import Address, Delivery, PendingMessage
from nwow.pulses.launch import KIND_PULSE, StartReport, card_group, deliverable, pulse_status, start_pulse
from nwow.storage import Database
from nwow.tickets.hours import BusinessHours
from tests.harness import FakeConnector
from tests.proactive.test_dispatcher import LOOPBACK_ONLY, Time, outbound
from tests.storage.conftest import database_url, db, postgres_database_url
from tests.storage.pulse_factories import T0, address, pulse

__all__ = ["database_url", "db", "outbound", "postgres_database_url"]

RATE = 5.0
RETRY_AFTER = 2.0
WOKE: ContextVar[float | None] = ContextVar("woke", default=None)


class VirtualTime(Time):
    """A delivery that slept happens at the moment it woke; a round ends when its last delivery woke."""

    def __init__(self) -> None:
        super().__init__()
        self.now = T0  # the pulse's first working morning
        self.horizon = self.tick

    async def sleep(self, seconds: float) -> None:
        await super().sleep(seconds)
        WOKE.set(self.tick + seconds)
        self.horizon = max(self.horizon, self.tick + seconds)

    def catch_up(self, idle: float) -> None:
        """The round is over: move to its last moment, or `idle` seconds on when nothing was sent."""
        self.advance(max(self.horizon - self.tick, idle))


@dataclass(frozen=True)
class Call:
    conversation: str
    at: float
    outcome: str


class RecordingSender(ConnectorSender):
    def __init__(self, outbound: OutboundClient, time: VirtualTime) -> None:
        super().__init__(outbound, "", check_service_url=LOOPBACK_ONLY)
        self.time = time
        self.calls: list[Call] = []

    async def send(
        self, address: Address, payload: Mapping[str, Any], *, update_of: str | None = None
    ) -> SendResult:
        at = WOKE.get()
        result = await super().send(address, payload, update_of=update_of)
        self.calls.append(
            Call(address.conversation_id or "", self.time.tick if at is None else at, result.outcome)
        )
        return result


async def _start(db: Database, now: datetime = T0) -> StartReport:
    return await start_pulse(
        pulse(reminder_days=None),
        pulses=db.pulses,
        outbox=db.outbox,
        addresses=db.addresses,
        pseudonymize=partial(pseudonymize, key=b"k"),
        hours=BusinessHours(),
        now=now,
    )


async def _pulse_to(db: Database, connector: FakeConnector, users: list[str]) -> None:
    for user in users:
        await db.addresses.remember(user, address(connector.base_url, user), kind="user", now=T0)
    await _start(db)


async def _deliver(db: Database, outbound: OutboundClient, time: VirtualTime) -> RecordingSender:
    """Run the dispatcher round after round until every card is settled."""
    sender = RecordingSender(outbound, time)

    async def render(message: PendingMessage) -> Mapping[str, Any] | None:
        started = await deliverable(
            db.pulses,
            db.outbox,
            str(message.payload["pulse"]),
            message.recipient,
            reminder=False,
            now=time.now,
        )
        return None if started is None else {"type": "message", "text": started.pulse.heading("nl")}

    dispatcher = OutboxDispatcher(
        db.outbox,
        db.addresses,
        db.leases,
        sender,
        DispatchPolicy(rate=RATE, concurrency=4),
        owner="A",
        clock=time.clock,
        monotonic=time.monotonic,
        sleep=time.sleep,
        live={KIND_PULSE: render},
    )
    for _ in range(500):
        counts = await db.outbox.counts(card_group("2027-01-test"))
        if counts[Delivery.QUEUED] + counts[Delivery.SENDING] == 0:
            return sender
        delivered = await dispatcher.drain_once()
        time.catch_up(0 if delivered else 0.25)
    raise AssertionError("the cards were not all settled in 500 rounds")


async def test_through_a_429_storm_everyone_gets_the_card_once_within_the_rate_and_retry_after(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    users = [f"u{n:02d}" for n in range(20)]
    await _pulse_to(db, fake_connector, users)
    fake_connector.fail_next(429, times=45, retry_after=f"{RETRY_AFTER:g}")
    time = VirtualTime()

    sender = await _deliver(db, outbound, time)

    assert Counter(r.conversation_id for r in fake_connector.replies) == {f"a:{u}": 1 for u in users}
    status = await pulse_status(db.pulses, "2027-01-test")
    assert status is not None and (status.delivered, status.failed, status.gone) == (20, 0, 0)
    calls = sorted(sender.calls, key=lambda c: c.at)
    throttled = [c for c in calls if c.outcome == "throttled"]
    assert len(throttled) == 45 and len(calls) == 65
    # Retry-After: a throttled card is tried again no sooner, and the whole outbox pauses as long
    # (calls reserved before the 429 was answered may still go out during the pause).
    for call in throttled:
        later = [c.at for c in calls if c.conversation == call.conversation and c.at > call.at]
        assert later and min(later) >= call.at + RETRY_AFTER
    first_429 = throttled[0].at
    reserved_before = sum(1 for c in calls if c.at <= first_429)
    paused = [c for c in calls[reserved_before:] if c.at < first_429 + RETRY_AFTER]
    assert len(paused) < DispatchPolicy(rate=RATE, concurrency=4).concurrency
    # The rate: in no second more calls than the rate and its burst (one second of sending).
    moments = [c.at for c in calls]
    assert all(sum(1 for m in moments if start <= m < start + 1) <= 2 * RATE for start in moments)
    assert moments[-1] - moments[0] >= (len(calls) - 2 * RATE) / RATE


async def test_users_who_removed_the_app_are_given_up_counted_gone_and_forgotten(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    users = ["u1", "u2", "u3", "u4", "u5"]
    await _pulse_to(db, fake_connector, users)
    fake_connector.fail_next(403, path="/v3/conversations/a:u2/activities")
    fake_connector.fail_next(404, path="/v3/conversations/a:u4/activities")

    sender = await _deliver(db, outbound, VirtualTime())

    assert Counter(c.outcome for c in sender.calls) == {"sent": 3, "gone": 2}
    assert Counter(r.conversation_id for r in fake_connector.replies) == {"a:u1": 1, "a:u3": 1, "a:u5": 1}
    status = await pulse_status(db.pulses, "2027-01-test")
    assert status is not None
    assert (status.recipients, status.delivered, status.gone, status.failed, status.queued) == (5, 3, 2, 0, 0)
    assert set(await db.addresses.lookup(users)) == {"u1", "u3", "u5"}
    # Nobody is asked again: a second start of the pulse finds only who can still be reached.
    again = await _start(db, T0 + timedelta(hours=1))
    assert (again.audience, again.queued) == (3, 0)
