"""The database behind feedback and bot state: SQLite (default) or PostgreSQL, chosen by URL."""

from nwow.storage.database import Database, open_database, redact_url
from nwow.storage.errors import EtagConflict, StorageError, UnsupportedDatabaseUrl
from nwow.storage.kv import KeyValueStore, KvWrite

__all__ = [
    "Database",
    "EtagConflict",
    "KeyValueStore",
    "KvWrite",
    "StorageError",
    "UnsupportedDatabaseUrl",
    "open_database",
    "redact_url",
]
