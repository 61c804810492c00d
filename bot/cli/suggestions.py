"""`nwow faq suggestions`: what the knowledge base could learn from the questions people asked.

    nwow faq suggestions                          list the pending proposals, most supported first
    nwow faq suggestions export --out DIR         the FAQ folder with them applied, checked, for review
    nwow faq suggestions reject ID [ID ...]       take proposals off the list

Proposals come from the running bot (nwow/tickets/proposals.py): the wording of questions users resolved
through "Did you mean" or an ambassador answered with an FAQ entry (variants of that entry), and questions an
ambassador answered in their own words and proposed as a new entry (drafts). An exported or rejected
proposal leaves the list.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from bot.cli.database import CommandFailed, add_database_option, failing_command, on_database, tool_settings
from bot.settings import Settings
from nwow.faq.loader import load_knowledge_base
from nwow.problems import report_lines
from nwow.schedule import BRUSSELS
from nwow.storage import Database
from nwow.tickets.export import ExportRefused, ExportResult, export_proposals
from nwow.tickets.proposals import Proposal, ProposalKind, ProposalStatus

__all__ = ["add_commands"]

PREVIEW: int = 90


def add_commands(faq_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `suggestions` under `nwow faq`."""
    parser = faq_commands.add_parser(
        "suggestions",
        help="proposals for the knowledge base from users' questions (list, export, reject)",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_database_option(parser)
    parser.set_defaults(func=_list)
    commands = parser.add_subparsers(dest="suggestions_command", metavar="COMMAND")

    export = commands.add_parser(
        "export",
        help="write the FAQ folder with the proposals applied into a new folder, checked",
        description=(
            "Copy the FAQ folder to --out and apply the pending proposals there: variants are added to "
            "their entries' questions, drafts are written to entries/drafts-<date>.yml with status: draft. "
            "The copy is checked like `nwow faq check`; only when it passes are the proposals marked "
            "exported (they leave the list). Review the copy (diff -ru faq OUT), edit it and commit."
        ),
    )
    export.add_argument("--out", type=Path, required=True, help="a new (or empty) folder")
    export.add_argument(
        "--faq", type=Path, default=None, metavar="DIR", help="the FAQ folder (default: NWOW_FAQ_DIR)"
    )
    export.add_argument("--ids", type=_ids, default=None, help="only these proposals, e.g. 3,7,12")
    add_database_option(export)
    export.set_defaults(func=_export)

    reject = commands.add_parser(
        "reject", help="take proposals off the list", description="Mark proposals rejected."
    )
    reject.add_argument("ids", type=int, nargs="+", help="the proposals' numbers (as listed)")
    add_database_option(reject)
    reject.set_defaults(func=_reject)


def _ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: give numbers separated by commas, e.g. 3,7,12") from exc


T = TypeVar("T")


def _run(args: argparse.Namespace, work: Callable[[Database, Settings], Awaitable[T]]) -> T:
    """`work` on the bot's database, with the tool settings."""
    settings = tool_settings()
    return on_database(args, settings, lambda database: work(database, settings))


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1] + "…"


def _describe(p: Proposal) -> str:
    where = (
        f"variant of {p.entry_id}" if p.kind is ProposalKind.VARIANT else f"draft ({p.topic or 'no topic'})"
    )
    line = f"{p.id:>5}  {where}  [{p.lang}]  {p.supporters} user(s)  {_one_line(p.text)}"
    if p.kind is ProposalKind.DRAFT:
        line += f"\n       answer: {_one_line(p.answer)}"
    return line


@failing_command
def _list(args: argparse.Namespace) -> int:
    async def pending(database: Database, _settings: Settings) -> list[Proposal]:
        return await database.proposals.pending()

    found = _run(args, pending)
    if not found:
        print("No proposals pending.")
        return 0
    print(f"{len(found)} proposal(s), most supported first:")
    for proposal in found:
        print(_describe(proposal))
    print("Export them for review: nwow faq suggestions export --out DIR")
    return 0


@failing_command
def _export(args: argparse.Namespace) -> int:
    async def export(database: Database, settings: Settings) -> ExportResult:
        faq_dir: Path = args.faq or settings.faq_dir
        kb = (await asyncio.to_thread(load_knowledge_base, faq_dir)).kb
        if kb is None:
            raise CommandFailed(
                f"The FAQ in {faq_dir} has errors; fix them first (nwow faq check {faq_dir}).", 1
            )
        chosen = [p for p in await database.proposals.pending() if args.ids is None or p.id in args.ids]
        if not chosen:
            raise CommandFailed("No proposals to export.", 0)
        try:
            result = await asyncio.to_thread(
                export_proposals, chosen, faq_dir, args.out, kb, datetime.now(BRUSSELS).date()
            )
        except ExportRefused as exc:
            raise CommandFailed(str(exc), 1) from exc
        if result.passed:
            exported = [p.id for p in result.exported]
            await database.proposals.settle(exported, ProposalStatus.EXPORTED, datetime.now(UTC))
        return result

    result = _run(args, export)
    return _print_export(result, args.faq)


def _print_export(result: ExportResult, faq_dir: Path | None) -> int:
    assert result.check is not None
    if not result.passed:
        for line in report_lines(result.check.problems, result.check.not_kept):
            print(line, file=sys.stderr)
        print(
            f"FAILED: the copy in {result.out} does not pass the check; nothing was marked exported.",
            file=sys.stderr,
        )
        return 1
    for path in result.changed:
        print(f"changed {path}")
    print(f"{len(result.exported)} proposal(s) exported into {result.out}; they leave the list.")
    for proposal, reason in result.pending:
        print(f"left pending: {proposal.id} ({reason})")
    folder = faq_dir or "faq"
    print(f"Review: diff -ru {folder} {result.out}; then copy what you keep into the FAQ folder and commit.")
    return 0


@failing_command
def _reject(args: argparse.Namespace) -> int:
    async def reject(database: Database, _settings: Settings) -> int:
        return await database.proposals.settle(args.ids, ProposalStatus.REJECTED, datetime.now(UTC))

    print(f"{_run(args, reject)} proposal(s) rejected.")
    return 0
