"""The database behind feedback and bot state: SQLite (default) or PostgreSQL, chosen by URL."""

from nwow.storage.database import Database, open_database, redact_url
from nwow.storage.errors import DatabaseTimeout, EtagConflict, StorageError, UnsupportedDatabaseUrl
from nwow.storage.kv import KeyValueStore, KvWrite
from nwow.storage.sql import Deadlines

__all__ = [
    "Database",
    "DatabaseTimeout",
    "Deadlines",
    "EtagConflict",
    "KeyValueStore",
    "KvWrite",
    "StorageError",
    "UnsupportedDatabaseUrl",
    "open_database",
    "redact_url",
]
