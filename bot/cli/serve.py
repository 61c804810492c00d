"""`nwow serve`: run the bot's HTTP endpoint."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.settings import Settings, SettingsError, configure_logging

logger = logging.getLogger(__name__)


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the bot (POST /api/messages, GET /healthz, /readyz, /metrics)",
        description=(
            "Run the bot's HTTP endpoint. Settings come from the environment and an optional .env file "
            "(see README.md). Without MicrosoftAppId the bot refuses to start unless --dev is given."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=3978, help="port to listen on (default 3978)")
    parser.add_argument(
        "--dev",
        action="store_true",
        help=(
            "development mode: no app id and no authentication; listens on loopback only and replies only "
            "to a loopback serviceUrl (for the Microsoft 365 Agents Playground)"
        ),
    )
    parser.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env(host=args.host, port=args.port, dev_mode=args.dev)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(settings)
    from bot.app import run_app

    run_app(settings)
    return 0
