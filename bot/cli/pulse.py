"""`nwow pulse`: DRI starts, follows and closes adoption pulses (docs/pulses.md).

    nwow pulse start FILE        check the pulse file, record its audience, queue the cards (the running
                                 bot sends them), then show the progress until all are sent (--no-wait: don't)
    nwow pulse status ID         sent / delivered / failed / answered, by unit where the group is large enough
    nwow pulse close ID          close it now: no more cards, reminders or answers
    nwow pulse list              every pulse, the latest first

A start that was interrupted is resumed by starting the same file again: nobody gets a card twice.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.cli.database import CommandFailed, add_database_option, failing_command, on_database, tool_settings
from bot.settings import Settings
from nwow.feedback.pseudonym import pseudonymize
from nwow.feedback.units import UNITS_FILE, read_units
from nwow.numbers import format_percent
from nwow.problems import report_lines
from nwow.pulses.launch import PulseConflict, PulseStatus, StartReport, pulse_status, start_pulse
from nwow.pulses.model import StartedPulse
from nwow.pulses.published import pulse_results
from nwow.pulses.reader import read_pulse
from nwow.pulses.results import PulseResults
from nwow.schedule import BRUSSELS
from nwow.storage import Database
from nwow.storage.write_once import KvWriteOnce

__all__ = ["add_commands"]

BAR_WIDTH = 30


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "pulse",
        help="adoption pulses: start, status, close",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="pulse_command", metavar="COMMAND")
    commands.required = True
    start = commands.add_parser("start", help="start (or resume) a pulse from its file")
    start.add_argument("file", type=Path, help="the pulse file, e.g. faq/pulses/2027-01-teams-roadshow.yml")
    start.add_argument("--no-wait", action="store_true", help="queue the cards and return at once")
    start.add_argument(
        "--now",
        action="store_true",
        help="send the cards at once (once the pulse is open), outside business hours too",
    )
    start.add_argument("--by", default="", help="who starts it, for the record (e.g. your name or team)")
    start.add_argument(
        "--dev", action="store_true", help="development mode: the local pseudonym key (list audiences)"
    )
    add_database_option(start)
    start.set_defaults(func=_start)
    status = commands.add_parser("status", help="how a pulse's delivery and answers stand")
    status.add_argument("id", help="the pulse's id")
    status.add_argument("--watch", action="store_true", help="keep showing the progress until all are sent")
    add_database_option(status)
    status.set_defaults(func=_status)
    close = commands.add_parser("close", help="close a pulse now")
    close.add_argument("id", help="the pulse's id")
    add_database_option(close)
    close.set_defaults(func=_close)
    listing = commands.add_parser("list", help="every pulse, the latest first")
    add_database_option(listing)
    listing.set_defaults(func=_list)


@failing_command
def _start(args: argparse.Namespace) -> int:
    settings = tool_settings()
    units = read_units(settings.faq_dir / UNITS_FILE)
    unit_ids = None if units.value is None else units.value.ids()
    loaded = read_pulse(args.file, unit_ids)
    for line in report_lines(loaded.problems, 50, not_kept=loaded.not_kept):
        print(line, file=sys.stderr)
    pulse = loaded.value
    if pulse is None:
        print(f"FAILED: {args.file} has errors; nothing was started.", file=sys.stderr)
        return 1
    if pulse.min_group < settings.min_group_size:
        raise CommandFailed(
            f"min_group {pulse.min_group} is below this deployment's NWOW_MIN_GROUP_SIZE ({settings.min_group_size}): "
            "raise it in the file",
            1,
        )
    if pulse.audience.kind == "list" and not settings.pseudonym_key and not args.dev:
        raise CommandFailed(
            "an audience by list needs NWOW_PSEUDONYM_KEY, the same as the running bot's (users are known by "
            "their pseudonym)",
            2,
        )
    key = settings.effective_pseudonym_key

    async def work(database: Database) -> StartReport:
        try:
            return await start_pulse(
                pulse,
                pulses=database.pulses,
                outbox=database.outbox,
                addresses=database.addresses,
                pseudonymize=lambda object_id: pseudonymize(object_id, key),
                hours=settings.working_hours,
                now=datetime.now(UTC),
                started_by=args.by,
                send_now=args.now,
            )
        except PulseConflict as exc:
            raise CommandFailed(str(exc), 1) from exc

    report = on_database(args, settings, work)
    verb = "Resumed" if report.resumed else "Started"
    print(f"{verb} pulse {pulse.id}: {report.audience} recipient(s), {report.queued} card(s) queued now.")
    if report.opted_out:
        print(f"  {report.opted_out} left out: they asked never to be asked again.")
    if report.unreachable:
        print(
            f"  {report.unreachable} of the list unknown to the bot (never talked to it, or removed the app)."
        )
    hours = "" if args.now else " (Brussels business hours)"
    print(f"  The running bot sends the cards from {_local(report.first_send)}{hours}.")
    if report.reminder_at is not None:
        print(f"  One reminder to who has not answered on {_local(report.reminder_at)}.")
    print(f"  Open until {pulse.closes:%d/%m/%Y} (inclusive).")
    if args.no_wait or report.audience == 0:
        return 0
    if report.first_send > datetime.now(UTC) + timedelta(minutes=1):
        # Nothing goes out before then: no progress to show now.
        print(f"  Follow the sending from then on with: nwow pulse status {pulse.id} --watch")
        return 0
    return _watch(args, settings, pulse.id)


def _local(moment: datetime) -> str:
    return moment.astimezone(BRUSSELS).strftime("%d/%m/%Y %H:%M")


@failing_command
def _status(args: argparse.Namespace) -> int:
    settings = tool_settings()
    if args.watch:
        return _watch(args, settings, args.id)

    async def work(database: Database) -> PulseStatus | None:
        return await pulse_status(database.pulses, args.id, min_group=settings.min_group_size)

    status = on_database(args, settings, work)
    if status is None:
        raise CommandFailed(f"no pulse {args.id!r} (nwow pulse list shows them)", 1)
    _print_status(status, sys.stdout, settings.min_group_size)
    return 0


def _watch(args: argparse.Namespace, settings: Settings, pulse_id: str) -> int:
    """Show the progress bar until every card is settled (or the pulse closes); Ctrl-C stops waiting."""
    print("Waiting for the running bot to send the cards (Ctrl-C stops waiting; sending goes on).")
    try:
        return _follow(args, settings, pulse_id)
    except KeyboardInterrupt:
        print("\nStopped waiting; the running bot goes on sending.", file=sys.stderr)
        return 130


def _follow(args: argparse.Namespace, settings: Settings, pulse_id: str) -> int:
    tty = sys.stderr.isatty()
    last_line = ""
    while True:

        async def work(database: Database) -> PulseStatus | None:
            return await pulse_status(database.pulses, pulse_id, min_group=settings.min_group_size)

        status = on_database(args, settings, work)
        if status is None:
            raise CommandFailed(f"no pulse {pulse_id!r}", 1)
        line = _bar(status)
        if tty:
            print("\r" + line, end="", file=sys.stderr, flush=True)
        elif line != last_line:
            print(line, file=sys.stderr, flush=True)
        last_line = line
        if status.queued == 0 or not status.started.is_open(datetime.now(UTC)):
            if tty:
                print(file=sys.stderr)
            _print_status(status, sys.stdout, settings.min_group_size)
            return 0
        time.sleep(1.0)


def _bar(status: PulseStatus) -> str:
    total = max(1, status.recipients)
    done = status.settled
    filled = round(BAR_WIDTH * done / total)
    return (
        f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{status.recipients} "
        f"(delivered {status.delivered}, failed {status.failed}, gone {status.gone}, "
        f"not sent {status.withdrawn}, answered {status.answered})"
    )


def _state(started: StartedPulse) -> str:
    """Open or closed, with the day (Brussels time): closed by DRI, or by the calendar."""
    if started.closed_at is not None:
        return f"closed on {started.closed_at.astimezone(BRUSSELS):%d/%m/%Y}"
    if not started.is_open(datetime.now(UTC)):
        return f"closed on {started.pulse.closes:%d/%m/%Y} (its closing day)"
    return f"open until {started.pulse.closes:%d/%m/%Y}"


def _print_status(status: PulseStatus, out: TextIO, min_group: int) -> None:
    started = status.started
    pulse = started.pulse
    state = _state(started)
    print(f"Pulse {pulse.id} ({pulse.heading('en')}): {state}", file=out)
    print(f"  recipients  {status.recipients}", file=out)
    print(f"  to send     {status.queued}", file=out)
    print(f"  delivered   {status.delivered}", file=out)
    print(f"  failed      {status.failed}", file=out)
    print(
        f"  gone        {status.gone}  (removed the app, blocked the bot or deleted their data: given up)",
        file=out,
    )
    print(
        f"  not sent    {status.withdrawn}  (opted out, answered already, or closed before their card went)",
        file=out,
    )
    print(f"  answered    {status.answered}", file=out)
    if status.response_rate is not None:
        print(f"  response    {format_percent(status.response_rate, 'en')} of those delivered", file=out)
    if status.by_unit:
        print(
            f"  delivery by unit (units of at least {max(pulse.min_group, min_group)} recipients):", file=out
        )
        for row in status.by_unit:
            print(f"    {row.unit}: {row.delivered} of {row.recipients} delivered", file=out)
    if status.hidden_units:
        print(f"  {status.hidden_units} smaller unit(s) counted in the totals only", file=out)
    print("  who answered, by unit: in the results once closed (nwow feedback report)", file=out)


@failing_command
def _close(args: argparse.Namespace) -> int:
    settings = tool_settings()

    async def work(database: Database) -> PulseResults | None:
        now = datetime.now(UTC)
        started = await database.pulses.get(args.id)
        if started is None or started.closed_at is not None:
            return None
        # A pulse closed by the calendar keeps its closing day as the moment it closed.
        closed_at = min(now, started.closes_at)
        if not await database.pulses.close(args.id, closed_at):
            return None
        started = await database.pulses.get(args.id)
        assert started is not None
        # The results are computed and kept now (once), not by whichever report or card asks first.
        return await pulse_results(
            database.pulses,
            KvWriteOnce(database.kv),
            started,
            min_group_size=settings.min_group_size,
            now=now,
        )

    results = on_database(args, settings, work)
    if results is None:
        raise CommandFailed(f"no open pulse {args.id!r} (nwow pulse list shows them)", 1)
    print(
        f"Closed pulse {args.id}: no more cards, reminders or answers. Its results are kept as they are now: "
        "nwow feedback report, or 'summary' in Teams."
    )
    return 0


@failing_command
def _list(args: argparse.Namespace) -> int:
    settings = tool_settings()

    async def work(database: Database) -> list[PulseStatus]:
        found = []
        for started in await database.pulses.all():
            status = await pulse_status(database.pulses, started.pulse.id, min_group=settings.min_group_size)
            if status is not None:
                found.append(status)
        return found

    statuses = on_database(args, settings, work)
    if not statuses:
        print("No pulse started yet: nwow pulse start FILE")
    for status in statuses:
        started = status.started
        state = "open" if started.is_open(datetime.now(UTC)) else "closed"
        print(
            f"{started.pulse.id}  {state}  started {started.started_at.astimezone(BRUSSELS):%d/%m/%Y}  "
            f"closes {started.pulse.closes:%d/%m/%Y}  "
            f"{status.delivered}/{status.recipients} delivered, {status.answered} answered"
        )
    return 0
