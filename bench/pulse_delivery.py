"""Issue 17: deliver one adoption pulse to 50,000 simulated users, then again with the sender killed halfway.

    .venv/bin/python -m bench.pulse_delivery                      # 50,000 users, 500/s, SQLite
    .venv/bin/python -m bench.pulse_delivery --rate 50            # Teams' rate (about 17 minutes a run)
    .venv/bin/python -m bench.pulse_delivery --users 2000 --database-url postgresql://postgres@127.0.0.1/postgres

Three processes: this one (the address book, `start_pulse`, watching the outbox), a loopback Bot
Connector (bench/pulse_connector.py: 429 with Retry-After to 5 % of the calls, deterministically; it
records every activity it accepted per conversation) and the sender (bench/pulse_sender.py: the real
`OutboxDispatcher` and `ConnectorSender`, the pulse card drawn live at send time).

1. `normal`: N users with an address at the connector, the pulse started (timed), one sender at `--rate`
   until every card is settled: time, achieved rate, the sender's peak RSS, the 429s.
2. `sigkill`: the same on a fresh database and connector; once half of the cards are sent the sender gets
   SIGKILL and a new sender process starts at once. It takes the sender lease when the dead one's runs
   out (`--sender-lease`), and the cards the dead one had claimed when their lease runs out
   (`--message-lease`). A card whose POST was under way when the sender died is unconfirmed: it may or
   may not have reached the channel (docs/proactive.md, "Crashes").

Both end with the connector's records: duplicates (a user who received the card more than once) and misses
(a user who received none) must be 0. On PostgreSQL a database is created for each run and dropped.
The pulse is started with `send_now` (the bench does not wait for 08:00 on a working day in Brussels).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from nwow.outbox import Address, Delivery
from nwow.paths import default_faq_dir
from nwow.pulses.launch import StartReport, card_group, start_pulse
from nwow.pulses.model import Pulse
from nwow.pulses.reader import PULSES_DIR, read_pulse
from nwow.schedule import BRUSSELS
from nwow.storage import Database, open_database
from nwow.tickets.hours import BusinessHours
from tests.harness.postgres import admin

__all__ = ["BenchOptions", "Rig", "Verdict", "main", "rig"]

LOCALES = ("nl-BE", "fr-BE", "de-DE", "en-US")
SHIPPED_PULSE = "2027-01-teams-roadshow.yml"


@dataclass(frozen=True)
class BenchOptions:
    users: int = 50_000
    rate: float = 500.0
    throttle: float = 0.05
    retry_after: str = "0.1"
    concurrency: int = 8
    sender_lease: float = 15.0
    message_lease: float = 60.0
    idle_poll: float = 1.0
    at_least_once: bool = False  # pulse cards sent again after a crash (the outbox's general rule)
    database_url: str | None = None  # None: a SQLite file in a temporary folder


@dataclass(frozen=True)
class Verdict:
    """What the connector received, against who should have received the card once."""

    accepted: int
    duplicates: int  # cards beyond the first one a user received
    users_twice: int
    misses: int  # users who received nothing
    throttled: int  # 429s answered
    calls: int
    unconfirmed: int = 0  # cards settled sent without the channel's answer (a sender died during the POST)
    lost: int = 0  # of the misses, those unconfirmed cards that never reached the channel


class Rig:
    """The connector process, the database and the sender processes of one run."""

    def __init__(self, options: BenchOptions, folder: Path, database_url: str) -> None:
        self.options = options
        self.folder = folder
        self.database_url = database_url
        self.connector_url = ""
        self.users = [f"user-{n:06d}" for n in range(options.users)]
        self.pulse_id = f"bench-{secrets.token_hex(4)}"
        self.group = card_group(self.pulse_id)
        self.senders: list[asyncio.subprocess.Process] = []
        self._connector: asyncio.subprocess.Process | None = None
        self._database: Database | None = None

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("the rig is not open")
        return self._database

    async def open(self) -> None:
        self._connector = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.pulse_connector",
            "--throttle",
            str(self.options.throttle),
            "--retry-after",
            self.options.retry_after,
            stdout=asyncio.subprocess.PIPE,
        )
        assert self._connector.stdout is not None
        line = (await asyncio.wait_for(self._connector.stdout.readline(), 60)).decode().strip()
        if not line.startswith("LISTENING "):
            raise RuntimeError(f"the connector did not start: {line!r}")
        self.connector_url = line.split(" ", 1)[1] + "/"
        self._database = await open_database(self.database_url)

    async def close(self) -> None:
        for process in [*self.senders, self._connector]:
            if process is not None and process.returncode is None:
                process.terminate()
                await process.wait()
        if self._database is not None:
            await self._database.close()

    async def populate(self) -> float:
        """Give every user an address at the connector; the seconds it took."""
        began = time.perf_counter()
        now = datetime.now(UTC)
        for n, key in enumerate(self.users):
            address = Address(
                service_url=self.connector_url,
                channel_id="msteams",
                bot_id="28:bench-bot",
                conversation_id=f"a:{key}",
                tenant_id="tenant-bench",
                user_id=f"29:{key}",
                locale=LOCALES[n % len(LOCALES)],
            )
            await self.database.addresses.remember(key, address, kind="user", now=now)
        return time.perf_counter() - began

    def pulse(self) -> Pulse:
        """The shipped pulse file under a fresh id, open from today for two weeks, without a reminder."""
        loaded = read_pulse(default_faq_dir() / PULSES_DIR / SHIPPED_PULSE)
        if loaded.value is None:
            raise RuntimeError(f"the shipped pulse does not read: {loaded.problems}")
        today = datetime.now(BRUSSELS).date()
        return replace(
            loaded.value, id=self.pulse_id, opens=today, closes=today + timedelta(days=14), reminder_days=None
        )

    async def start(self) -> tuple[StartReport, float]:
        """`start_pulse` for everyone; its report and the seconds it took."""
        began = time.perf_counter()
        report = await start_pulse(
            self.pulse(),
            pulses=self.database.pulses,
            outbox=self.database.outbox,
            addresses=self.database.addresses,
            pseudonymize=lambda object_id: object_id,
            hours=BusinessHours(),
            now=datetime.now(UTC),
            started_by="bench",
            send_now=True,  # the bench does not wait for 08:00 on a working day in Brussels
        )
        return report, time.perf_counter() - began

    async def spawn_sender(self) -> asyncio.subprocess.Process:
        o = self.options
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.pulse_sender",
            "--database-url",
            self.database_url,
            "--group",
            self.group,
            "--rate",
            str(o.rate),
            "--concurrency",
            str(o.concurrency),
            "--sender-lease",
            str(o.sender_lease),
            "--message-lease",
            str(o.message_lease),
            "--idle-poll",
            str(o.idle_poll),
            *(["--at-least-once"] if o.at_least_once else []),
            stdout=asyncio.subprocess.PIPE,
        )
        self.senders.append(process)
        return process

    async def counts(self) -> dict[Delivery, int]:
        return await self.database.outbox.counts(self.group)

    async def unconfirmed(self) -> set[str]:
        """The users whose card was settled without the channel's answer (its sender died during the POST)."""
        rows = await self.database.executor.fetch(
            "SELECT recipient FROM outbox WHERE grp = $1 AND error LIKE 'unconfirmed%'", self.group
        )
        return {str(row[0]) for row in rows}

    async def verdict(self) -> Verdict:
        """The connector's records against the users; a missed user whose card is unconfirmed is `lost`."""
        async with (
            aiohttp.ClientSession() as session,
            session.get(self.connector_url + "_bench/stats") as answer,
        ):
            stats: dict[str, Any] = await answer.json()
        accepted: dict[str, int] = stats["accepted"]
        expected = {f"a:{key}" for key in self.users}
        missed = expected - {c for c, count in accepted.items() if count > 0}
        unconfirmed = {f"a:{key}" for key in await self.unconfirmed()}
        return Verdict(
            accepted=sum(accepted.values()),
            duplicates=sum(count - 1 for count in accepted.values() if count > 1),
            users_twice=sum(1 for count in accepted.values() if count > 1),
            misses=len(missed),
            throttled=int(stats["throttled"]),
            calls=int(stats["calls"]),
            unconfirmed=len(unconfirmed),
            lost=len(missed & unconfirmed),
        )


@contextlib.asynccontextmanager
async def rig(options: BenchOptions) -> AsyncIterator[Rig]:
    """An open rig on a fresh database (SQLite in a temporary folder, or a PostgreSQL database created for
    the run and dropped after it)."""
    folder = Path(tempfile.mkdtemp(prefix="nwow-pulse-bench-"))
    server = options.database_url
    name = f"nwow_bench_{secrets.token_hex(4)}"
    if server is None:
        url = f"sqlite:///{folder / 'nwow.sqlite3'}"
    else:
        await admin(server, f'CREATE DATABASE "{name}"')
        url = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    running = Rig(options, folder, url)
    try:
        await running.open()
        yield running
    finally:
        await running.close()
        if server is not None:
            await admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), in MB; None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


@dataclass(frozen=True)
class RunFigures:
    scenario: str
    users: int
    populate_s: float
    start_s: float
    delivery_s: float
    configured_rate: float
    achieved_rate: float
    peak_rss_mb: float
    settled: dict[str, int]
    verdict: Verdict
    killed_at: tuple[int, ...] = ()  # cards sent when the sender was killed
    resumed_after_s: float | None = None  # from the first kill to the next card sent


async def run_scenario(options: BenchOptions, *, kills: int, sample: float = 0.25) -> RunFigures:
    """Deliver the pulse; with `kills`, SIGKILL the sender that many times, evenly spread over the run,
    each time starting a new one at once."""
    async with rig(options) as r:
        populate_s = await r.populate()
        report, start_s = await r.start()
        began = time.perf_counter()
        sender = await r.spawn_sender()
        peak = 0.0
        killed: list[int] = []
        killed_time = 0.0
        resumed_after: float | None = None
        while True:
            counts = await r.counts()
            peak = max(peak, peak_rss_mb(sender.pid) or 0.0)
            sent = counts[Delivery.SENT]
            if len(killed) < kills and sent >= report.queued * (len(killed) + 1) // (kills + 1):
                sender.kill()
                await sender.wait()
                killed.append(sent)
                killed_time = time.perf_counter()
                sender = await r.spawn_sender()
            elif killed and resumed_after is None and sent > killed[0]:
                resumed_after = time.perf_counter() - killed_time
            if counts[Delivery.QUEUED] + counts[Delivery.SENDING] == 0:
                break
            await asyncio.sleep(sample)
        delivery_s = time.perf_counter() - began
        await sender.wait()
        return RunFigures(
            scenario=f"sigkill x{kills}" if kills else "normal",
            users=options.users,
            populate_s=populate_s,
            start_s=start_s,
            delivery_s=delivery_s,
            configured_rate=options.rate,
            achieved_rate=counts[Delivery.SENT] / delivery_s,
            peak_rss_mb=peak,
            settled={status.value: n for status, n in counts.items() if n},
            verdict=await r.verdict(),
            killed_at=tuple(killed),
            resumed_after_s=resumed_after,
        )


def print_table(runs: Sequence[RunFigures], options: BenchOptions, backend: str) -> None:
    print(
        f"\n{options.users:,} users, {backend}, rate {options.rate:g}/s, 429 to {options.throttle:.0%} of calls "
        f"(Retry-After {options.retry_after} s), leases: sender {options.sender_lease:g} s, "
        f"message {options.message_lease:g} s"
        f"{'; pulse cards at least once' if options.at_least_once else ''}\n"
    )
    header = (
        "| run | address book s | start_pulse s | delivery s | achieved /s | peak RSS MB | 429s "
        "| settled | duplicates | misses | killed at | resumed after s | unconfirmed | lost |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for run in runs:
        v = run.verdict
        settled = ", ".join(f"{k} {n:,}" for k, n in sorted(run.settled.items()))
        print(
            f"| {run.scenario} | {run.populate_s:.1f} | {run.start_s:.2f} | {run.delivery_s:.1f} "
            f"| {run.achieved_rate:.0f} | {run.peak_rss_mb:.0f} | {v.throttled:,} | {settled} "
            f"| {v.duplicates} | {v.misses} | {', '.join(f'{n:,}' for n in run.killed_at[:3])}"
            f"{' ...' if len(run.killed_at) > 3 else ''} "
            f"| {'' if run.resumed_after_s is None else f'{run.resumed_after_s:.1f}'} | {v.unconfirmed} | {v.lost} |"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--rate", type=float, default=500.0, help="the sender's messages per second")
    parser.add_argument("--throttle", type=float, default=0.05, help="share of calls answered 429")
    parser.add_argument("--retry-after", default="0.1", help="Retry-After of the connector's 429s, seconds")
    parser.add_argument("--sender-lease", type=float, default=15.0, help="seconds (production: 15)")
    parser.add_argument("--message-lease", type=float, default=60.0, help="seconds (production: 60)")
    parser.add_argument("--database-url", help="postgresql://... (a database is created and dropped)")
    parser.add_argument("--only", choices=("normal", "sigkill"), help="one scenario")
    parser.add_argument("--kills", type=int, default=1, help="SIGKILLs of the sender in the sigkill run")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--at-least-once", action="store_true", help="pulse cards sent again after a crash (for comparison)"
    )
    args = parser.parse_args(argv)
    options = BenchOptions(
        users=args.users,
        rate=args.rate,
        throttle=args.throttle,
        retry_after=args.retry_after,
        sender_lease=args.sender_lease,
        message_lease=args.message_lease,
        at_least_once=args.at_least_once,
        database_url=args.database_url,
    )
    scenarios = [s for s in ("normal", "sigkill") if args.only in (None, s)]
    runs = [asyncio.run(run_scenario(options, kills=args.kills if s == "sigkill" else 0)) for s in scenarios]
    print_table(runs, options, "PostgreSQL" if args.database_url else "SQLite")
    if args.json:
        Path(args.json).write_text(json.dumps([_as_json(run) for run in runs], indent=2), encoding="utf-8")
    return 0 if all(run.verdict.duplicates == run.verdict.misses == 0 for run in runs) else 1


def _as_json(run: RunFigures) -> dict[str, Any]:
    return asdict(run)


if __name__ == "__main__":
    sys.exit(main())
