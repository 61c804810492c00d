"""The key/value document table behind bot state: etags, batches as one transaction, concurrent writers."""

from __future__ import annotations

import asyncio

import pytest

from nwow.storage import Database, EtagConflict, open_database


async def test_read_returns_only_existing_keys(db: Database) -> None:
    assert await db.kv.read([]) == {}
    assert await db.kv.read(["nope"]) == {}
    etags = await db.kv.write([("a", '{"n": 1}', None)])
    assert await db.kv.read(["a", "nope"]) == {"a": ('{"n": 1}', etags["a"])}


async def test_every_write_gives_a_new_etag(db: Database) -> None:
    first = (await db.kv.write([("a", "1", None)]))["a"]
    second = (await db.kv.write([("a", "2", first)]))["a"]
    third = (await db.kv.write([("a", "3", "*")]))["a"]
    assert len({first, second, third}) == 3
    assert await db.kv.read(["a"]) == {"a": ("3", third)}


async def test_a_stale_etag_raises_and_changes_nothing(db: Database) -> None:
    first = (await db.kv.write([("a", "1", None)]))["a"]
    await db.kv.write([("a", "2", first)])
    with pytest.raises(EtagConflict) as info:
        await db.kv.write([("a", "3", first)])
    assert info.value.key == "a"
    assert (await db.kv.read(["a"]))["a"][0] == "2"


async def test_an_etag_for_a_deleted_key_is_a_conflict(db: Database) -> None:
    first = (await db.kv.write([("a", "1", None)]))["a"]
    assert await db.kv.delete(["a"]) == 1
    with pytest.raises(EtagConflict):
        await db.kv.write([("a", "2", first)])
    assert await db.kv.read(["a"]) == {}


async def test_a_batch_with_one_conflict_writes_nothing(db: Database) -> None:
    etags = await db.kv.write([("a", "a1", None), ("b", "b1", None)])
    await db.kv.write([("b", "b2", etags["b"])])
    with pytest.raises(EtagConflict) as info:
        await db.kv.write([("a", "a2", etags["a"]), ("c", "c1", None), ("b", "b3", etags["b"])])
    assert info.value.key == "b"
    stored = await db.kv.read(["a", "b", "c"])
    assert {k: v[0] for k, v in stored.items()} == {"a": "a1", "b": "b2"}
    assert stored["a"][1] == etags["a"]


async def test_an_empty_etag_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="empty etag"):
        await db.kv.write([("a", "1", "")])


async def test_delete_ignores_absent_keys(db: Database) -> None:
    await db.kv.write([("a", "1", None), ("b", "2", None)])
    assert await db.kv.delete(["a", "zzz", "a"]) == 1
    assert list(await db.kv.read(["a", "b"])) == ["b"]


async def test_odd_keys_and_large_documents(db: Database) -> None:
    key = "msteams/conversations/19:abc@thread.tacv2;messageid=1/users/29:1xYz'\"%_\\*"
    doc = '{"text": "' + "é" * 200_000 + '"}'
    etags = await db.kv.write([(key, doc, None)])
    assert await db.kv.read([key]) == {key: (doc, etags[key])}


async def test_concurrent_writers_with_the_same_etag_exactly_one_wins(
    database_url: str, db: Database
) -> None:
    start = (await db.kv.write([("counter", "0", None)]))["counter"]
    others = [await open_database(database_url) for _ in range(2)]
    try:
        stores = [db.kv, others[0].kv, others[1].kv] * 4

        async def attempt(i: int) -> bool:
            try:
                await stores[i].write([("counter", str(i + 1), start)])
            except EtagConflict:
                return False
            return True

        results = await asyncio.gather(*(attempt(i) for i in range(len(stores))))
    finally:
        for other in others:
            await other.close()
    assert results.count(True) == 1
    winner = results.index(True)
    assert (await db.kv.read(["counter"]))["counter"][0] == str(winner + 1)


async def test_read_modify_write_with_retries_loses_no_increment(database_url: str, db: Database) -> None:
    await db.kv.write([("counter", "0", None)])
    other = await open_database(database_url)
    try:

        async def increment(kv_db: Database) -> None:
            while True:
                text, etag = (await kv_db.kv.read(["counter"]))["counter"]
                try:
                    await kv_db.kv.write([("counter", str(int(text) + 1), etag)])
                    return
                except EtagConflict:
                    continue

        await asyncio.gather(*(increment(db if i % 2 else other) for i in range(40)))
    finally:
        await other.close()
    assert (await db.kv.read(["counter"]))["counter"][0] == "40"


async def test_reading_more_keys_than_one_statement_binds(db: Database) -> None:
    keys = [f"k{n}" for n in range(1203)]
    await db.kv.write([(key, f'{{"n": "{key}"}}', None) for key in keys[::2]])
    found = await db.kv.read(keys)
    assert set(found) == set(keys[::2])
    assert all(found[key][0] == f'{{"n": "{key}"}}' for key in found)
