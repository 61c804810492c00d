"""What the outbox holds: messages queued once per idempotency key, and how each delivery ended."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = ["Delivery", "OutboxMessage", "PendingMessage", "Settlement"]


class Delivery(StrEnum):
    QUEUED = "queued"  # waiting for its turn (or for `not_before`)
    SENDING = "sending"  # claimed by a sender, under a lease
    SENT = "sent"  # the channel accepted it
    GONE = "gone"  # the recipient cannot be reached any more (removed the app, blocked the bot, no address)
    FAILED = "failed"  # refused for good, or still failing after every attempt


FINAL: frozenset[Delivery] = frozenset({Delivery.SENT, Delivery.GONE, Delivery.FAILED})


@dataclass(frozen=True)
class OutboxMessage:
    """One message to queue.

    `key` makes queueing idempotent: a second message with the same key is not queued again, ever (until
    the sent row is purged), so a retried turn or a restarted campaign cannot send twice. `recipient` is
    an address-book key: the message goes to the recipient's address as it is when it is sent. `group`
    gathers messages for status counts (e.g. one pulse). `payload` is the activity to send, as JSON.
    """

    key: str
    kind: str
    recipient: str
    payload: Mapping[str, Any]
    not_before: datetime
    group: str = ""


@dataclass(frozen=True)
class PendingMessage:
    """A claimed message, to be delivered and then settled with its `id`."""

    id: int
    key: str
    kind: str
    recipient: str
    payload: Mapping[str, Any]
    attempts: int
    group: str


@dataclass(frozen=True)
class Settlement:
    """How a delivery attempt ended: final (sent / gone / failed), or due again at `retry_at`."""

    status: Delivery
    retry_at: datetime | None = None
    error: str = ""

    @classmethod
    def sent(cls) -> Settlement:
        return cls(Delivery.SENT)

    @classmethod
    def gone(cls, error: str) -> Settlement:
        return cls(Delivery.GONE, error=error)

    @classmethod
    def failed(cls, error: str) -> Settlement:
        return cls(Delivery.FAILED, error=error)

    @classmethod
    def again(cls, at: datetime, error: str) -> Settlement:
        return cls(Delivery.QUEUED, retry_at=at, error=error)
