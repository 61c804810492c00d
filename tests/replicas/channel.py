"""The Bot Connector's side of a multi-replica test: redelivery like the channel's, and replies that can
be held in flight.

- `deliver` posts one activity the way the channel does: a request that got no answer (connection refused
  or dropped, a timeout) or a 5xx/409 is sent again, with the same activity id, honouring Retry-After, to
  the next replica in turn (a load balancer sends a retry wherever it likes), until a 2xx or its deadline.
- `GatedConnector` is the fake Bot Connector with a gate: while it is closed, the bot's replies are held
  unanswered (the turns that sent them are mid-flight); a reply whose sender died meanwhile is dropped,
  as it never completed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.harness.connector import FakeConnector
from tests.replicas.processes import Replica

DELIVERY_DEADLINE = 90.0
_NO_ANSWER_PAUSE = 0.2  # before redelivering a request that got no answer at all
_DEFAULT_RETRY_AFTER = 1.0


@dataclass
class Delivery:
    """How one activity was delivered: the status of every attempt (None: no answer) and where it went."""

    activity_id: str
    attempts: list[tuple[str, int | None]] = field(default_factory=list)
    answered_at: float = 0.0  # the event loop's time of the 2xx

    @property
    def status(self) -> int | None:
        return self.attempts[-1][1] if self.attempts else None


async def deliver(
    http: aiohttp.ClientSession,
    replicas: Sequence[Replica],
    activity: dict[str, Any],
    *,
    first: int = 0,
    sending: Callable[[str, Replica], None] | None = None,
    deadline: float = DELIVERY_DEADLINE,
) -> Delivery:
    """Deliver `activity` like the channel: again on no answer, 5xx or 409; raises on any other 4xx."""
    delivery = Delivery(str(activity["id"]))
    give_up = asyncio.get_running_loop().time() + deadline
    attempt = 0
    while True:
        replica = replicas[(first + attempt) % len(replicas)]
        attempt += 1
        if sending is not None:
            sending(delivery.activity_id, replica)
        pause = _NO_ANSWER_PAUSE
        status: int | None
        try:
            async with http.post(replica.messages_url, json=activity) as response:
                await response.read()
                status = response.status
                retry_after = response.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError):
            status, retry_after = None, None
        delivery.attempts.append((replica.name, status))
        if status is not None and status < 300:
            delivery.answered_at = asyncio.get_running_loop().time()
            return delivery
        if status is not None and status < 500 and status != 409:
            raise AssertionError(f"activity {delivery.activity_id} refused with {status}: {delivery}")
        if status is not None:
            pause = float(retry_after) if retry_after and retry_after.isdigit() else _DEFAULT_RETRY_AFTER
        if asyncio.get_running_loop().time() + pause > give_up:
            raise AssertionError(f"activity {delivery.activity_id} not delivered in {deadline} s: {delivery}")
        await asyncio.sleep(pause)  # the channel's back-off, not a synchronisation


@dataclass
class GatedConnector(FakeConnector):
    """A FakeConnector whose replies can be held in flight (see the module docstring)."""

    held: list[str | None] = field(default_factory=list)  # reply_to ids of the replies held now
    _open: asyncio.Event | None = None

    def close_gate(self) -> None:
        self._gate().clear()

    def open_gate(self) -> None:
        self._gate().set()

    async def wait_until(self, predicate: Callable[[], bool], within: float) -> None:
        condition = self._condition()
        async with asyncio.timeout(within), condition:
            await condition.wait_for(predicate)

    def replies_to(self, activity_id: str) -> list[dict[str, Any]]:
        """The messages (typing indicators left out) the bot sent in reply to `activity_id`."""
        return [
            r.body for r in self.replies if r.reply_to_id == activity_id and r.body.get("type") == "message"
        ]

    def _gate(self) -> asyncio.Event:
        if self._open is None:
            self._open = asyncio.Event()
            self._open.set()
        return self._open

    async def _activity(self, request: web.Request) -> web.Response:
        gate = self._gate()
        if not gate.is_set():
            reply_to = request.match_info.get("activity_id")
            self.held.append(reply_to)
            condition = self._condition()
            async with condition:
                condition.notify_all()
            try:
                await gate.wait()
            finally:
                self.held.remove(reply_to)
            await asyncio.sleep(0)  # let a connection that dropped meanwhile be noticed
            if request.transport is None or request.transport.is_closing():
                return web.Response(status=499)  # its sender is gone: this reply was never delivered
        return await super()._activity(request)
