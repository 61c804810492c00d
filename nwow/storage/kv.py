"""A key/value table of JSON documents with optimistic concurrency: the store behind bot state.

Each document carries an etag that changes on every write. A write names the etag it expects:
`None` or `"*"` overwrites whatever is there (or creates), `ABSENT` creates and conflicts when the key
exists, any other value must equal the stored etag; else the whole batch is rolled back and
`EtagConflict(key)` is raised. An expected etag for a key that
no longer exists is a conflict too: someone deleted it since it was read.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Protocol

from nwow.storage.errors import EtagConflict
from nwow.storage.sql import Executor

logger = logging.getLogger(__name__)

WILDCARD = "*"
# Expected etag meaning "this key did not exist when I read it": the write creates the document, and is
# a conflict when someone else created it since (used by bot/turn/retry.py for state first saved in a turn).
ABSENT = "*absent*"

_KEYS_PER_READ = 500

# (key, json_text, expected_etag): expected_etag None or "*" overwrites.
KvWrite = tuple[str, str, str | None]


class KeyValueStore(Protocol):
    async def read(self, keys: Iterable[str]) -> dict[str, tuple[str, str]]:
        """The stored documents among `keys` as {key: (json_text, etag)}; absent keys are left out."""
        ...

    async def write(self, items: Sequence[KvWrite]) -> dict[str, str]:
        """Write all items in one transaction; {key: new_etag}. Raises EtagConflict and writes nothing."""
        ...

    async def delete(self, keys: Iterable[str]) -> int:
        """Delete `keys` (absent ones are ignored); the number of documents removed."""
        ...


def new_etag() -> str:
    return uuid.uuid4().hex


class SqlKeyValueStore:
    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def read(self, keys: Iterable[str]) -> dict[str, tuple[str, str]]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        # One statement (a turn reads one or two keys): a consistent picture of them, in one trip to the
        # database. Long key lists go in chunks, within both backends' bound-parameter limits.
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(wanted), _KEYS_PER_READ):
            chunk = wanted[start : start + _KEYS_PER_READ]
            placeholders = ", ".join(f"${n}" for n in range(1, len(chunk) + 1))
            rows = await self._executor.fetch(
                f"SELECT key, doc, etag FROM kv WHERE key IN ({placeholders})",  # noqa: S608 (placeholders only)
                *chunk,
            )
            found.update((str(key), (str(doc), str(etag))) for key, doc, etag in rows)
        return found

    async def write(self, items: Sequence[KvWrite]) -> dict[str, str]:
        for key, _doc, expected in items:
            if expected == "":
                raise ValueError(f"empty etag for key {key!r}: give the etag read, '*' or None")
        now = datetime.now(UTC)
        written: dict[str, str] = {}
        if not items:
            return written
        async with self._executor.transaction() as tx:
            for key, doc, expected in items:
                etag = new_etag()
                if expected is None or expected == WILDCARD:
                    await tx.execute(
                        "INSERT INTO kv (key, doc, etag, updated_at) VALUES ($1, $2, $3, $4) "
                        "ON CONFLICT (key) DO UPDATE SET doc = excluded.doc, etag = excluded.etag, "
                        "updated_at = excluded.updated_at",
                        key,
                        doc,
                        etag,
                        now,
                    )
                elif expected == ABSENT:
                    created = await tx.execute(
                        "INSERT INTO kv (key, doc, etag, updated_at) VALUES ($1, $2, $3, $4) "
                        "ON CONFLICT (key) DO NOTHING",
                        key,
                        doc,
                        etag,
                        now,
                    )
                    if created != 1:
                        logger.info("a state document was created concurrently; the batch is rolled back")
                        raise EtagConflict(key)
                else:
                    changed = await tx.execute(
                        "UPDATE kv SET doc = $2, etag = $3, updated_at = $4 WHERE key = $1 AND etag = $5",
                        key,
                        doc,
                        etag,
                        now,
                        expected,
                    )
                    if changed != 1:
                        logger.info("etag conflict on a state document; the batch is rolled back")
                        raise EtagConflict(key)
                written[key] = etag
        return written

    async def delete(self, keys: Iterable[str]) -> int:
        doomed = list(dict.fromkeys(keys))
        if not doomed:
            return 0
        removed = 0
        async with self._executor.transaction() as tx:
            for key in doomed:
                removed += await tx.execute("DELETE FROM kv WHERE key = $1", key)
        return removed


async def claim_period(kv: KeyValueStore, key: str, period: str, *, field: str = "period") -> bool:
    """True for exactly one caller per `period` across replicas: a label that sorts in time order
    ("2026-W48", "2026-11-23").

    The last claimed period is kept under `key` (as `{field: period}`) and moved forward by e_tag
    compare-and-set: of replicas claiming the same new period at once, one wins, the others see False; a
    period not later than the last one claimed (a replica whose clock lags) is never claimed again."""
    found = await kv.read([key])
    if key not in found:
        try:
            await kv.write([(key, json.dumps({field: period}), ABSENT)])
        except EtagConflict:  # another replica created it a moment ago: see what it claimed
            found = await kv.read([key])
        else:
            return True
    doc, etag = found[key]
    last = json.loads(doc).get(field)
    if isinstance(last, str) and last >= period:
        return False
    try:
        await kv.write([(key, json.dumps({field: period}), etag)])
    except EtagConflict:
        return False
    return True
