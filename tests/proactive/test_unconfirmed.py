"""A sender that dies while sending: what the next sender does with the messages it was sending (real
database, both backends; the fake Bot Connector over HTTP). A pulse card is not sent a second time; any
other kind is (at least once)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.proactive import OutboxDispatcher
from bot.proactive.dispatcher import DispatchPolicy
from bot.proactive.sender import ConnectorSender, SendResult
from bot.transport.outbound import OutboundClient
from nwow.outbox import Delivery, OutboxMessage
from nwow.pulses.launch import KIND_PULSE
from nwow.storage import Database
from tests.harness import FakeConnector
from tests.proactive.test_dispatcher import LOOPBACK_ONLY, T0, Time, _address, outbound
from tests.storage.conftest import database_url, db, postgres_database_url

__all__ = ["database_url", "db", "outbound", "postgres_database_url"]

LEASE = timedelta(seconds=60)


async def _queue(db: Database, connector: FakeConnector, kind: str, users: list[str]) -> None:
    for user in users:
        await db.addresses.remember(user, _address(connector, user), kind="user", now=T0)
    await db.outbox.enqueue(
        [OutboxMessage(f"k-{u}", kind, u, {"type": "message", "text": f"to {u}"}, T0, "g") for u in users], T0
    )


def _dispatcher(db: Database, outbound: OutboundClient, time: Time) -> OutboxDispatcher:
    return OutboxDispatcher(
        db.outbox,
        db.addresses,
        db.leases,
        ConnectorSender(outbound, "", check_service_url=LOOPBACK_ONLY),
        DispatchPolicy(),
        owner="next",
        clock=time.clock,
        monotonic=time.monotonic,
        sleep=time.sleep,
    )


async def _dead_sender_was_sending(db: Database, *keys: str) -> None:
    """A sender claimed every message, began sending `keys` and died before settling anything."""
    claimed = {m.key: m for m in await db.outbox.claim("dead", T0, LEASE, 10)}
    for key in keys:
        assert await db.outbox.attempt(claimed[key].id, "dead", T0)


async def test_a_pulse_card_the_dead_sender_was_sending_is_counted_sent_and_not_sent_again(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _queue(db, fake_connector, KIND_PULSE, ["u1", "u2", "u3"])
    await _dead_sender_was_sending(db, "k-u1")
    time.advance(61)

    assert await _dispatcher(db, outbound, time).drain_once() == 3

    assert Counter(r.conversation_id for r in fake_connector.replies) == {"a:u2": 1, "a:u3": 1}
    assert (await db.outbox.counts("g"))[Delivery.SENT] == 3
    rows = await db.executor.fetch("SELECT key, error FROM outbox WHERE error LIKE 'unconfirmed%'")
    assert [str(row[0]) for row in rows] == ["k-u1"]


async def test_another_kind_the_dead_sender_was_sending_is_sent_again(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _queue(db, fake_connector, "private-answer", ["u1", "u2"])
    await _dead_sender_was_sending(db, "k-u1")
    time.advance(61)

    assert await _dispatcher(db, outbound, time).drain_once() == 2

    assert Counter(r.conversation_id for r in fake_connector.replies) == {"a:u1": 1, "a:u2": 1}


class _NoToken(ConnectorSender):
    """A sender whose access token cannot be had (Entra unreachable): it raises before any request."""

    async def send(self, *args: object, **kwargs: object) -> SendResult:
        raise PermissionError("Unauthorized: no access token")


async def test_a_pulse_card_whose_send_raised_before_the_request_is_sent_later_not_counted_sent(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _queue(db, fake_connector, KIND_PULSE, ["u1", "u2"])
    failing = OutboxDispatcher(
        db.outbox,
        db.addresses,
        db.leases,
        _NoToken(outbound, "", check_service_url=LOOPBACK_ONLY),
        DispatchPolicy(),
        owner="first",
        clock=time.clock,
        monotonic=time.monotonic,
        sleep=time.sleep,
    )

    assert await failing.drain_once() == 2  # both settled (due again), none lost in a failed round
    assert (await db.outbox.counts("g")).get(Delivery.SENT, 0) == 0
    time.advance(3600)
    assert await _dispatcher(db, outbound, time).drain_once() == 2

    assert Counter(r.conversation_id for r in fake_connector.replies) == {"a:u1": 1, "a:u2": 1}
    rows = await db.executor.fetch("SELECT COUNT(*) FROM outbox WHERE error LIKE 'unconfirmed%'")
    assert rows[0][0] == 0
