"""Cards that change after they were sent: the outbox keeps the activity id a card got, an update PUTs the
new card onto it (after the card itself was sent), and a live kind is rendered when it is sent, so updates
delivered in any order end on the latest state. SQLite and PostgreSQL, the fake Bot Connector over HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from bot.proactive import OutboxDispatcher
from bot.transport.outbound import OutboundClient
from nwow.outbox import Address, Delivery, OutboxMessage, PendingMessage
from nwow.storage import Database
from tests.harness import FakeConnector
from tests.proactive.test_dispatcher import T0, Time, _dispatcher, outbound
from tests.storage.conftest import database_url, db, postgres_database_url

__all__ = ["database_url", "db", "outbound", "postgres_database_url"]

CHANNEL = "19:ambassadors@thread.tacv2"


async def _channel(db: Database, connector: FakeConnector) -> None:
    address = Address(
        service_url=connector.base_url, channel_id="msteams", bot_id="28:bot", conversation_id=CHANNEL
    )
    await db.addresses.remember("channel:general", address, kind="channel", now=T0)


def _card(text: str, key: str, replaces: str = "", kind: str = "card") -> OutboxMessage:
    return OutboxMessage(key, kind, "channel:general", {"type": "message", "text": text}, T0, "", replaces)


async def test_an_update_is_put_on_the_activity_the_card_became(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _channel(db, fake_connector)
    await db.outbox.enqueue([_card("open", "card-1")], T0)
    dispatcher = _dispatcher(db, outbound, time)
    await dispatcher.drain_once()
    [(status, activity_id)] = (await db.outbox.delivery(["card-1"])).values()
    assert status is Delivery.SENT and activity_id is not None and activity_id.startswith("reply-")
    assert fake_connector.requests[-1].method == "POST"

    await db.outbox.enqueue([_card("taken by Ann", "card-1-v2", replaces="card-1")], T0)
    await dispatcher.drain_once()
    put = fake_connector.requests[-1]
    assert put.method == "PUT"
    assert put.path == f"/v3/conversations/{CHANNEL}/activities/{activity_id}"
    assert put.body["text"] == "taken by Ann" and put.body["id"] == activity_id
    assert (await db.outbox.delivery(["card-1-v2"]))["card-1-v2"] == (Delivery.SENT, activity_id)


async def test_an_update_waits_until_the_card_it_updates_was_sent(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _channel(db, fake_connector)
    fake_connector.fail_next(503, path=f"/v3/conversations/{CHANNEL}/activities")
    await db.outbox.enqueue([_card("open", "card-1"), _card("taken", "card-1-v2", replaces="card-1")], T0)
    dispatcher = _dispatcher(db, outbound, time)
    await dispatcher.drain_once()  # the card: 503, again in 2 s; the update: waits for it
    assert [r.method for r in fake_connector.requests] == ["POST"]
    time.advance(2)
    await dispatcher.drain_once()
    assert [r.method for r in fake_connector.requests] == ["POST", "POST", "PUT"]


async def test_an_update_of_a_card_that_never_arrived_fails_instead_of_posting(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _channel(db, fake_connector)
    fake_connector.fail_next(400, path=f"/v3/conversations/{CHANNEL}/activities")
    await db.outbox.enqueue([_card("open", "card-1")], T0)
    dispatcher = _dispatcher(db, outbound, time)
    await dispatcher.drain_once()
    await db.outbox.enqueue([_card("taken", "card-1-v2", replaces="card-1")], T0)
    await dispatcher.drain_once()
    assert [r.method for r in fake_connector.requests] == ["POST"]
    assert (await db.outbox.delivery(["card-1-v2"]))["card-1-v2"][0] is Delivery.FAILED


async def test_a_live_kind_shows_the_state_when_it_is_sent_whatever_the_order_of_updates(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    time = Time()
    await _channel(db, fake_connector)
    state = {"text": "open"}

    async def render(message: PendingMessage) -> Mapping[str, Any] | None:
        if state["text"] == "deleted":
            return None
        return {"type": "message", "text": f"{state['text']} ({message.payload['number']})"}

    dispatcher = OutboxDispatcher(
        db.outbox,
        db.addresses,
        db.leases,
        _dispatcher(db, outbound, time)._sender,
        owner="A",
        clock=time.clock,
        monotonic=time.monotonic,
        sleep=time.sleep,
        live={"ticket-card": render},
    )

    def live(key: str, replaces: str = "") -> OutboxMessage:
        return OutboxMessage(key, "ticket-card", "channel:general", {"number": 7}, T0, "", replaces)

    await db.outbox.enqueue([live("t7")], T0)
    await dispatcher.drain_once()
    state["text"] = "taken"
    await db.outbox.enqueue([live("t7-v2", "t7")], T0)
    state["text"] = "answered"
    await db.outbox.enqueue([live("t7-v3", "t7")], T0 - timedelta(seconds=1))
    await dispatcher.drain_once()
    texts = [(r.method, r.body["text"]) for r in fake_connector.requests]
    assert texts == [("POST", "open (7)"), ("PUT", "answered (7)"), ("PUT", "answered (7)")]

    state["text"] = "deleted"
    await db.outbox.enqueue([live("t7-v4", "t7")], T0)
    await dispatcher.drain_once()
    assert len(fake_connector.requests) == 3
    assert (await db.outbox.delivery(["t7-v4"]))["t7-v4"][0] is Delivery.GONE
