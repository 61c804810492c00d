"""`nwow feedback report` and `nwow feedback purge`: the DRI report and the retention period, from a shell."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.files import write_atomically
from bot.settings import Settings, SettingsError
from nwow.feedback.archive import MonthNotClosed
from nwow.feedback.figures import FiguresUnreadable
from nwow.feedback.periods import Month, last_closed_month, months_between
from nwow.feedback.render import FORMATS, ReportSection, render
from nwow.feedback.report import build_report
from nwow.feedback.retention import purge_expired, retention_cutoff
from nwow.feedback.survey import TOOLS
from nwow.feedback.units import UNITS_FILE, load_units
from nwow.language import LANGS
from nwow.pulses.published import pulse_reports
from nwow.pulses.results_codec import ResultsUnreadable
from nwow.pulses.results_render import PulseSection
from nwow.storage import StorageError, open_database, redact_url
from nwow.storage.write_once import KvWriteOnce
from nwow.tickets.figures import OutcomesUnreadable
from nwow.tickets.outcome_render import OutcomeSection
from nwow.tickets.outcomes import build_outcome_report

logger = logging.getLogger(__name__)

DEFAULT_REPORT_MONTHS = 3
MAX_REPORT_MONTHS = 36


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
            "Per closed calendar month: responses, mean rating and spread, per tool and per unit; votes on FAQ "
            "answers; the comments; the top unanswered questions of the months' ISO weeks; and the pulses running "
            "since the first month (their answers once closed). A month's "
            "figures are computed once, the first time it is asked for after it ended, and never change "
            "(docs/anonymity.md): groups with fewer than NWOW_MIN_GROUP_SIZE respondents, and groups that would "
            "let a smaller one be worked out by subtraction, are not shown. Periods are whole months in "
            f"Belgian time; the default is the last {DEFAULT_REPORT_MONTHS} closed months."
        ),
    )
    report.add_argument("--since", metavar="YYYY-MM", help="first month (default: two months before --until)")
    report.add_argument(
        "--until", metavar="YYYY-MM", help="last month, included (default: the last closed one)"
    )
    report.add_argument(
        "--format", required=True, choices=FORMATS, help="md, csv (for Excel) or html (with charts)"
    )
    report.add_argument("--out", required=True, help="file to write, or - for standard output")
    report.add_argument("--lang", choices=LANGS, default="nl", help="language of the report (default nl)")
    _database_option(report)
    report.set_defaults(func=_report)

    purge = commands.add_parser(
        "purge",
        help="delete feedback older than the retention period",
        description=(
            "Delete survey answers, votes, unanswered questions, remembered preferences, questions to the "
            "ambassadors (tickets), the record of where questions ended and knowledge-base proposals recorded "
            "more than DAYS days ago. The running bot does this every day with NWOW_RETENTION_DAYS; use this "
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


def _month(option: str, text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        raise ValueError(
            f"{option} {text!r}: give a month as YYYY-MM. Figures are published per closed calendar month only, "
            "so that no two reports can be subtracted to reveal a person's answers (docs/anonymity.md)."
        ) from None


def _load_settings() -> Settings | str:
    """The settings from the environment, or the error message.

    A developer machine has no app id: its settings are read in development mode.
    """
    try:
        return Settings.for_tools()
    except SettingsError as exc:
        return str(exc)


def report_months(since: str | None, until: str | None, now: datetime) -> tuple[Month, ...]:
    """The closed months from --since to --until; ValueError with the reason for the user."""
    last = _month("--until", until) if until else last_closed_month(now)
    if since:
        first = _month("--since", since)
    else:
        first = last
        for _ in range(DEFAULT_REPORT_MONTHS - 1):
            first = first.previous()
    if first > last:
        raise ValueError(f"--since {first} is after --until {last}")
    if not last.closed(now):
        raise ValueError(
            f"{last} is not over yet: a month's figures are published once it has ended, so that they never "
            f"change; the last closed month is {last_closed_month(now)}"
        )
    months = months_between(first, last)
    if len(months) > MAX_REPORT_MONTHS:
        raise ValueError(f"{len(months)} months asked for; a report covers at most {MAX_REPORT_MONTHS}")
    return months


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
        for topic in {*kb.topics, *(e.topic for e in kb.entries.values())}:
            labels[f"topic:{topic}"] = kb.topic_name(topic, lang)
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
    url = args.database or loaded.effective_database_url
    faq_dir, min_group, hours = loaded.faq_dir, loaded.min_group_size, loaded.working_hours
    now = datetime.now(UTC)
    try:
        months = report_months(args.since, args.until, now)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    labels = report_labels(faq_dir, args.lang)

    async def run() -> bytes:
        database = await open_database(url)
        try:
            archive = KvWriteOnce(database.kv)
            report = await build_report(database.feedback, archive, months, min_group, labels=labels, now=now)
            outcomes = await build_outcome_report(
                database.questions,
                database.tickets,
                archive,
                months,
                min_group_size=min_group,
                hours=hours,
                now=now,
                labels=labels,
            )
            pulses = await pulse_reports(
                database.pulses, archive, min_group_size=min_group, now=now, since=months[0].bounds()[0]
            )
        finally:
            await database.close()
        sections: list[ReportSection] = [OutcomeSection(outcomes), PulseSection(pulses, labels)]
        return await asyncio.to_thread(render, report, args.format, args.lang, sections)

    try:
        data = asyncio.run(run())
    except (StorageError, OSError) as exc:
        print(f"cannot read the feedback database {redact_url(url)}: {exc}", file=sys.stderr)
        return 1
    except MonthNotClosed as exc:
        print(exc, file=sys.stderr)
        return 2
    except (FiguresUnreadable, OutcomesUnreadable, ResultsUnreadable) as exc:
        print(f"the published figures kept in {redact_url(url)} cannot be read: {exc}", file=sys.stderr)
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
    url = args.database or loaded.effective_database_url
    now = datetime.now(UTC)
    cutoff = retention_cutoff(now, args.older_than)

    async def run() -> int:
        database = await open_database(url)
        try:
            return await purge_expired(database.expiring, now, args.older_than)
        finally:
            await database.close()

    try:
        removed = asyncio.run(run())
    except (StorageError, OSError) as exc:
        print(f"cannot open the feedback database {redact_url(url)}: {exc}", file=sys.stderr)
        return 1
    print(f"removed {removed} rows recorded before {cutoff.isoformat(timespec='seconds')}")
    return 0
