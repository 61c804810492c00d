"""The outbox, the address book and leases on the SQL database (`Database.outbox`, `.addresses`, `.leases`).

Each operation is one statement, atomic on its own on both backends: a claim is one
`UPDATE ... RETURNING` over the due rows (PostgreSQL skips rows another sender has locked), so two senders
never hold one message; a settle names its owner, so a sender whose lease ran out cannot settle a message
another sender has claimed since.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from nwow.outbox.addresses import Address, AddressKind
from nwow.outbox.model import FINAL, Delivery, OutboxMessage, PendingMessage, Settlement
from nwow.storage.sql import PURGE_STATEMENT_TIMEOUT, Executor, as_datetime

__all__ = ["SqlAddressBook", "SqlLeaseStore", "SqlOutboxStore"]

# Rows a claim may take at once (bound parameters stay far below either backend's limit).
MAX_CLAIM = 500

_CLAIM_POSTGRESQL = (
    "UPDATE outbox SET status = 'sending', owner = $1, lease_until = $2, attempts = attempts + 1 "
    "WHERE id IN (SELECT id FROM outbox "
    "WHERE (status = 'queued' AND not_before <= $3) OR (status = 'sending' AND lease_until < $3) "
    "ORDER BY not_before, id LIMIT $4 FOR UPDATE SKIP LOCKED) "
    "RETURNING id, key, kind, recipient, payload, attempts, grp, replaces, attempted_at"
)
# SQLite runs one writing statement at a time on the whole file: the sub-select cannot race.
_CLAIM_SQLITE = (
    "UPDATE outbox SET status = 'sending', owner = $1, lease_until = $2, attempts = attempts + 1 "
    "WHERE id IN (SELECT id FROM outbox "
    "WHERE (status = 'queued' AND not_before <= $3) OR (status = 'sending' AND lease_until < $3) "
    "ORDER BY not_before, id LIMIT $4) "
    "RETURNING id, key, kind, recipient, payload, attempts, grp, replaces, attempted_at"
)
_REMEMBER = (
    "INSERT INTO addresses (key, kind, address, updated_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (key) DO UPDATE SET address = excluded.address, kind = excluded.kind, "
    "updated_at = excluded.updated_at"
)
_REMEMBER_IF_NEW = (
    "INSERT INTO addresses (key, kind, address, updated_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (key) DO NOTHING"
)


class SqlOutboxStore:
    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def enqueue(self, messages: Sequence[OutboxMessage], now: datetime) -> int:
        if not messages:
            return 0
        queued = 0
        async with self._executor.transaction() as tx:
            for message in messages:
                queued += await tx.execute(
                    "INSERT INTO outbox (key, kind, grp, recipient, payload, status, attempts, not_before, "
                    "created_at, error, replaces) VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $7, '', $8) "
                    "ON CONFLICT (key) DO NOTHING",
                    message.key,
                    message.kind,
                    message.group,
                    message.recipient,
                    json.dumps(message.payload, separators=(",", ":")),
                    message.not_before,
                    now,
                    message.replaces,
                )
        return queued

    async def claim(self, owner: str, now: datetime, lease: timedelta, limit: int) -> list[PendingMessage]:
        sql = _CLAIM_SQLITE if self._executor.backend == "sqlite" else _CLAIM_POSTGRESQL
        rows = await self._executor.fetch(sql, owner, now + lease, now, max(1, min(limit, MAX_CLAIM)))
        claimed = [
            PendingMessage(
                id=int(row[0]),
                key=str(row[1]),
                kind=str(row[2]),
                recipient=str(row[3]),
                payload=json.loads(row[4]),
                attempts=int(row[5]),
                group=str(row[6]),
                replaces=str(row[7]),
                attempted_at=None if row[8] is None else as_datetime(row[8]),
            )
            for row in rows
        ]
        claimed.sort(key=lambda m: m.id)
        return claimed

    async def attempt(self, message_id: int, owner: str, now: datetime) -> bool:
        changed = await self._executor.execute(
            "UPDATE outbox SET attempted_at = $3 WHERE id = $1 AND owner = $2 AND status = 'sending'",
            message_id,
            owner,
            now,
        )
        return changed == 1

    async def settle(self, message_id: int, owner: str, outcome: Settlement, now: datetime) -> bool:
        if outcome.status in FINAL:
            changed = await self._executor.execute(
                "UPDATE outbox SET status = $3, owner = NULL, lease_until = NULL, settled_at = $4, "
                "error = $5, payload = '{}', activity_id = $6, attempted_at = NULL "
                "WHERE id = $1 AND owner = $2 AND status = 'sending'",
                message_id,
                owner,
                outcome.status.value,
                now,
                outcome.error[:500],
                outcome.activity_id,
            )
        else:
            changed = await self._executor.execute(
                "UPDATE outbox SET status = 'queued', owner = NULL, lease_until = NULL, not_before = $3, "
                "error = $4, attempted_at = NULL WHERE id = $1 AND owner = $2 AND status = 'sending'",
                message_id,
                owner,
                outcome.retry_at or now,
                outcome.error[:500],
            )
        return changed == 1

    async def counts(self, group: str) -> dict[Delivery, int]:
        rows = await self._executor.fetch(
            "SELECT status, COUNT(*) FROM outbox WHERE grp = $1 GROUP BY status", group
        )
        found = {Delivery(str(status)): int(count) for status, count in rows}
        return {status: found.get(status, 0) for status in Delivery}

    async def cancel(self, recipient: str, now: datetime) -> int:
        return await self._executor.execute(
            "UPDATE outbox SET status = 'gone', payload = '{}', error = 'cancelled', settled_at = $2, "
            "owner = NULL, lease_until = NULL WHERE recipient = $1 AND status = 'queued'",
            recipient,
            now,
        )

    async def purge_older_than(self, cutoff: datetime) -> int:
        # A pulse settles tens of thousands of rows at once: the purge's deadline, like every other store's.
        async with self._executor.transaction(statement_timeout=PURGE_STATEMENT_TIMEOUT) as tx:
            return await tx.execute(
                "DELETE FROM outbox WHERE status IN ('sent', 'gone', 'failed') AND settled_at < $1", cutoff
            )

    async def next_due(self) -> datetime | None:
        rows = await self._executor.fetch("SELECT MIN(not_before) FROM outbox WHERE status = 'queued'")
        return as_datetime(rows[0][0]) if rows and rows[0][0] is not None else None

    async def delivery(self, keys: Sequence[str]) -> dict[str, tuple[Delivery, str | None]]:
        found: dict[str, tuple[Delivery, str | None]] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), MAX_CLAIM):
            chunk = unique[start : start + MAX_CLAIM]
            marks = ", ".join(f"${i + 1}" for i in range(len(chunk)))
            rows = await self._executor.fetch(
                f"SELECT key, status, activity_id FROM outbox WHERE key IN ({marks})",  # noqa: S608
                *chunk,
            )
            found.update(
                {str(key): (Delivery(str(status)), None if a is None else str(a)) for key, status, a in rows}
            )
        return found


class SqlAddressBook:
    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def remember(
        self, key: str, address: Address, *, kind: AddressKind, now: datetime, replace: bool = True
    ) -> None:
        await self._executor.execute(
            _REMEMBER if replace else _REMEMBER_IF_NEW,
            key,
            kind,
            address.to_json(),
            now,
        )

    async def lookup(self, keys: Sequence[str]) -> dict[str, Address]:
        found: dict[str, Address] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), MAX_CLAIM):
            chunk = unique[start : start + MAX_CLAIM]
            marks = ", ".join(f"${i + 1}" for i in range(len(chunk)))
            # Only numbered placeholders are formatted in; the keys are bound.
            rows = await self._executor.fetch(
                f"SELECT key, address FROM addresses WHERE key IN ({marks})",  # noqa: S608
                *chunk,
            )
            found.update({str(key): Address.from_json(str(text)) for key, text in rows})
        return found

    async def forget(self, key: str) -> bool:
        return await self._executor.execute("DELETE FROM addresses WHERE key = $1", key) > 0

    async def recipients(self, kind: AddressKind, *, after: str = "", limit: int = 1000) -> list[str]:
        rows = await self._executor.fetch(
            "SELECT key FROM addresses WHERE kind = $1 AND key > $2 ORDER BY key LIMIT $3",
            kind,
            after,
            max(1, limit),
        )
        return [str(row[0]) for row in rows]


class SqlLeaseStore:
    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def acquire(self, name: str, owner: str, now: datetime, ttl: timedelta) -> bool:
        changed = await self._executor.execute(
            "INSERT INTO leases (name, owner, expires_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at "
            "WHERE leases.owner = excluded.owner OR leases.expires_at < $4",
            name,
            owner,
            now + ttl,
            now,
        )
        return changed == 1

    async def release(self, name: str, owner: str) -> None:
        await self._executor.execute("DELETE FROM leases WHERE name = $1 AND owner = $2", name, owner)
