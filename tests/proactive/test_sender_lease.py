"""One sender at a time, also while a 429's Retry-After holds the sender longer than its lease: the lease is
renewed while a batch is delivered, so another replica does not start sending during the pause (real
database, both backends; the fake Bot Connector over HTTP; real time, a short lease)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.proactive import OutboxDispatcher
from bot.proactive.dispatcher import DispatchPolicy
from bot.proactive.sender import ConnectorSender
from bot.transport.outbound import OutboundClient
from nwow.outbox import OutboxMessage
from nwow.storage import Database
from tests.harness import FakeConnector
from tests.harness.waiting import eventually
from tests.proactive.test_dispatcher import LOOPBACK_ONLY, _address, outbound
from tests.storage.conftest import database_url, db, postgres_database_url

__all__ = ["database_url", "db", "outbound", "postgres_database_url"]

POLICY = DispatchPolicy(rate=20.0, concurrency=1, sender_lease=timedelta(seconds=0.6), idle_poll=0.05)
PAUSE = 2.0  # the channel's Retry-After, over three times the sender lease


def _replica(db: Database, outbound: OutboundClient, owner: str) -> OutboxDispatcher:
    sender = ConnectorSender(outbound, "", check_service_url=LOOPBACK_ONLY)
    return OutboxDispatcher(db.outbox, db.addresses, db.leases, sender, POLICY, owner=owner)


async def test_no_other_replica_sends_while_the_sender_waits_out_a_retry_after(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    now = datetime.now(UTC)
    users = [f"u{n}" for n in range(60)]  # more than one batch (rate x 2 s = 40): some are left to claim
    for user in users:
        await db.addresses.remember(user, _address(fake_connector, user), kind="user", now=now)
    await db.outbox.enqueue(
        [
            OutboxMessage(f"k-{u}", "private-reply", u, {"type": "message", "text": "hi"}, now, "g")
            for u in users
        ],
        now,
    )
    fake_connector.fail_next(429, retry_after=str(PAUSE))
    first = asyncio.create_task(_replica(db, outbound, "first").run())
    await eventually(lambda: asyncio.sleep(0, len(fake_connector.requests)), lambda n: n >= 1)
    second = asyncio.create_task(_replica(db, outbound, "second").run())
    try:
        # Well past the sender lease, inside the pause: nobody has sent anything since the 429.
        await asyncio.sleep(PAUSE / 2)
        assert [r.status for r in fake_connector.requests] == [429]
        replies = await eventually(
            lambda: asyncio.sleep(0, fake_connector.replies), lambda found: len(found) >= len(users)
        )
        assert Counter(r.conversation_id for r in replies) == {f"a:{u}": 1 for u in users}
    finally:
        for task in (first, second):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
