"""A sender that dies while sending, or a send that gets no answer: what happens to the messages whose fate
the channel did not say (real database, both backends; the fake Bot Connector over HTTP). A pulse card is
not sent a second time; any other kind is (at least once). A send that never left is sent later."""

from __future__ import annotations

import socket
from collections import Counter
from dataclasses import replace
from datetime import timedelta

from bot.proactive import OutboxDispatcher
from bot.proactive.dispatcher import DispatchPolicy
from bot.proactive.sender import ConnectorSender, SendResult
from bot.transport.outbound import OutboundClient
from nwow.outbox import Delivery, OutboxMessage
from nwow.pulses.launch import KIND_PULSE
from nwow.storage import Database
from tests.harness import FakeConnector
from tests.harness.connector import DROPPED
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


def _sent_to(connector: FakeConnector) -> Counter[str | None]:
    """Activities each conversation received, answered or not."""
    return Counter(r.conversation_id for r in connector.requests if r.method == "POST")


async def test_a_pulse_card_whose_send_got_no_answer_is_counted_sent_and_not_sent_again(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _queue(db, fake_connector, KIND_PULSE, ["u1", "u2"])
    fake_connector.drop_next(path="/v3/conversations/a:u1/activities")  # received, then no answer

    assert await _dispatcher(db, outbound, time).drain_once() == 2
    time.advance(3600)
    assert await _dispatcher(db, outbound, time).drain_once() == 0

    assert _sent_to(fake_connector) == {"a:u1": 1, "a:u2": 1}
    assert [r.status for r in fake_connector.requests if r.conversation_id == "a:u1"] == [DROPPED]
    assert (await db.outbox.counts("g"))[Delivery.SENT] == 2
    rows = await db.executor.fetch("SELECT key, error FROM outbox WHERE error LIKE 'unconfirmed: no answer%'")
    assert [str(row[0]) for row in rows] == ["k-u1"]


async def test_another_kind_whose_send_got_no_answer_is_sent_again(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _queue(db, fake_connector, "private-answer", ["u1"])
    fake_connector.drop_next(path="/v3/conversations/a:u1/activities")

    assert await _dispatcher(db, outbound, time).drain_once() == 1
    assert (await db.outbox.counts("g"))[Delivery.QUEUED] == 1  # due again: an answer must arrive
    time.advance(3600)
    assert await _dispatcher(db, outbound, time).drain_once() == 1

    assert _sent_to(fake_connector) == {"a:u1": 2}
    assert (await db.outbox.counts("g"))[Delivery.SENT] == 1


async def test_a_pulse_card_that_could_not_reach_the_channel_at_all_is_sent_later(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    """A connection that cannot be made sends nothing: not a card to count as sent, one to send later."""
    time = Time()
    await _queue(db, fake_connector, KIND_PULSE, ["u1"])
    with socket.socket() as unused:  # a loopback port nobody listens on
        unused.bind(("127.0.0.1", 0))
        closed_url = f"http://127.0.0.1:{unused.getsockname()[1]}"
    nowhere = replace(_address(fake_connector, "u1"), service_url=closed_url)
    await db.addresses.remember("u1", nowhere, kind="user", now=T0)

    assert await _dispatcher(db, outbound, time).drain_once() == 1
    assert (await db.outbox.counts("g"))[Delivery.QUEUED] == 1
    await db.addresses.remember("u1", _address(fake_connector, "u1"), kind="user", now=T0)
    time.advance(3600)
    assert await _dispatcher(db, outbound, time).drain_once() == 1

    assert _sent_to(fake_connector) == {"a:u1": 1}
    assert [r.status for r in fake_connector.requests] == [201]
    rows = await db.executor.fetch("SELECT COUNT(*) FROM outbox WHERE error LIKE 'unconfirmed%'")
    assert rows[0][0] == 0
