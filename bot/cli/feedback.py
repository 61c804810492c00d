"""`nwow feedback report` and `nwow feedback purge`: the DRI report and the retention period, from a shell."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot.files import write_atomically
from bot.settings import Settings, SettingsError
from nwow.feedback.render import FORMATS, render
from nwow.feedback.report import REPORT_TZ, build_report
from nwow.feedback.retention import purge_expired, retention_cutoff
from nwow.feedback.survey import TOOLS
from nwow.feedback.units import UNITS_FILE, load_units
from nwow.language import LANGS
from nwow.storage import StorageError, open_database, redact_url

logger = logging.getLogger(__name__)

DEFAULT_REPORT_DAYS = 90


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "feedback",
        help="feedback report for DRI and the ambassadors; retention purge",
        description="Reports on the feedback the bot collected, and the retention purge.",
    )
    commands = parser.add_subparsers(dest="feedback_command", metavar="SUBCOMMAND")
    commands.required = True

    report = commands.add_parser(
        "report",
        help="write the feedback report (Markdown, CSV or HTML)",
        description=(
            "Per tool and per unit: responses, mean rating and spread; the weekly trend; the top unanswered "
            "questions; the FAQ entries with the most thumbs down; and the comments. Groups with fewer than "
            "NWOW_MIN_GROUP_SIZE respondents are suppressed everywhere and their comments withheld. "
            f"Dates are days in Belgian time; the default period is the last {DEFAULT_REPORT_DAYS} days."
        ),
    )
    report.add_argument("--since", type=_date, help="first day, YYYY-MM-DD (default: 90 days before --until)")
    report.add_argument("--until", type=_date, help="last day, YYYY-MM-DD, included (default: today)")
    report.add_argument(
        "--format", required=True, choices=FORMATS, help="md, csv (for Excel) or html (with charts)"
    )
    report.add_argument("--out", required=True, help="file to write, or - for standard output")
    report.add_argument("--lang", choices=LANGS, default="nl", help="language of the report (default nl)")
    report.add_argument(
        "--min-group-size", type=int, help="override NWOW_MIN_GROUP_SIZE (at least the setting)"
    )
    _database_option(report)
    report.set_defaults(func=_report)

    purge = commands.add_parser(
        "purge",
        help="delete feedback older than the retention period",
        description=(
            "Delete survey answers, votes, unanswered questions and remembered preferences recorded more "
            "than DAYS days ago. The running bot does this every day with NWOW_RETENTION_DAYS; use this "
            "to apply a shorter period now."
        ),
    )
    purge.add_argument(
        "--older-than", type=int, required=True, metavar="DAYS", help="age in days (at least 1)"
    )
    _database_option(purge)
    purge.set_defaults(func=_purge)


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: NWOW_DATABASE_URL, else the SQLite file in NWOW_DATA_DIR)",
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from exc


def _load_settings() -> tuple[str, Path, int] | str:
    """(database url, faq folder, min group size) from the environment, or the error message.

    A developer machine has no app id: its settings are read in development mode.
    """
    try:
        settings = Settings.for_tools()
    except SettingsError as exc:
        return str(exc)
    return settings.effective_database_url, settings.faq_dir, settings.min_group_size


def period(since: date | None, until: date | None, today: date) -> tuple[datetime, datetime]:
    """[since 00:00, the day after until 00:00) in Belgian time, as UTC datetimes."""
    last = until or today
    first = since or (last - timedelta(days=DEFAULT_REPORT_DAYS - 1))
    if first > last:
        raise ValueError(f"--since {first} is after --until {last}")
    start = datetime.combine(first, time.min, REPORT_TZ).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, REPORT_TZ).astimezone(UTC)
    return start, end


def report_labels(faq_dir: Path, lang: str) -> dict[str, str]:
    """Names for tool, unit and FAQ entry ids in `lang`; ids stay as they are when a name is not known."""
    from bot.strings import t

    labels: dict[str, str] = {}
    for tool in TOOLS:
        labels[f"tool:{tool}"] = t(f"tool.{tool}", lang)
    units, _ = load_units(faq_dir / UNITS_FILE)
    if units is not None:
        for unit in units.units:
            labels[f"unit:{unit.id}"] = units.label(unit.id, lang)
    try:
        from nwow.faq.loader import load_knowledge_base

        kb = load_knowledge_base(faq_dir).kb
    except Exception:  # the report must not fail because the FAQ folder has a problem
        logger.warning(
            "FAQ folder %s could not be loaded; FAQ entries are shown by id", faq_dir, exc_info=True
        )
        kb = None
    if kb is not None:
        for entry_id, entry in kb.entries.items():
            content = next((c for code, c in entry.content.items() if code == lang), None) or next(
                iter(entry.content.values()), None
            )
            if content is not None and content.questions:
                labels[f"entry:{entry_id}"] = f"{content.questions[0]} ({entry_id})"
    return labels


def _write(out: str, data: bytes) -> None:
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomically(Path(out), data)


def _report(args: argparse.Namespace) -> int:
    loaded = _load_settings()
    if isinstance(loaded, str):
        print(loaded, file=sys.stderr)
        return 2
    url, faq_dir, min_group = loaded
    url = args.database or url
    if args.min_group_size is not None:
        if args.min_group_size < min_group:
            print(
                f"--min-group-size {args.min_group_size} is below the setting ({min_group}); "
                "the report may only be stricter",
                file=sys.stderr,
            )
            return 2
        min_group = args.min_group_size
    try:
        since, until = period(args.since, args.until, datetime.now(REPORT_TZ).date())
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    labels = report_labels(faq_dir, args.lang)

    async def run() -> bytes:
        database = await open_database(url)
        try:
            report = await build_report(database.feedback, since, until, min_group, labels=labels)
        finally:
            await database.close()
        return await asyncio.to_thread(render, report, args.format, args.lang)

    try:
        data = asyncio.run(run())
    except (StorageError, OSError) as exc:
        print(f"cannot read the feedback database {redact_url(url)}: {exc}", file=sys.stderr)
        return 1
    _write(args.out, data)
    if args.out != "-":
        print(f"wrote {args.out} ({len(data):,} bytes, {args.format})", file=sys.stderr)
    return 0


def _purge(args: argparse.Namespace) -> int:
    if args.older_than < 1:
        print("--older-than must be at least 1 day", file=sys.stderr)
        return 2
    loaded = _load_settings()
    if isinstance(loaded, str):
        print(loaded, file=sys.stderr)
        return 2
    url = args.database or loaded[0]
    now = datetime.now(UTC)
    cutoff = retention_cutoff(now, args.older_than)

    async def run() -> int:
        database = await open_database(url)
        try:
            return await purge_expired(database.feedback, now, args.older_than)
        finally:
            await database.close()

    try:
        removed = asyncio.run(run())
    except (StorageError, OSError) as exc:
        print(f"cannot open the feedback database {redact_url(url)}: {exc}", file=sys.stderr)
        return 1
    print(f"removed {removed} rows recorded before {cutoff.isoformat(timespec='seconds')}")
    return 0
