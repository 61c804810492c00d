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
    gathers messages for status counts (e.g. one pulse). `payload` is the activity to send, as JSON (for a
    kind the dispatcher renders when it sends, what that renderer reads).

    `replaces` names the key of an earlier message: this one then updates the activity that one became
    (the channel's PUT of an activity) instead of posting a new one.
    """

    key: str
    kind: str
    recipient: str
    payload: Mapping[str, Any]
    not_before: datetime
    group: str = ""
    replaces: str = ""


@dataclass(frozen=True)
class PendingMessage:
    """A claimed message, to be delivered and then settled with its `id`.

    `attempted_at` is set when a sender said it was about to send the message (`OutboxStore.attempt`) and
    then never settled it (it died): whether the channel got that send is unknown."""

    id: int
    key: str
    kind: str
    recipient: str
    payload: Mapping[str, Any]
    attempts: int
    group: str
    replaces: str = ""
    attempted_at: datetime | None = None

    @property
    def unconfirmed(self) -> bool:
        """A sender died while sending it: the channel may or may not have it."""
        return self.attempted_at is not None


@dataclass(frozen=True)
class Settlement:
    """How a delivery attempt ended: final (sent / gone / failed), or due again at `retry_at`. A sent
    message keeps the id the channel gave its activity (`activity_id`), for a later update of it."""

    status: Delivery
    retry_at: datetime | None = None
    error: str = ""
    activity_id: str | None = None

    @classmethod
    def sent(cls, activity_id: str | None = None) -> Settlement:
        return cls(Delivery.SENT, activity_id=activity_id)

    @classmethod
    def gone(cls, error: str) -> Settlement:
        return cls(Delivery.GONE, error=error)

    @classmethod
    def failed(cls, error: str) -> Settlement:
        return cls(Delivery.FAILED, error=error)

    @classmethod
    def unconfirmed(
        cls, attempted_at: datetime, *, why: str = "the sender stopped while sending"
    ) -> Settlement:
        """Counted as sent without the channel's answer (its sender died during the send, or the send timed
        out or lost its connection after the request left), and this kind is not sent twice (the
        dispatcher's `at_most_once`)."""
        return cls(Delivery.SENT, error=f"unconfirmed: {why} at {attempted_at:%Y-%m-%dT%H:%M:%SZ}")

    @classmethod
    def again(cls, at: datetime, error: str) -> Settlement:
        return cls(Delivery.QUEUED, retry_at=at, error=error)
