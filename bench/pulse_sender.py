"""The sender of the pulse delivery benchmark: the real outbox delivery in a process of its own.

    .venv/bin/python -m bench.pulse_sender --database-url URL --group pulse:ID [--rate 500]

Runs the `OutboxDispatcher` with the real `ConnectorSender` (an `OutboundClient` without an app id, as in
development mode, and the loopback-only service URL rule) on the database, until no message of `--group`
is waiting or being sent, then exits 0. SIGTERM or SIGINT stop it cleanly; SIGKILL is what the benchmark
uses to make it crash.

The pulse kinds are live: drawn when sent, by the bot's own renderer (`live_renderers`: the pulse open,
the user has not answered nor opted out, a reminder after a sent card, then the card in their language
with their remembered unit: the database reads and the card of the real path).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from functools import partial

from botframework.connector.auth import PasswordServiceClientCredentialFactory

from bot.conversation.pulses import PulseDesk, PulseServices
from bot.proactive.dispatcher import DispatchPolicy, LiveRenderer, OutboxDispatcher
from bot.proactive.sender import ConnectorSender
from bot.settings import Settings
from bot.transport.adapter import check_service_url
from bot.transport.outbound import OutboundClient, OutboundTokens
from nwow.feedback.units import units_loader
from nwow.outbox import Delivery
from nwow.paths import default_faq_dir
from nwow.storage import Database, open_database

__all__ = ["live_renderers", "main", "run_sender"]


def live_renderers(database: Database) -> Mapping[str, LiveRenderer]:
    """How the pulse kinds are drawn when sent: the bot's own renderer (bot/conversation/pulses.py: the
    `deliverable` checks, the user's remembered unit, the pulse card of bot/cards/pulse.py)."""
    loaded = units_loader(default_faq_dir())
    if loaded.value is None:
        raise RuntimeError(f"the shipped units do not read: {loaded.problems}")
    units = loaded.value
    desk = PulseDesk(
        PulseServices(
            settings=Settings().with_overrides(dev_mode=True),
            pulses=database.pulses,
            outbox=database.outbox,
            feedback=database.feedback,
            units=lambda: units,
            is_dri=lambda activity: False,
        )
    )
    return desk.live()


async def _pending(database: Database, group: str) -> int:
    counts = await database.outbox.counts(group)
    return counts[Delivery.QUEUED] + counts[Delivery.SENDING]


async def run_sender(
    database_url: str, group: str, policy: DispatchPolicy, *, owner: str | None = None, poll: float = 0.5
) -> Counter[str]:
    """Deliver the outbox until nothing of `group` waits; how each delivery ended, by outcome."""
    outcomes: Counter[str] = Counter()
    database = await open_database(database_url)
    outbound = OutboundClient(OutboundTokens(PasswordServiceClientCredentialFactory()))
    try:
        dispatcher = OutboxDispatcher(
            database.outbox,
            database.addresses,
            database.leases,
            ConnectorSender(outbound, "", check_service_url=partial(check_service_url, loopback_only=True)),
            policy,
            owner=owner,
            on_delivered=lambda message, outcome: outcomes.update([outcome]),
            live=live_renderers(database),
        )
        task = asyncio.create_task(dispatcher.run(), name="outbox-dispatcher")
        try:
            while await _pending(database, group) and not task.done():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(task), poll)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    finally:
        await outbound.close()
        await database.close()
    return outcomes


async def _run_until_signalled(args: argparse.Namespace) -> Counter[str]:
    policy = DispatchPolicy(
        rate=args.rate,
        concurrency=args.concurrency,
        sender_lease=timedelta(seconds=args.sender_lease),
        message_lease=timedelta(seconds=args.message_lease),
        idle_poll=args.idle_poll,
    )
    if args.at_least_once:
        policy = replace(policy, at_most_once=frozenset())
    work = asyncio.create_task(run_sender(args.database_url, args.group, policy, owner=args.owner))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, work.cancel)
    try:
        return await work
    except asyncio.CancelledError:
        return Counter()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--group", required=True, help="the outbox group to deliver (pulse:ID)")
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--sender-lease", type=float, default=15.0, help="seconds")
    parser.add_argument("--message-lease", type=float, default=60.0, help="seconds")
    parser.add_argument("--idle-poll", type=float, default=1.0, help="seconds")
    parser.add_argument("--owner")
    parser.add_argument(
        "--at-least-once", action="store_true", help="send pulse cards again after a crash (for comparison)"
    )
    args = parser.parse_args(argv)
    outcomes = asyncio.run(_run_until_signalled(args))
    print(json.dumps({"outcomes": dict(outcomes)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
