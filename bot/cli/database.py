"""What the `nwow` subcommands that work on the bot's database share: the `--database` option, the tool
settings, opening and closing the database around the work, and a failure printed with its exit status."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.settings import Settings, SettingsError
from nwow.storage import Database, StorageError, open_database, redact_url

__all__ = ["CommandFailed", "add_database_option", "failing_command", "on_database", "tool_settings"]

T = TypeVar("T")


class CommandFailed(Exception):
    """The command cannot go on (settings, database, what it was asked): the message and the exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: NWOW_DATABASE_URL, else the SQLite file in NWOW_DATA_DIR)",
    )


def tool_settings() -> Settings:
    """The bot's settings as a command-line tool reads them (`Settings.for_tools`); exit status 2 if invalid."""
    try:
        return Settings.for_tools()
    except SettingsError as exc:
        raise CommandFailed(str(exc), 2) from exc


def on_database(args: argparse.Namespace, settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """`work` on the database of `--database` (else the settings'), closed afterwards; exit status 1 when it
    cannot be used."""
    url = args.database or settings.effective_database_url

    async def run() -> T:
        database = await open_database(url)
        try:
            return await work(database)
        finally:
            await database.close()

    try:
        return asyncio.run(run())
    except (StorageError, OSError) as exc:
        raise CommandFailed(f"cannot use the database {redact_url(url)}: {exc}", 1) from exc


def failing_command(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A subcommand whose `CommandFailed` is printed on stderr and becomes its exit status."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except CommandFailed as failed:
            print(failed, file=sys.stderr)
            return failed.status

    return run
