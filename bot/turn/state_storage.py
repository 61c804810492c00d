"""`SqlStorage`: the botbuilder `Storage` contract on the database's key/value table.

Conversation and user state go through here on SQLite or PostgreSQL, shared by every replica.
Objects are serialised the way the SDK's Cosmos DB storage does it: jsonpickle's `Pickler().flatten`
(so DialogState/DialogInstance objects nested in state dicts survive a round trip), without the `e_tag`,
as JSON text; reading restores them with `Unpickler().restore` and sets `e_tag` from the row.

The contract: `read` returns only the keys that exist, each with its `e_tag`; a write whose item has
`e_tag` "*" or none overwrites; any other `e_tag` must match the stored one, else the whole batch is rolled
back and `StorageConflict` (a `KeyError`, as `MemoryStorage` raises) is raised; an empty `e_tag` is an
error; after a write the new e_tag is set on the caller's object ("e_tag" key of a dict, `.e_tag` of an
object), so a second save in the same turn does not conflict with itself.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from botbuilder.core import Storage
from jsonpickle.pickler import Pickler
from jsonpickle.unpickler import Unpickler

from nwow.storage import EtagConflict, KeyValueStore, KvWrite

logger = logging.getLogger(__name__)

E_TAG = "e_tag"


class StorageConflict(KeyError):
    """A state write named an e_tag that is no longer the stored one (someone else wrote the key first)."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"Etag conflict on state key {key!r}")


def _item_etag(item: object) -> Any:
    if isinstance(item, Mapping):
        return item.get(E_TAG)
    return getattr(item, E_TAG, None)


def _set_etag(item: object, etag: str) -> None:
    if isinstance(item, dict):
        item[E_TAG] = etag
    elif item is not None and not isinstance(item, str | int | float | bool | list | tuple):
        try:
            setattr(item, E_TAG, etag)
        except AttributeError:
            logger.debug("could not set e_tag on a %s", type(item).__name__)


def serialize_item(item: object) -> str:
    """The JSON text stored for `item`: jsonpickle-flattened, without its e_tag."""
    flat = Pickler().flatten(item)
    if isinstance(flat, dict):
        flat.pop(E_TAG, None)
    return json.dumps(flat, ensure_ascii=False, separators=(",", ":"))


def deserialize_item(text: str, etag: str) -> object:
    """The object stored as `text`, with `e_tag` set to `etag`."""
    flat = json.loads(text)
    if isinstance(flat, dict):
        flat[E_TAG] = etag
    return Unpickler().restore(flat)


class SqlStorage(Storage):  # type: ignore[misc]
    """botbuilder `Storage` on the SQL key/value table (see the module docstring for the contract)."""

    def __init__(self, kv: KeyValueStore) -> None:
        super().__init__()
        self._kv = kv

    async def read(self, keys: Iterable[str]) -> dict[str, Any]:
        if keys is None:
            raise ValueError("Keys are required when reading")
        wanted = list(keys)
        if not wanted:
            return {}
        found = await self._kv.read(wanted)
        return {key: deserialize_item(text, etag) for key, (text, etag) in found.items()}

    async def write(self, changes: Mapping[str, object]) -> None:
        if changes is None:
            raise ValueError("Changes are required when writing")
        if not changes:
            return
        batch: list[KvWrite] = []
        for key, item in changes.items():
            etag = _item_etag(item)
            if etag == "":
                raise ValueError(f"SqlStorage.write(): e_tag missing for key {key!r}")
            expected = None if etag is None else str(etag)
            batch.append((key, serialize_item(item), expected))
        try:
            new_etags = await self._kv.write(batch)
        except EtagConflict as conflict:
            raise StorageConflict(conflict.key) from conflict
        for key, item in changes.items():
            _set_etag(item, new_etags[key])

    async def delete(self, keys: Iterable[str]) -> None:
        if keys is None:
            raise ValueError("Keys are required when deleting")
        await self._kv.delete(list(keys))
