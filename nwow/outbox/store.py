"""The outbox and lease store interfaces. Implementations on SQLite and PostgreSQL:
`nwow.storage.outbox_sql` (`Database.outbox`, `Database.leases`), checked by one contract suite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from nwow.outbox.model import Delivery, OutboxMessage, PendingMessage, Settlement

__all__ = ["LeaseStore", "OutboxStore"]


class OutboxStore(Protocol):
    async def enqueue(self, messages: Sequence[OutboxMessage], now: datetime) -> int:
        """Queue the messages whose key was never queued; the number queued now."""
        ...

    async def claim(self, owner: str, now: datetime, lease: timedelta, limit: int) -> list[PendingMessage]:
        """Up to `limit` messages due at `now` (queued with `not_before <= now`, or claimed by a sender
        whose lease ran out), oldest first, now claimed by `owner` until `now + lease`. Two owners never
        hold the same message at once."""
        ...

    async def attempt(self, message_id: int, owner: str, now: datetime) -> bool:
        """Record that `owner` is about to send the message (right before the channel is called); False
        (and nothing changed) if `owner` no longer holds it. Until the settle, a claim of the message by
        another sender returns it with `attempted_at`: unconfirmed."""
        ...

    async def settle(self, message_id: int, owner: str, outcome: Settlement, now: datetime) -> bool:
        """Record how the delivery ended; False (and nothing changed) if `owner` no longer holds it. A final
        outcome drops the payload (it may hold personal data and is not needed any more)."""
        ...

    async def counts(self, group: str) -> dict[Delivery, int]:
        """How many messages of `group` are in each state."""
        ...

    async def cancel(self, recipient: str, now: datetime) -> int:
        """Give up the messages still queued for `recipient` (they removed the app or asked to delete their
        data): settled `gone` ("cancelled") with their payload dropped, so their keys are never queued again
        and whoever counts them sees them settled. A message being sent is left to its sender."""
        ...

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Delete final messages settled before `cutoff` (the retention period: their payload is already
        gone, the key and the recipient's pseudonym remain); their keys may then be queued again. Messages
        still queued or being sent are kept, whatever their age."""
        ...

    async def next_due(self) -> datetime | None:
        """When the earliest queued message becomes due (None: nothing queued)."""
        ...

    async def delivery(self, keys: Sequence[str]) -> dict[str, tuple[Delivery, str | None]]:
        """The state of the messages with these keys, with the activity id of those sent (None when the
        channel named none): what an update of that activity needs."""
        ...


class LeaseStore(Protocol):
    async def acquire(self, name: str, owner: str, now: datetime, ttl: timedelta) -> bool:
        """Take or renew the lease `name` for `owner` until `now + ttl`; False while another owner holds it
        unexpired. Across replicas, one owner at a time."""
        ...

    async def release(self, name: str, owner: str) -> None: ...
