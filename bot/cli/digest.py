"""`nwow digest send`: post the week's digest card to the ambassadors' team now."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from bot.conversation.digest import DigestUnavailable, send_digest
from bot.settings import Settings, SettingsError, configure_logging
from bot.transport.adapter import NwowAdapter
from nwow.storage import open_database


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "digest",
        help="the weekly digest for the ambassadors' team",
        description="The weekly digest card (feedback figures and unanswered questions of the last 7 days).",
    )
    commands = parser.add_subparsers(dest="digest_command", metavar="COMMAND")
    commands.required = True
    send = commands.add_parser(
        "send",
        help="post the digest to the ambassadors' team now",
        description=(
            "Post the digest card to the team whose id is NWOW_AMBASSADOR_TEAM_ID, in the conversation the "
            "bot remembered when it was installed there. Uses the same settings as `nwow serve` "
            "(MicrosoftAppId/Password to post, NWOW_DATABASE_URL for the data)."
        ),
    )
    send.add_argument(
        "--dev", action="store_true", help="development mode (no app id; loopback service URLs only)"
    )
    send.set_defaults(func=_send)


def _send(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(dev_mode=args.dev)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        asyncio.run(_post(settings))
    except DigestUnavailable as exc:
        print(f"digest not sent: {exc}", file=sys.stderr)
        return 1
    print("digest posted")
    return 0


async def _post(settings: Settings) -> None:
    database = await open_database(settings.effective_database_url)
    adapter = NwowAdapter(settings, on_error=_raise)
    try:
        await send_digest(adapter, database.kv, database.feedback, settings, datetime.now(UTC))
    finally:
        await adapter.close()
        await database.close()


async def _raise(_context: object, error: Exception) -> None:
    raise error
