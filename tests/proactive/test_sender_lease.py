"""One sender at a time, also while a 429's Retry-After holds the sender longer than its lease: the lease is
renewed while a batch is delivered, so another replica does not start sending during the pause (real
database, both backends; the fake Bot Connector over HTTP; real time, a short lease)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from bot.proactive import OutboxDispatcher
from bot.proactive.dispatcher import DispatchPolicy
from bot.proactive.sender import ConnectorSender, SendResult
from bot.transport.outbound import OutboundClient
from nwow.outbox import Address, LeaseStore, OutboxMessage
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


class RenewalSlowToStop:
    """The real leases, except the first renewal during a batch: it hangs until cancelled, and then takes
    its time to stop (as an asyncpg query does: its cancellation is a request of its own to the server)."""

    def __init__(self, leases: LeaseStore) -> None:
        self._leases = leases
        self._calls = 0
        self.renewing = asyncio.Event()  # the renewal is under way
        self.stopping = asyncio.Event()  # it was cancelled and is stopping
        self.may_stop = asyncio.Event()

    async def acquire(self, name: str, owner: str, now: datetime, ttl: timedelta) -> bool:
        self._calls += 1
        if self._calls != 2:  # 1: the dispatcher's round; 2: the renewal while its batch is delivered
            return await self._leases.acquire(name, owner, now, ttl)
        self.renewing.set()
        try:
            await asyncio.Event().wait()
        finally:
            self.stopping.set()
            await self.may_stop.wait()
        return False

    async def release(self, name: str, owner: str) -> None:
        await self._leases.release(name, owner)


class SendsOnceTheRenewalRuns:
    def __init__(self, leases: RenewalSlowToStop) -> None:
        self._leases = leases

    async def send(
        self, address: Address, payload: Mapping[str, object], *, update_of: str | None = None
    ) -> SendResult:
        await self._leases.renewing.wait()
        return SendResult("sent")


async def test_a_dispatcher_cancelled_while_it_stops_its_lease_renewal_stops(
    db: Database, fake_connector: FakeConnector
) -> None:
    """The app stops its dispatcher by cancelling it. A cancel that lands while a batch's renewal is being
    stopped must stop the dispatcher too, not pass for the renewal's own end (else the app never stops)."""
    now = datetime.now(UTC)
    await db.addresses.remember("u1", _address(fake_connector, "u1"), kind="user", now=now)
    await db.outbox.enqueue([OutboxMessage("k-u1", "private-reply", "u1", {"text": "hi"}, now, "g")], now)
    leases = RenewalSlowToStop(db.leases)
    policy = DispatchPolicy(sender_lease=timedelta(seconds=0.03), idle_poll=0.05)
    dispatcher = OutboxDispatcher(
        db.outbox, db.addresses, leases, SendsOnceTheRenewalRuns(leases), policy, owner="A"
    )
    task = asyncio.create_task(dispatcher.run())
    try:
        async with asyncio.timeout(10):
            await leases.stopping.wait()  # the batch is sent; the dispatcher waits for the renewal to stop
        task.cancel()
        leases.may_stop.set()
        async with asyncio.timeout(10):
            await asyncio.wait([task])
        assert task.cancelled()
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
