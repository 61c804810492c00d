"""A pulse to 2,000 users whose sender is killed (SIGKILL) halfway, at small scale: the benchmark's rig
(bench/pulse_delivery.py: a loopback connector process answering 429 to 5 % of calls, the real dispatcher
in sender processes, SQLite), with short leases. Every user gets the card once: no duplicate; a user the
connector never saw can only be one whose card was being sent at the kill (settled "unconfirmed")."""

from __future__ import annotations

import pytest

from bench.pulse_delivery import BenchOptions, rig
from nwow.outbox import Delivery
from tests.harness.waiting import eventually

USERS = 2000
OPTIONS = BenchOptions(
    users=USERS, rate=1000.0, retry_after="0.02", sender_lease=1.0, message_lease=2.0, idle_poll=0.1
)


@pytest.mark.slow
async def test_a_sender_killed_halfway_is_resumed_by_the_next_without_duplicates_or_misses() -> None:
    async with rig(OPTIONS) as r:
        await r.populate()
        report, _ = await r.start()
        assert report.queued == USERS
        first = await r.spawn_sender()
        await eventually(r.counts, lambda c: c[Delivery.SENT] >= USERS // 2, within=60)
        first.kill()
        await first.wait()
        killed_at = (await r.counts())[Delivery.SENT]
        assert killed_at < USERS  # killed while it had cards to send

        second = await r.spawn_sender()
        counts = await eventually(
            r.counts, lambda c: c[Delivery.QUEUED] + c[Delivery.SENDING] == 0, within=60
        )
        assert await second.wait() == 0  # it stops once nothing is left
        verdict = await r.verdict()

    assert counts[Delivery.SENT] == USERS
    assert verdict.duplicates == 0
    assert verdict.misses == verdict.lost  # only a card being sent at the kill may have been lost
    assert verdict.lost <= verdict.unconfirmed <= OPTIONS.concurrency
    assert verdict.throttled > 0
