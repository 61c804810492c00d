"""The `nwow` console command: one subcommand per concern, each a thin shell over the same services."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Modules that add their subcommands with `add_commands(subparsers)`.
COMMAND_MODULES: tuple[str, ...] = (
    "bot.serve_cli",
    "bot.manifest_cli",
    "nwow.faq.cli",
    "nwow.offices.cli",
    "bot.feedback_cli",
    "bot.digest_cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nwow",
        description=(
            "NWOW assistant: the Microsoft Teams bot of the Integrated Police for the New Way of Working. "
            "Run the bot, check the knowledge base, ask it questions, build the Teams app package, "
            "and report on feedback."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
