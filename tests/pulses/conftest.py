from tests.storage.conftest import database_url, db, postgres_database_url

__all__ = ["database_url", "db", "postgres_database_url"]
