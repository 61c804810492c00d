"""The `nwow` console command: one subcommand per concern, each a thin shell over the same services."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli import digest, feedback, manifest, pulse, serve, suggestions
from nwow.faq import cli as faq
from nwow.offices import cli as offices

__all__ = ["build_parser", "main"]

# Each module adds its subcommands with `add_commands(subparsers)`, in this order in `nwow --help`.
COMMAND_MODULES = (serve, manifest, faq, offices, feedback, digest, pulse)
# Subcommands some modules take from the bot's tools (they need the database): `nwow faq suggestions`.
EXTENSIONS = {faq: (suggestions.add_commands,)}


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
    for module in COMMAND_MODULES:
        module.add_commands(subparsers, *EXTENSIONS.get(module, ()))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`nwow faq check | head`): end quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    return code
