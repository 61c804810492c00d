"""Reminders for questions nobody took: due after the configured working time, sent once whatever the
number of replicas sweeping at the same moment, withdrawn when somebody takes the question before it goes
out, and sent again once after a reopening. On SQLite and PostgreSQL, through the real outbox and the fake
Bot Connector."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from bot.conversation.ambassadors import TEAM_KEY, AmbassadorTeam
from bot.conversation.ticket_delivery import KIND_REMINDER, TicketCardView, running_sweeper
from bot.conversation.tickets import TicketDesk, TicketServices
from bot.proactive import ConnectorSender, OutboxDispatcher, Proactive
from bot.settings import Settings
from bot.strings import t
from bot.transport.adapter import check_service_url
from bot.transport.outbound import OutboundClient, OutboundTokens
from nwow.faq.loader import load_knowledge_base
from nwow.feedback.units import load_units
from nwow.outbox import Address, Delivery
from nwow.paths import default_faq_dir
from nwow.storage import Database
from nwow.tickets import TicketAnswer
from nwow.tickets.routing import Routing
from tests.harness import FakeConnector, LocalCredentialsFactory
from tests.harness.ambassadors import card_in, texts
from tests.harness.waiting import eventually
from tests.storage.conftest import database_url, db, postgres_database_url
from tests.storage.ticket_factories import ANN, new_ticket

__all__ = ["database_url", "db", "postgres_database_url"]

TEAM = "19:team@thread.tacv2"
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Brussels
SMALL_FAQ = Path(__file__).resolve().parents[1] / "e2e" / "faq"


class Clock:
    def __init__(self) -> None:
        self.now = MONDAY

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def outbound(credentials_factory: LocalCredentialsFactory) -> AsyncIterator[OutboundClient]:
    client = OutboundClient(OutboundTokens(credentials_factory))
    yield client
    await client.close()


def _view(db: Database, clock: Clock, settings: Settings) -> TicketCardView:
    kb = load_knowledge_base(SMALL_FAQ).kb
    units, _ = load_units(default_faq_dir() / "units.yml")
    assert kb is not None and units is not None
    return TicketCardView(db.tickets, lambda: kb, lambda: units, "nl", settings.working_hours, clock)


def _dispatcher(db: Database, outbound: OutboundClient, clock: Clock, settings: Settings) -> OutboxDispatcher:
    sender = ConnectorSender(outbound, "", check_service_url=partial(check_service_url, loopback_only=True))
    live = _view(db, clock, settings).live()
    return OutboxDispatcher(db.outbox, db.addresses, db.leases, sender, owner="A", clock=clock, live=live)


def _desk(db: Database, clock: Clock, settings: Settings) -> TicketDesk:
    view = _view(db, clock, settings)
    kb = load_knowledge_base(SMALL_FAQ).kb
    units, _ = load_units(default_faq_dir() / "units.yml")
    assert kb is not None and units is not None
    services = TicketServices(
        settings=settings,
        tickets=db.tickets,
        questions=db.questions,
        proposals=db.proposals,
        proactive=Proactive(db.addresses, db.outbox, None, clock=clock),
        team=AmbassadorTeam(settings, db.addresses, clock=clock),
        knowledge=lambda: kb,
        routing=Routing.general_only,
        units=lambda: units,
        clock=clock,
    )
    return TicketDesk(services, view)


async def _setup(db: Database, connector: FakeConnector, settings: Settings) -> None:
    team = Address(
        service_url=connector.base_url, channel_id="msteams", bot_id="28:bot", conversation_id=TEAM
    )
    await db.addresses.remember(TEAM_KEY, team, kind="channel", now=MONDAY)
    await db.tickets.create(
        new_ticket(
            "s1",
            channel=TEAM,
            created_at=MONDAY,
            remind_at=settings.working_hours.add(MONDAY, timedelta(hours=4)),
        )
    )


async def _reminders(db: Database) -> list[tuple[Delivery, str | None]]:
    rows = await db.executor.fetch("SELECT key FROM outbox WHERE kind = $1 ORDER BY key", KIND_REMINDER)
    found = await db.outbox.delivery([str(r[0]) for r in rows])
    return [found[str(r[0])] for r in rows]


async def test_a_reminder_is_sent_once_by_however_many_replicas_sweep(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    settings = Settings().with_overrides(dev_mode=True, ambassador_team_id=TEAM, ticket_reminder_hours=4.0)
    clock = Clock()
    replicas = [_desk(db, clock, settings) for _ in range(3)]
    await _setup(db, fake_connector, settings)
    assert sum(await asyncio.gather(*(r.post_waiting_cards() for r in replicas))) == 1  # the card, once

    clock.now = MONDAY + timedelta(hours=3, minutes=59)
    assert sum(await asyncio.gather(*(r.sweep() for r in replicas))) == 0
    clock.now = MONDAY + timedelta(hours=4)
    assert sum(await asyncio.gather(*(r.sweep() for r in replicas))) == 1
    assert sum(await asyncio.gather(*(r.sweep() for r in replicas))) == 0

    await _dispatcher(db, outbound, clock, settings).drain_once()
    posted = [texts(card_in(r)) for r in fake_connector.replies if r.conversation_id == TEAM]
    [card] = [shown for shown in posted if t("amb.card_title", "nl", number=1) in shown]
    [shown] = [shown for shown in posted if shown is not card]
    assert t("amb.reminder_title", "nl", number=1) in shown
    assert t("amb.reminder_body", "nl", when="23/11 10:00", hours=4) in shown


async def test_a_reminder_is_withdrawn_when_the_question_is_taken_first_and_comes_again_after_a_reopening(
    db: Database, fake_connector: FakeConnector, outbound: OutboundClient
) -> None:
    settings = Settings().with_overrides(dev_mode=True, ambassador_team_id=TEAM, ticket_reminder_hours=4.0)
    clock = Clock()
    desk = _desk(db, clock, settings)
    await _setup(db, fake_connector, settings)
    await desk.post_waiting_cards()
    await _dispatcher(db, outbound, clock, settings).drain_once()
    fake_connector.requests.clear()  # the question's card went out; what follows is about the reminder
    clock.now = MONDAY + timedelta(hours=5)
    assert await desk.sweep() == 1
    await db.tickets.claim(1, ANN, clock.now)  # taken before the outbox sent the reminder
    dispatcher = _dispatcher(db, outbound, clock, settings)
    await dispatcher.drain_once()
    assert fake_connector.replies == [] and await _reminders(db) == [(Delivery.GONE, None)]

    await db.tickets.answer(1, ANN, TicketAnswer(text="Zo."), "a1", clock.now)
    reopen_at = MONDAY + timedelta(days=1)
    remind = settings.working_hours.add(reopen_at, timedelta(hours=4))
    await db.tickets.reopen(1, "u1", "nog niet", "r1", reopen_at, remind)
    clock.now = remind
    assert await desk.sweep() == 1
    await dispatcher.drain_once()
    assert [r.conversation_id for r in fake_connector.replies] == [TEAM]


async def test_only_the_replica_holding_the_sweeper_lease_sweeps(db: Database) -> None:
    swept: Counter[str] = Counter()

    def sweeper(name: str) -> object:
        async def sweep() -> int:
            swept[name] += 1
            return 0

        return sweep

    async with (
        running_sweeper(sweeper("a"), db.leases, every=0.01),  # type: ignore[arg-type]
        running_sweeper(sweeper("b"), db.leases, every=0.01),  # type: ignore[arg-type]
    ):
        await eventually(lambda: asyncio.sleep(0, sum(swept.values())), lambda n: n >= 20)
    assert len(swept) == 1, swept
