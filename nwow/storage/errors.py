"""Errors the storage layer raises."""

from __future__ import annotations


class StorageError(RuntimeError):
    """The database could not be opened or used."""


class UnsupportedDatabaseUrl(StorageError, ValueError):
    """The database URL names a scheme or form this build cannot open."""


class EtagConflict(StorageError):
    """A write expected a version of `key` that is no longer the stored one."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"etag conflict on key {key!r}: it was changed or deleted since it was read")


class DatabaseTimeout(StorageError, TimeoutError):
    """The database did not answer within its deadline (nwow/storage/sql.py `Deadlines`)."""
