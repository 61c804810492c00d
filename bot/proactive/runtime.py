"""Proactive messaging in a running bot: the outbox dispatcher as a background task of the app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping

from bot.metrics import BotMetrics
from bot.proactive.dispatcher import DispatchPolicy, LiveRenderer, OutboxDispatcher
from bot.proactive.sender import ConnectorSender
from bot.proactive.service import Proactive
from bot.transport.outbound import OutboundClient
from nwow.storage import Database
from nwow.tasks import stop_task

__all__ = ["running_proactive"]


@contextlib.asynccontextmanager
async def running_proactive(
    database: Database,
    outbound: OutboundClient,
    app_id: str,
    policy: DispatchPolicy,
    metrics: BotMetrics,
    check_service_url: Callable[[str], None],
    live: Mapping[str, LiveRenderer] | None = None,
) -> AsyncIterator[Proactive]:
    """`Proactive` for the handler, with this replica's dispatcher running until the block ends. `live`
    renders the messages of its kinds when they are sent (the ambassadors' cards)."""
    dispatcher = OutboxDispatcher(
        database.outbox,
        database.addresses,
        database.leases,
        ConnectorSender(outbound, app_id, check_service_url=check_service_url),
        policy,
        on_delivered=lambda message, outcome: metrics.proactive.labels(
            kind=message.kind, outcome=outcome
        ).inc(),
        live=live,
    )
    task = asyncio.create_task(dispatcher.run(), name="outbox-dispatcher")
    try:
        yield Proactive(database.addresses, database.outbox, dispatcher)
    finally:
        await stop_task(task)
