"""Write-once documents (the frozen monthly feedback figures): the first writer wins, on every backend."""

from __future__ import annotations

import asyncio

from nwow.storage import Database
from nwow.storage.write_once import KvWriteOnce


async def test_the_first_document_is_kept_and_returned_to_later_writers(db: Database) -> None:
    store = KvWriteOnce(db.kv)
    assert await store.get("month/2026-10") is None
    assert await store.put_once("month/2026-10", '{"n": 1}') == '{"n": 1}'
    assert await store.put_once("month/2026-10", '{"n": 2}') == '{"n": 1}'
    assert await store.get("month/2026-10") == '{"n": 1}'


async def test_concurrent_writers_all_get_the_one_document_kept(db: Database) -> None:
    store = KvWriteOnce(db.kv)
    kept = await asyncio.gather(*(store.put_once("month/2026-11", f'{{"writer": {n}}}') for n in range(8)))
    assert len(set(kept)) == 1
    assert await store.get("month/2026-11") == kept[0]
