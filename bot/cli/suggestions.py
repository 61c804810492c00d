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
from datetime import UTC, datetime
from pathlib import Path

from bot.settings import Settings, SettingsError
from nwow.faq.loader import load_knowledge_base
from nwow.problems import report_lines
from nwow.storage import StorageError, open_database, redact_url
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
    _database_option(parser)
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
    _database_option(export)
    export.set_defaults(func=_export)

    reject = commands.add_parser(
        "reject", help="take proposals off the list", description="Mark proposals rejected."
    )
    reject.add_argument("ids", type=int, nargs="+", help="the proposals' numbers (as listed)")
    _database_option(reject)
    reject.set_defaults(func=_reject)


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: NWOW_DATABASE_URL, else the SQLite file in NWOW_DATA_DIR)",
    )


def _ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: give numbers separated by commas, e.g. 3,7,12") from exc


def _settings() -> Settings | str:
    try:
        return Settings.for_tools()
    except SettingsError as exc:
        return str(exc)


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


def _list(args: argparse.Namespace) -> int:
    settings = _settings()
    if isinstance(settings, str):
        print(settings, file=sys.stderr)
        return 2
    url = args.database or settings.effective_database_url

    async def run() -> list[Proposal]:
        database = await open_database(url)
        try:
            return await database.proposals.pending()
        finally:
            await database.close()

    try:
        pending = asyncio.run(run())
    except (StorageError, OSError) as exc:
        print(f"cannot read the database {redact_url(url)}: {exc}", file=sys.stderr)
        return 1
    if not pending:
        print("No proposals pending.")
        return 0
    print(f"{len(pending)} proposal(s), most supported first:")
    for proposal in pending:
        print(_describe(proposal))
    print("Export them for review: nwow faq suggestions export --out DIR")
    return 0


def _export(args: argparse.Namespace) -> int:
    settings = _settings()
    if isinstance(settings, str):
        print(settings, file=sys.stderr)
        return 2
    url = args.database or settings.effective_database_url
    faq_dir: Path = args.faq or settings.faq_dir
    loaded = load_knowledge_base(faq_dir)
    if loaded.kb is None:
        print(f"The FAQ in {faq_dir} has errors; fix them first (nwow faq check {faq_dir}).", file=sys.stderr)
        return 1
    kb = loaded.kb

    async def run() -> ExportResult | str:
        database = await open_database(url)
        try:
            pending = await database.proposals.pending()
            chosen = [p for p in pending if args.ids is None or p.id in args.ids]
            if not chosen:
                return "No proposals to export."
            try:
                result = await asyncio.to_thread(
                    export_proposals, chosen, faq_dir, args.out, kb, datetime.now(UTC).date()
                )
            except ExportRefused as exc:
                return str(exc)
            if result.passed:
                await database.proposals.settle(
                    [p.id for p in result.exported], ProposalStatus.EXPORTED, datetime.now(UTC)
                )
            return result
        finally:
            await database.close()

    try:
        outcome = asyncio.run(run())
    except (StorageError, OSError) as exc:
        print(f"cannot export: {exc}", file=sys.stderr)
        return 1
    if isinstance(outcome, str):
        print(outcome, file=sys.stderr)
        return 1 if "not empty" in outcome or "inside" in outcome else 0
    return _print_export(outcome, faq_dir)


def _print_export(result: ExportResult, faq_dir: Path) -> int:
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
    print(f"Review: diff -ru {faq_dir} {result.out}; then copy what you keep into the FAQ folder and commit.")
    return 0


def _reject(args: argparse.Namespace) -> int:
    settings = _settings()
    if isinstance(settings, str):
        print(settings, file=sys.stderr)
        return 2
    url = args.database or settings.effective_database_url

    async def run() -> int:
        database = await open_database(url)
        try:
            return await database.proposals.settle(args.ids, ProposalStatus.REJECTED, datetime.now(UTC))
        finally:
            await database.close()

    try:
        changed = asyncio.run(run())
    except (StorageError, OSError) as exc:
        print(f"cannot read the database {redact_url(url)}: {exc}", file=sys.stderr)
        return 1
    print(f"{changed} proposal(s) rejected.")
    return 0
