"""Starting a pulse on a real database (SQLite and PostgreSQL): who it goes to, in which language, when its
cards and reminder are due, a resumed start, the starts refused; what is still deliverable when a card is
sent; the status DRI reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from nwow.feedback.pseudonym import pseudonymize
from nwow.outbox import Delivery, PendingMessage, Settlement
from nwow.pulses.launch import (
    KIND_PULSE,
    KIND_REMINDER,
    PulseConflict,
    StartReport,
    card_group,
    deliverable,
    pulse_status,
    reminder_group,
    start_pulse,
)
from nwow.pulses.model import Audience, Pulse, Recipient, card_key
from nwow.pulses.store import UNIT_PREFERENCE
from nwow.storage import Database
from nwow.tickets.hours import BusinessHours
from tests.storage.conftest import database_url, db, postgres_database_url
from tests.storage.pulse_factories import CLOSES_AT, T0, address, answer, pulse

__all__ = ["database_url", "db", "postgres_database_url"]

SERVICE = "https://smba.example/emea/"
KEY = b"test-pseudonym-key"
HOURS = BusinessHours()
PULSE = "2027-01-test"
LEASE = timedelta(seconds=60)


def brussels(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A moment given in Brussels winter time (UTC+1), in UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=1)


async def _users(db: Database, *keys: str, locale: str | None = "nl-BE") -> None:
    for key in keys:
        await db.addresses.remember(key, address(SERVICE, key, locale), kind="user", now=T0)


async def _start(db: Database, started: Pulse | None = None, *, now: datetime = T0) -> StartReport:
    return await start_pulse(
        started or pulse(),
        pulses=db.pulses,
        outbox=db.outbox,
        addresses=db.addresses,
        pseudonymize=partial(pseudonymize, key=KEY),
        hours=HOURS,
        now=now,
        started_by="dri-1",
    )


async def _claimed(db: Database, at: datetime) -> dict[str, PendingMessage]:
    return {m.key: m for m in await db.outbox.claim("A", at, LEASE, 500)}


async def test_a_pulse_to_everyone_queues_one_card_and_one_reminder_per_user(db: Database) -> None:
    await _users(db, "u1", "u2", "u3")
    await db.addresses.remember("general", address(SERVICE, "general"), kind="channel", now=T0)

    report = await _start(db)

    assert (report.audience, report.queued, report.opted_out, report.unreachable) == (3, 3, 0, 0)
    assert not report.resumed and report.started.started_by == "dri-1"
    assert report.first_send == T0  # Monday 10:00 in Brussels: at once
    assert report.reminder_at == T0 + timedelta(days=7)
    assert (await db.outbox.counts(card_group(PULSE)))[Delivery.QUEUED] == 3
    assert (await db.outbox.counts(reminder_group(PULSE)))[Delivery.QUEUED] == 3
    cards = await _claimed(db, T0)
    assert set(cards) == {card_key(PULSE, key) for key in ("u1", "u2", "u3")}
    card = cards[card_key(PULSE, "u1")]
    assert (card.kind, card.recipient, card.payload) == (KIND_PULSE, "u1", {"pulse": PULSE, "lang": "nl"})
    for message in cards.values():
        await db.outbox.settle(message.id, "A", Settlement.sent(), T0)
    reminders = await _claimed(db, T0 + timedelta(days=7))
    assert {m.kind for m in reminders.values()} == {KIND_REMINDER} and len(reminders) == 3
    assert await db.pulses.recipient(PULSE, "u2") == Recipient("u2", "nl", "")


async def test_each_card_is_in_the_language_of_the_users_teams(db: Database) -> None:
    await _users(db, "u-fr", locale="fr-BE")
    await _users(db, "u-de", locale="de-DE")
    await _users(db, "u-en", locale="en-US")
    await _users(db, "u-es", locale="es-ES")
    await _users(db, "u-none", locale=None)
    await _start(db)
    langs = {m.recipient: m.payload["lang"] for m in (await _claimed(db, T0)).values()}
    assert langs == {"u-fr": "fr", "u-de": "de", "u-en": "en", "u-es": "nl", "u-none": "nl"}


async def test_a_pulse_to_units_goes_to_their_members_the_bot_can_reach(db: Database) -> None:
    await _users(db, "a1", "a2", "b1", "c1")
    for key, unit in (("a1", "zone-5341"), ("a2", "zone-5341"), ("b1", "fed-dri"), ("c1", "other")):
        await db.feedback.remember(key, UNIT_PREFERENCE, unit)
    await db.feedback.remember("a3", UNIT_PREFERENCE, "zone-5341")  # never talked to the bot: no address
    to_units = pulse(audience=Audience("units", units=frozenset({"zone-5341", "fed-dri"})))

    report = await _start(db, to_units)

    assert (report.audience, report.queued, report.unreachable) == (3, 3, 1)
    assert {m.recipient for m in (await _claimed(db, T0)).values()} == {"a1", "a2", "b1"}
    assert await db.pulses.recipient(PULSE, "a1") == Recipient("a1", "nl", "zone-5341")


async def test_a_pulse_to_a_list_goes_to_the_listed_ids_and_counts_those_it_cannot_reach(
    db: Database,
) -> None:
    ids = [f"0000000{n}-aaaa-bbbb-cccc-dddddddddddd" for n in range(5)]
    keys = [pseudonymize(object_id, KEY) for object_id in ids]
    await _users(db, *keys[:3])
    await _users(db, "not-listed")
    listed = pulse(audience=Audience("list", object_ids=frozenset(ids)))

    report = await _start(db, listed)

    assert (report.audience, report.queued, report.unreachable) == (3, 3, 2)
    assert {m.recipient for m in (await _claimed(db, T0)).values()} == set(keys[:3])


async def test_who_asked_never_to_be_asked_again_is_left_out(db: Database) -> None:
    await _users(db, "u1", "u2", "u3")
    await db.pulses.opt_out("u2", T0 - timedelta(days=30))
    report = await _start(db)
    assert (report.audience, report.queued, report.opted_out) == (2, 2, 1)
    assert await db.pulses.recipient(PULSE, "u2") is None
    assert {m.recipient for m in (await _claimed(db, T0)).values()} == {"u1", "u3"}


async def test_cards_and_reminder_wait_for_business_hours_in_brussels(db: Database) -> None:
    await _users(db, "u1")
    evening = brussels(2027, 1, 19, 20, 0)  # Tuesday 20:00

    report = await _start(db, now=evening)

    assert report.first_send == brussels(2027, 1, 20, 8, 0)  # Wednesday 08:00
    assert report.reminder_at == brussels(2027, 1, 27, 8, 0)  # a week later, the next working morning
    assert await db.outbox.claim("A", report.first_send - timedelta(seconds=1), LEASE, 10) == []
    assert [m.kind for m in await db.outbox.claim("A", report.first_send, LEASE, 10)] == [KIND_PULSE]


async def test_the_reminder_comes_its_days_after_the_cards_not_with_them(db: Database) -> None:
    """Started on a Friday evening with a reminder after one day: the cards go on Monday morning, the
    reminder on Tuesday morning (counted from the start, both would have gone together on Monday)."""
    await _users(db, "u1")
    friday_evening = brussels(2027, 1, 15, 18, 0)

    report = await _start(db, pulse(reminder_days=1), now=friday_evening)

    assert report.first_send == brussels(2027, 1, 18, 8, 0)
    assert report.reminder_at == brussels(2027, 1, 19, 8, 0)
    assert [m.kind for m in await db.outbox.claim("A", report.first_send, LEASE, 10)] == [KIND_PULSE]


async def test_a_pulse_started_before_it_opens_waits_for_its_first_working_day(db: Database) -> None:
    await _users(db, "u1")
    before = brussels(2026, 12, 30, 15, 0)
    report = await _start(db, now=before)
    assert report.first_send == brussels(2027, 1, 11, 8, 0)  # opens Monday 11 January
    assert report.reminder_at == brussels(2027, 1, 18, 8, 0)


async def test_no_reminder_when_the_pulse_closes_first(db: Database) -> None:
    await _users(db, "u1")
    report = await _start(db, pulse(reminder_days=30))
    assert report.reminder_at is None
    assert sum((await db.outbox.counts(reminder_group(PULSE))).values()) == 0


async def test_starting_the_same_pulse_again_resumes_without_queuing_twice(db: Database) -> None:
    await _users(db, *(f"u{n:04d}" for n in range(1500)))
    first = await _start(db)
    await _users(db, "u9999")  # installed the app in between

    again = await _start(db, replace(pulse(), source_file="elsewhere/pulse.yml"), now=T0 + timedelta(hours=1))

    assert (first.queued, again.queued, again.audience) == (1500, 1, 1501)
    assert again.resumed and again.started.started_at == T0
    assert again.first_send == T0 + timedelta(hours=1) and again.reminder_at == first.reminder_at
    assert (await db.outbox.counts(card_group(PULSE)))[Delivery.QUEUED] == 1501
    assert (await db.outbox.counts(reminder_group(PULSE)))[Delivery.QUEUED] == 1501


async def test_another_pulse_under_a_used_id_is_refused(db: Database) -> None:
    await _users(db, "u1")
    await _start(db)
    with pytest.raises(PulseConflict, match="never reused"):
        await _start(db, pulse(closes=CLOSES_AT.date() + timedelta(days=7)), now=T0 + timedelta(hours=1))
    assert sum((await db.outbox.counts(card_group(PULSE))).values()) == 1


async def test_a_closed_pulse_sends_nothing_more(db: Database) -> None:
    await _users(db, "u1")
    await _start(db)
    await db.pulses.close(PULSE, T0 + timedelta(hours=1))
    await _users(db, "u2")
    with pytest.raises(PulseConflict, match="closed"):
        await _start(db, now=T0 + timedelta(hours=2))
    assert await db.pulses.recipient(PULSE, "u2") is None


async def test_a_pulse_whose_closing_day_is_over_is_refused_and_not_kept(db: Database) -> None:
    await _users(db, "u1")
    with pytest.raises(PulseConflict, match="closed"):
        await _start(db, now=CLOSES_AT + timedelta(minutes=1))
    assert await db.pulses.get(PULSE) is None  # a corrected file may start under the same id


async def test_a_card_is_deliverable_while_the_pulse_is_open_to_who_has_not_answered(db: Database) -> None:
    await _users(db, "u1", "u2", "u3")
    await _start(db)
    check = partial(deliverable, db.pulses, db.outbox, PULSE, reminder=False)
    assert await check("u1", now=T0) is not None
    await db.pulses.record_answer(answer("u1"), CLOSES_AT)
    await db.pulses.opt_out("u2", T0)
    assert await check("u1", now=T0 + timedelta(hours=2)) is None
    assert await check("u2", now=T0) is None
    assert await check("u3", now=CLOSES_AT) is None
    assert await deliverable(db.pulses, db.outbox, "unknown", "u3", reminder=False, now=T0) is None
    await db.pulses.close(PULSE, T0 + timedelta(hours=3))
    assert await check("u3", now=T0 + timedelta(hours=4)) is None


async def test_a_reminder_is_deliverable_only_after_the_card_was_sent(db: Database) -> None:
    await _users(db, "u1", "u2")
    report = await _start(db)
    assert report.reminder_at is not None
    remind = partial(deliverable, db.pulses, db.outbox, PULSE, reminder=True, now=report.reminder_at)
    assert await remind("u1") is None  # card still queued
    cards = await _claimed(db, T0)
    assert await remind("u1") is None  # being sent
    await db.outbox.settle(cards[card_key(PULSE, "u1")].id, "A", Settlement.sent("act-1"), T0)
    await db.outbox.settle(cards[card_key(PULSE, "u2")].id, "A", Settlement.gone("HTTP 403"), T0)
    started = await remind("u1")
    assert started is not None and started.pulse.id == PULSE
    assert await remind("u2") is None


async def test_the_status_counts_each_state_and_shows_only_units_of_the_minimum_group(db: Database) -> None:
    units = {"a1": "zone-a", "a2": "zone-a", "a3": "zone-a", "b1": "zone-b", "b2": "zone-b", "n1": ""}
    await _users(db, *units)
    for key, unit in units.items():
        if unit:
            await db.feedback.remember(key, UNIT_PREFERENCE, unit)
    await _start(db)  # minimum group: 3
    cards = await _claimed(db, T0)
    outcomes = {"a1": Settlement.sent(), "a2": Settlement.sent(), "b1": Settlement.sent()}
    outcomes |= {"a3": Settlement.gone("HTTP 404"), "b2": Settlement.failed("HTTP 400")}
    for key, outcome in outcomes.items():
        await db.outbox.settle(cards[card_key(PULSE, key)].id, "A", outcome, T0)
    await db.outbox.settle(cards[card_key(PULSE, "n1")].id, "A", Settlement.again(T0, "HTTP 429"), T0)
    for key in ("a1", "b1"):
        await db.pulses.record_answer(answer(key), CLOSES_AT)

    status = await pulse_status(db.pulses, PULSE)

    assert status is not None
    assert (status.recipients, status.queued, status.delivered, status.failed, status.gone) == (6, 1, 3, 1, 1)
    assert (status.answered, status.settled) == (2, 5)
    assert status.response_rate == pytest.approx(2 / 3)
    # By unit only the delivery (who answered is in the results, once closed), for units of at least k.
    assert [(u.unit, u.recipients, u.delivered) for u in status.by_unit] == [("zone-a", 3, 2)]
    assert status.hidden_units == 1
    # Never below the deployment's minimum group.
    stricter = await pulse_status(db.pulses, PULSE, min_group=4)
    assert stricter is not None and stricter.by_unit == () and stricter.hidden_units == 2
    assert await pulse_status(db.pulses, "unknown") is None
