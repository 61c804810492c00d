"""The outbox dispatcher against a real database (SQLite and PostgreSQL) and a fake Bot Connector over
HTTP: what each answer of the channel does to a message, the rate limit, one sender at a time, and a
sender that died mid-batch."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from bot.proactive import ConnectorSender, OutboxDispatcher
from bot.proactive.dispatcher import DispatchPolicy
from bot.transport.adapter import check_service_url
from bot.transport.outbound import OutboundClient, OutboundTokens
from nwow.outbox import Address, Delivery, OutboxMessage
from nwow.storage import Database
from tests.harness import FakeConnector, LocalCredentialsFactory
from tests.harness.waiting import eventually
from tests.storage.conftest import database_url, db, postgres_database_url

__all__ = ["database_url", "db", "postgres_database_url"]

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LOOPBACK_ONLY = partial(check_service_url, loopback_only=True)  # development mode's rule


class Time:
    """The dispatcher's clocks, moved by the test; its sleeps are recorded, not slept."""

    def __init__(self) -> None:
        self.now = T0
        self.tick = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.tick

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.tick += seconds


@pytest.fixture
async def outbound(credentials_factory: LocalCredentialsFactory) -> AsyncIterator[OutboundClient]:
    client = OutboundClient(OutboundTokens(credentials_factory))
    yield client
    await client.close()


def _address(connector: FakeConnector, user: str) -> Address:
    return Address(
        service_url=connector.base_url,
        channel_id="msteams",
        bot_id="28:bot",
        conversation_id=f"a:{user}",
        tenant_id="tenant-1",
        user_id=f"29:{user}",
    )


async def _queue(db: Database, connector: FakeConnector, users: list[str], at: datetime = T0) -> None:
    for user in users:
        await db.addresses.remember(user, _address(connector, user), kind="user", now=at)
    await db.outbox.enqueue(
        [
            OutboxMessage(f"k-{u}", "test", u, {"type": "message", "text": f"to {u}"}, at, "campaign")
            for u in users
        ],
        at,
    )


def _dispatcher(
    db: Database, outbound: OutboundClient, time: Time, owner: str = "A", **policy: object
) -> OutboxDispatcher:
    return OutboxDispatcher(
        db.outbox,
        db.addresses,
        db.leases,
        ConnectorSender(outbound, "", check_service_url=LOOPBACK_ONLY),
        DispatchPolicy(**policy),  # type: ignore[arg-type]
        owner=owner,
        clock=time.clock,
        monotonic=time.monotonic,
        sleep=time.sleep,
    )


def _delivered(connector: FakeConnector) -> Counter[str]:
    return Counter(r.body["text"] for r in connector.replies)


async def test_a_429_waits_for_its_retry_after_then_the_message_goes(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _queue(db, fake_connector, ["u1"])
    fake_connector.fail_next(429, retry_after="7")
    dispatcher = _dispatcher(db, outbound, time)

    assert await dispatcher.drain_once() == 1
    assert await dispatcher.drain_once() == 0  # not due before its Retry-After
    time.advance(7)
    assert await dispatcher.drain_once() == 1

    assert _delivered(fake_connector) == {"to u1": 1}
    assert (await db.outbox.counts("campaign"))[Delivery.SENT] == 1


async def test_a_removed_app_makes_the_recipient_gone_and_forgotten(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _queue(db, fake_connector, ["u1", "u2"])
    fake_connector.fail_next(403, path="/v3/conversations/a:u1/activities")
    await _dispatcher(db, outbound, time).drain_once()
    counts = await db.outbox.counts("campaign")
    assert (counts[Delivery.SENT], counts[Delivery.GONE]) == (1, 1)
    assert set(await db.addresses.lookup(["u1", "u2"])) == {"u2"}


async def test_a_passing_failure_is_retried_with_backoff_and_a_refusal_is_final(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _queue(db, fake_connector, ["u1", "u2"])
    fake_connector.fail_next(502, times=2, path="/v3/conversations/a:u1/activities")
    fake_connector.fail_next(400, path="/v3/conversations/a:u2/activities")
    dispatcher = _dispatcher(db, outbound, time)
    await dispatcher.drain_once()  # u1: 502 (again in 2 s); u2: 400, final
    time.advance(2)
    await dispatcher.drain_once()  # u1: 502 again (again in 4 s)
    time.advance(3)
    assert await dispatcher.drain_once() == 0
    time.advance(1)
    await dispatcher.drain_once()
    counts = await db.outbox.counts("campaign")
    assert (counts[Delivery.SENT], counts[Delivery.FAILED]) == (1, 1)
    assert _delivered(fake_connector) == {"to u1": 1}


async def test_a_message_to_a_service_url_the_bot_may_not_post_to_fails_and_nothing_is_sent(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    """Proactive messages do not come through the endpoint's check: the sender applies the same rule
    (here development mode's: loopback only)."""
    time = Time()
    foreign = Address(
        service_url="http://example.com/", channel_id="msteams", bot_id="28:bot", conversation_id="a:u9"
    )
    await db.addresses.remember("u9", foreign, kind="user", now=T0)
    await db.outbox.enqueue(
        [OutboxMessage("k-u9", "test", "u9", {"type": "message", "text": "to u9"}, T0, "campaign")], T0
    )

    await _dispatcher(db, outbound, time).drain_once()

    assert (await db.outbox.counts("campaign"))[Delivery.FAILED] == 1
    assert fake_connector.requests == []


async def test_sends_are_spaced_at_the_configured_rate(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _queue(db, fake_connector, [f"u{n:03d}" for n in range(60)])
    dispatcher = _dispatcher(db, outbound, time, rate=20.0, batch_seconds=5.0)
    assert await dispatcher.drain_once() == 60
    # 20 go at once (the burst), the 40 others one every 1/20 s after them.
    assert max(time.sleeps) == pytest.approx(40 / 20)
    assert sorted(time.sleeps)[len(time.sleeps) // 2] > 0


async def test_messages_a_dead_sender_held_are_sent_once_its_lease_runs_out(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _queue(db, fake_connector, [f"u{n}" for n in range(5)])
    held = await db.outbox.claim("dead", T0, timedelta(seconds=60), 3)  # claimed, then SIGKILL
    dispatcher = _dispatcher(db, outbound, time)
    assert await dispatcher.drain_once() == 2
    time.advance(61)
    assert await dispatcher.drain_once() == 3
    assert len(held) == 3
    assert _delivered(fake_connector) == {f"to u{n}": 1 for n in range(5)}


async def test_two_replicas_deliver_each_message_once_and_only_one_sends_at_a_time(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    users = [f"u{n:03d}" for n in range(150)]
    await _queue(db, fake_connector, users, at=datetime.now(UTC) - timedelta(seconds=1))
    policy = DispatchPolicy(rate=500.0, idle_poll=0.05)
    senders: dict[str, int] = {}

    class Counting(ConnectorSender):
        def __init__(self, owner: str) -> None:
            super().__init__(outbound, "", check_service_url=LOOPBACK_ONLY)
            self.owner = owner

        async def send(self, address, payload):  # type: ignore[no-untyped-def]
            senders[self.owner] = senders.get(self.owner, 0) + 1
            return await super().send(address, payload)

    dispatchers = [
        OutboxDispatcher(db.outbox, db.addresses, db.leases, Counting(o), policy, owner=o) for o in "AB"
    ]
    tasks = [asyncio.create_task(d.run()) for d in dispatchers]
    try:
        await eventually(lambda: db.outbox.counts("campaign"), lambda c: c[Delivery.SENT] == 150)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert _delivered(fake_connector) == {f"to {u}": 1 for u in users}
    assert len(senders) == 1 and sum(senders.values()) == 150
