"""Documents that are written once and then only read, on the key/value table (e.g. the frozen monthly
feedback figures of nwow/feedback/archive.py)."""

from __future__ import annotations

from nwow.storage.errors import EtagConflict, StorageError
from nwow.storage.kv import ABSENT, KeyValueStore


class KvWriteOnce:
    def __init__(self, kv: KeyValueStore) -> None:
        self._kv = kv

    async def get(self, key: str) -> str | None:
        found = await self._kv.read([key])
        return found[key][0] if key in found else None

    async def put_once(self, key: str, document: str) -> str:
        """Create `key` with `document`; when it exists already (another writer was first), its document."""
        try:
            await self._kv.write([(key, document, ABSENT)])
        except EtagConflict:
            kept = await self.get(key)
            if kept is None:
                raise StorageError(f"{key} was created and removed while it was being written") from None
            return kept
        return document
