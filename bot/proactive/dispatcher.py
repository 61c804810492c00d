"""Delivers the outbox: one replica at a time, within Teams' rate limits, resumable after a crash.

Every replica runs an `OutboxDispatcher`; the one that holds the `outbox-sender` lease in the database
sends, the others wait and take over when its lease runs out (a replica that died). The sender claims a
batch of due messages (each claimed under a lease of its own, so that messages a dead sender held are
claimed again once it runs out), looks up their addresses, and delivers them through a token bucket (the
whole outbox, `rate` per second) and a per-conversation pacer, a few at a time. Each delivery is settled
at once: sent, gone (the address is forgotten too), failed, or due again (429: after Retry-After, which
also pauses the whole bucket; a passing failure: after an exponential backoff, until `max_attempts`).

A message is sent at least once: if the sender dies between the channel's answer and the settle (a few
milliseconds per message), the message is delivered again by the next sender. Everything the bot queues
is safe to receive twice (a pulse is answered once per user, an answer card shows the same answer).
Kinds listed in the policy's `at_most_once` (the pulse card and its reminder) are not: right before the
channel is called the message is marked attempted, and a message a dead sender had marked but not
settled is settled as sent, unconfirmed, without a second send; so is one whose send timed out or lost
its connection after the request left (docs/proactive.md, "Crashes").

Two extensions for cards that change after they were sent (a ticket's card in the ambassadors' channel):
- a kind listed in `live` is rendered when it is sent, not when it was queued: its renderer reads the
  current state, so whatever order updates are delivered in, the last one shows the latest state; a
  renderer that returns None withdraws the message (settled `gone`);
- a message that `replaces` an earlier one updates the activity that one became (PUT, with the activity
  id the outbox kept when it was sent); while that one is still waiting, the update waits too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Protocol

from bot.log_redaction import describe, redacted_traceback
from bot.proactive.sender import SendResult
from nwow.outbox import (
    Address,
    AddressBook,
    ConversationPacer,
    Delivery,
    LeaseStore,
    OutboxStore,
    PendingMessage,
    Settlement,
    TokenBucket,
)
from nwow.pulses.launch import KIND_PULSE, KIND_REMINDER
from nwow.tasks import stop_task

__all__ = ["DispatchPolicy", "LiveRenderer", "OutboxDispatcher"]

logger = logging.getLogger(__name__)

LEASE_NAME: Final = "outbox-sender"
# How long an update waits for the message it updates to be sent, before looking again.
UPDATE_WAIT: Final = timedelta(seconds=2)


class Sender(Protocol):
    async def send(
        self, address: Address, payload: dict[str, object], *, update_of: str | None = None
    ) -> SendResult: ...


# Renders a message of a live kind when it is sent: the activity, or None to withdraw it.
LiveRenderer = Callable[[PendingMessage], Awaitable[Mapping[str, Any] | None]]


@dataclass(frozen=True)
class DispatchPolicy:
    """How fast and how stubbornly the outbox is delivered."""

    rate: float = 30.0  # messages per second, for the whole outbox (Teams: about 50 per app and tenant)
    conversation_interval: float = 1.0  # seconds between two messages to one conversation
    concurrency: int = 8  # deliveries in flight at once
    batch_seconds: float = 2.0  # a claim takes about this many seconds of sending
    message_lease: timedelta = timedelta(seconds=60)
    sender_lease: timedelta = timedelta(seconds=15)
    idle_poll: float = 1.0  # how often a waiting replica looks for work or for a free sender lease
    max_attempts: int = 8  # passing failures before a message is given up
    max_throttled: int = 50  # 429s before a message is given up
    max_backoff: float = 600.0
    # Kinds a second copy of would do more harm than a rare miss: marked attempted before the send and
    # never sent again once a sender died during their send (a person asked twice for one pulse; the
    # pulse's reminder reaches those the lost card did not).
    at_most_once: frozenset[str] = frozenset({KIND_PULSE, KIND_REMINDER})

    @property
    def batch(self) -> int:
        return max(self.concurrency, min(500, int(self.rate * self.batch_seconds)))


class OutboxDispatcher:
    def __init__(
        self,
        outbox: OutboxStore,
        addresses: AddressBook,
        leases: LeaseStore,
        sender: Sender,
        policy: DispatchPolicy | None = None,
        *,
        owner: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_delivered: Callable[[PendingMessage, str], None] | None = None,
        live: Mapping[str, LiveRenderer] | None = None,
    ) -> None:
        self._outbox = outbox
        self._addresses = addresses
        self._leases = leases
        self._sender = sender
        self.policy = policy or DispatchPolicy()
        self.owner = owner or f"sender-{secrets.token_hex(6)}"
        self._clock = clock
        self._sleep = sleep
        self._bucket = TokenBucket(self.policy.rate, max(1.0, self.policy.rate), monotonic)
        self._pacer = ConversationPacer(self.policy.conversation_interval, monotonic)
        self._wakeup = asyncio.Event()
        self._lease_lost = asyncio.Event()  # set while a batch is delivered, when the sender lease was lost
        self._on_delivered = on_delivered
        self._live = dict(live or {})

    def wake(self) -> None:
        """Something was queued: look now instead of at the next poll."""
        self._wakeup.set()

    async def run(self) -> None:
        """Deliver while this replica holds the sender lease; otherwise wait for it. Runs until cancelled."""
        try:
            while True:
                try:
                    leading = await self._leases.acquire(
                        LEASE_NAME, self.owner, self._clock(), self.policy.sender_lease
                    )
                    delivered = await self.drain_once() if leading else 0
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # messages carry personal data: log the failure without its text
                    logger.error(
                        "outbox delivery round failed; trying again shortly: %s\n%s",
                        describe(exc),
                        redacted_traceback(exc),
                    )
                    delivered = 0
                if delivered == 0:
                    await self._idle()
        finally:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._leases.release(LEASE_NAME, self.owner))

    async def _idle(self) -> None:
        self._wakeup.clear()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.policy.idle_poll):
                await self._wakeup.wait()

    async def drain_once(self) -> int:
        """Claim one batch of due messages and deliver it; the number of messages settled.

        While the batch is delivered (a 429's pause can make that longer than the sender lease), the lease
        is renewed in the background; once it is lost (another replica took it: this one was too slow to
        renew), the messages not yet sent are handed back due at once, so that one sender at a time sends.
        """
        claimed = await self._outbox.claim(
            self.owner, self._clock(), self.policy.message_lease, self.policy.batch
        )
        if not claimed:
            return 0
        found = await self._addresses.lookup(sorted({m.recipient for m in claimed}))
        gate = asyncio.Semaphore(self.policy.concurrency)
        self._lease_lost = asyncio.Event()
        renewer = asyncio.create_task(self._keep_lease(self._lease_lost), name="outbox-sender-lease")

        async def deliver(message: PendingMessage) -> None:
            async with gate:
                try:
                    await self._deliver(message, found.get(message.recipient))
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # the message stays claimed: delivered again after its lease
                    logger.error(
                        "outbox message %d (%s) could not be delivered or settled: %s\n%s",
                        message.id,
                        message.kind,
                        describe(exc),
                        redacted_traceback(exc),
                    )

        try:
            # Updates go after the rest of the batch, so that a card and its update claimed together are
            # sent in one round (the update needs the activity id the card gets).
            await asyncio.gather(*(deliver(m) for m in claimed if not m.replaces))
            await asyncio.gather(*(deliver(m) for m in claimed if m.replaces))
        finally:
            # A cancel of this task (the app stopping) that lands while the renewer stops is raised again,
            # or the dispatcher would go on and whoever awaits it (the app's shutdown) wait for ever.
            await stop_task(renewer)
        return len(claimed)

    async def _keep_lease(self, lost: asyncio.Event) -> None:
        """Renew the sender lease every third of its time until cancelled; set `lost` when it cannot."""
        every = self.policy.sender_lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)  # real time, whatever clock the rate limits run on
            try:
                kept = await self._leases.acquire(
                    LEASE_NAME, self.owner, self._clock(), self.policy.sender_lease
                )
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("could not renew the outbox sender lease: %s", describe(exc))
                kept = False
            if not kept:
                logger.warning(
                    "lost the outbox sender lease while sending: handing the rest of the batch back",
                    extra={"event": "outbox.lease_lost"},
                )
                lost.set()
                return

    async def _deliver(self, message: PendingMessage, address: Address | None) -> None:
        if address is None:
            await self._settle(message, Settlement.gone("no address"), "gone")
            return
        at_most_once = message.kind in self.policy.at_most_once
        if at_most_once and message.attempted_at is not None:
            logger.warning(
                "outbox message %d (%s) was being sent when its sender stopped: counted as sent, not sent again",
                message.id,
                message.kind,
                extra={"event": "outbox.unconfirmed"},
            )
            await self._settle(message, Settlement.unconfirmed(message.attempted_at), "unconfirmed")
            return
        update_of: str | None = None
        if message.replaces:
            target = await self._update_target(message)
            if isinstance(target, Settlement):
                waiting = target.status is Delivery.QUEUED
                await self._settle(message, target, "waiting" if waiting else target.status.value)
                return
            update_of = target
        wait = max(self._bucket.reserve(), self._pacer.reserve(address.conversation_id or message.recipient))
        if wait > 0:
            await self._sleep(wait)
        if self._lease_lost.is_set():
            # Another replica sends now: this message goes back to the queue, due at once, for it.
            await self._settle(
                message, Settlement.again(self._clock(), "handed back: the sender lease moved"), "yielded"
            )
            return
        payload = message.payload
        renderer = self._live.get(message.kind)
        if renderer is not None:
            # Rendered after the wait, as close to the send as can be: the card shows the latest state.
            try:
                rendered = await renderer(message)
            except Exception as exc:
                logger.error(
                    "outbox message %d (%s) could not be rendered: %s\n%s",
                    message.id,
                    message.kind,
                    describe(exc),
                    redacted_traceback(exc),
                )
                failed = SendResult("transient", "rendering failed")
                await self._settle(message, self._settlement(message, failed), "transient")
                return
            if rendered is None:
                await self._settle(message, Settlement.gone("withdrawn"), "gone")
                return
            payload = rendered
        attempted = self._clock()
        if at_most_once and not await self._outbox.attempt(message.id, self.owner, attempted):
            self._lost_claim(message)
            return
        try:
            result = await self._sender.send(address, dict(payload), update_of=update_of)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Raised before the request left (no access token, a refused service URL): the channel got
            # nothing. Settled as a passing failure, which also clears the at-most-once mark.
            logger.error(
                "outbox message %d (%s) could not be sent: %s\n%s",
                message.id,
                message.kind,
                describe(exc),
                redacted_traceback(exc),
            )
            result = SendResult("transient", f"send failed: {type(exc).__name__}")
        if result.opened_conversation:
            await self._addresses.remember(
                message.recipient,
                address.with_conversation(result.opened_conversation),
                kind="user",
                now=self._clock(),
            )
        if at_most_once and result.outcome == "transient" and result.may_have_arrived:
            logger.warning(
                "outbox message %d (%s) got no answer from the channel (%s): counted as sent, not sent again",
                message.id,
                message.kind,
                result.error,
                extra={"event": "outbox.unconfirmed"},
            )
            why = f"no answer from the channel ({result.error}) to the send"
            await self._settle(message, Settlement.unconfirmed(attempted, why=why), "unconfirmed")
            return
        if result.outcome == "gone":
            # Forgotten before the message shows as gone: whoever reads "gone" finds no address left.
            await self._addresses.forget(message.recipient)
        await self._settle(message, self._settlement(message, result), result.outcome)

    async def _update_target(self, message: PendingMessage) -> str | Settlement:
        """The activity id that `message` updates, or how to settle it when there is none (yet)."""
        found = (await self._outbox.delivery([message.replaces])).get(message.replaces)
        if found is None:
            return Settlement.failed("the message to update was never queued")
        status, activity_id = found
        if status in (Delivery.QUEUED, Delivery.SENDING):
            if message.attempts >= self.policy.max_throttled:
                return Settlement.failed("the message to update was still not sent")
            return Settlement.again(self._clock() + UPDATE_WAIT, "waiting for the message it updates")
        if status is not Delivery.SENT or not activity_id:
            return Settlement.failed(f"the message to update is {status.value}, without an activity id")
        return activity_id

    def _settlement(self, message: PendingMessage, result: SendResult) -> Settlement:
        now = self._clock()
        policy = self.policy
        if result.outcome == "sent":
            return Settlement.sent(result.activity_id)
        if result.outcome == "gone":
            return Settlement.gone(result.error)
        if result.outcome == "throttled":
            pause = result.retry_after if result.retry_after is not None else 1.0
            self._bucket.pause(pause)
            if message.attempts >= policy.max_throttled:
                return Settlement.failed(f"{result.error}, throttled {message.attempts} times")
            return Settlement.again(now + timedelta(seconds=pause), result.error)
        if result.outcome == "transient" and message.attempts < policy.max_attempts:
            backoff = min(policy.max_backoff, 2.0**message.attempts)
            if result.retry_after is not None:
                backoff = max(backoff, result.retry_after)
            return Settlement.again(now + timedelta(seconds=backoff), result.error)
        return Settlement.failed(result.error)

    async def _settle(self, message: PendingMessage, outcome: Settlement, label: str) -> None:
        if not await self._outbox.settle(message.id, self.owner, outcome, self._clock()):
            self._lost_claim(message)
            return
        if outcome.status.value in ("gone", "failed"):
            logger.info(
                "outbox message %d (%s) %s",
                message.id,
                message.kind,
                outcome.status.value,
                extra={"event": f"outbox.{outcome.status.value}"},
            )
        if self._on_delivered is not None:
            self._on_delivered(message, label)

    @staticmethod
    def _lost_claim(message: PendingMessage) -> None:
        logger.warning(
            "outbox message %d was claimed by another sender before it was settled here",
            message.id,
            extra={"event": "outbox.lost_claim"},
        )
