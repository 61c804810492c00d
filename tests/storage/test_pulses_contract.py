"""The pulse store, on every backend: a pulse kept once under its id, recipients added once, one answer per
user and pulse (whatever the races), the delivery read from the outbox, "don't ask me again", the audience
by unit read from the users' preferences, and a user's data shown and deleted."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from nwow.outbox import Delivery, OutboxMessage, Settlement
from nwow.pulses.launch import KIND_PULSE, card_group
from nwow.pulses.model import Recipient, card_key
from nwow.pulses.store import UNIT_PREFERENCE, AnswerRecorded, DeliveryRow
from nwow.storage import Database
from tests.storage.pulse_factories import CLOSES_AT, T0, answer, pulse, started

PULSE = "2027-01-test"


async def _with_recipients(db: Database, *keys: str, unit: str = "fed-dri") -> None:
    await db.pulses.create(started())
    await db.pulses.add_recipients(PULSE, [Recipient(key, "nl", unit) for key in keys])


async def test_a_pulse_is_kept_once_under_its_id(db: Database) -> None:
    first = await db.pulses.create(started())
    again = await db.pulses.create(started(at=T0 + timedelta(days=1), title={"nl": "Iets anders"}))
    assert first == again == started()
    assert first.pulse == pulse() and first.closes_at == CLOSES_AT and first.started_by == "dri-1"
    assert await db.pulses.get(PULSE) == first
    assert await db.pulses.get("unknown") is None


async def test_all_lists_the_latest_started_first(db: Database) -> None:
    await db.pulses.create(started("2026-11-old", at=T0 - timedelta(days=60)))
    await db.pulses.create(started("2027-01-new"))
    assert [s.pulse.id for s in await db.pulses.all()] == ["2027-01-new", "2026-11-old"]


async def test_a_pulse_closes_once(db: Database) -> None:
    await db.pulses.create(started())
    closed_at = T0 + timedelta(days=2)
    assert await db.pulses.close(PULSE, closed_at)
    assert not await db.pulses.close(PULSE, closed_at + timedelta(hours=1))
    assert not await db.pulses.close("unknown", closed_at)
    kept = await db.pulses.get(PULSE)
    assert kept is not None and kept.closed_at == closed_at and not kept.is_open(closed_at)


async def test_recipients_are_added_once(db: Database) -> None:
    await db.pulses.create(started())
    first = [Recipient(f"u{n:04d}", "fr" if n % 2 else "nl", "zone-5341") for n in range(1200)]
    assert await db.pulses.add_recipients(PULSE, first) == 1200
    again = [Recipient("u0001", "de", "other"), Recipient("u9999", "en", "")]
    assert await db.pulses.add_recipients(PULSE, again) == 1
    assert await db.pulses.add_recipients(PULSE, []) == 0
    assert await db.pulses.recipient(PULSE, "u0001") == Recipient("u0001", "fr", "zone-5341")
    assert await db.pulses.recipient(PULSE, "u9999") == Recipient("u9999", "en", "")
    assert await db.pulses.recipient(PULSE, "nobody") is None


async def test_an_answer_is_stored_once_and_a_retry_is_told_from_a_second_answer(db: Database) -> None:
    await db.pulses.create(started())
    assert (
        await db.pulses.record_answer(answer("u1", submission_id="act-1"), CLOSES_AT) is AnswerRecorded.STORED
    )
    repeated = await db.pulses.record_answer(answer("u1", submission_id="act-1", rating=1), CLOSES_AT)
    other = await db.pulses.record_answer(answer("u1", submission_id="act-2", rating=2), CLOSES_AT)
    assert (repeated, other) == (AnswerRecorded.REPEATED, AnswerRecorded.ALREADY)
    assert not repeated and not other
    [kept] = await db.pulses.answers(PULSE)
    assert kept == answer("u1", submission_id="act-1")
    assert kept.answers == {"teams": 4, "help": "Een <b>tweede</b> scherm — élan"}


async def test_no_answer_is_stored_after_the_pulse_closed(db: Database) -> None:
    await db.pulses.create(started())
    await db.pulses.close(PULSE, T0 + timedelta(hours=2))
    late = answer("u1", at=T0 + timedelta(hours=3))
    assert await db.pulses.record_answer(late, CLOSES_AT) is AnswerRecorded.CLOSED
    assert await db.pulses.answers(PULSE) == []


async def test_no_answer_is_stored_once_the_closing_day_is_over(db: Database) -> None:
    await db.pulses.create(started())
    assert await db.pulses.record_answer(answer("u1", at=CLOSES_AT), CLOSES_AT) is AnswerRecorded.CLOSED
    just_in_time = answer("u2", at=CLOSES_AT - timedelta(seconds=1))
    assert await db.pulses.record_answer(just_in_time, CLOSES_AT) is AnswerRecorded.STORED
    unknown = answer("u3", pulse_id="never-started")
    assert await db.pulses.record_answer(unknown, CLOSES_AT) is AnswerRecorded.CLOSED


async def test_of_many_answers_at_once_exactly_one_is_stored(db: Database) -> None:
    await db.pulses.create(started())
    submits = [answer("u1", submission_id=f"act-{n}", rating=1 + n % 5) for n in range(20)]
    outcomes = await asyncio.gather(*(db.pulses.record_answer(a, CLOSES_AT) for a in submits))
    assert outcomes.count(AnswerRecorded.STORED) == 1
    assert outcomes.count(AnswerRecorded.ALREADY) == 19
    [kept] = await db.pulses.answers(PULSE)
    assert kept.submission_id == submits[outcomes.index(AnswerRecorded.STORED)].submission_id


async def test_has_answered_and_the_answers_of_one_pulse(db: Database) -> None:
    await db.pulses.create(started())
    await db.pulses.create(started("2027-03-next"))
    await db.pulses.record_answer(answer("u2", at=T0 + timedelta(hours=2)), CLOSES_AT)
    await db.pulses.record_answer(answer("u1", at=T0 + timedelta(hours=1)), CLOSES_AT)
    await db.pulses.record_answer(answer("u1", pulse_id="2027-03-next"), CLOSES_AT)
    assert await db.pulses.has_answered(PULSE, "u1")
    assert not await db.pulses.has_answered(PULSE, "u3")
    assert [a.user_key for a in await db.pulses.answers(PULSE)] == ["u1", "u2"]


async def test_the_delivery_counts_recipients_by_unit_and_state_of_their_card(db: Database) -> None:
    await _with_recipients(db, "u1", "u2", "u3", unit="zone-5341")
    await db.pulses.add_recipients(PULSE, [Recipient("u4", "nl", ""), Recipient("u5", "fr", "")])
    cards = [
        OutboxMessage(
            card_key(PULSE, key), KIND_PULSE, key, {"pulse": PULSE, "lang": "nl"}, T0, card_group(PULSE)
        )
        for key in ("u1", "u2", "u3", "u4")
    ]
    other_group = OutboxMessage("other-u5", "test", "u5", {}, T0, "other")
    await db.outbox.enqueue([*cards, other_group], T0)
    claimed = {m.recipient: m for m in await db.outbox.claim("A", T0, timedelta(seconds=60), 10)}
    await db.outbox.settle(claimed["u1"].id, "A", Settlement.sent("act-1"), T0)
    await db.outbox.settle(claimed["u2"].id, "A", Settlement.gone("HTTP 403"), T0)
    await db.outbox.settle(claimed["u4"].id, "A", Settlement.again(T0 + timedelta(hours=1), "429"), T0)

    rows = await db.pulses.delivery(PULSE, card_group(PULSE))

    assert sorted(rows, key=lambda r: (r.unit, str(r.status))) == [
        DeliveryRow("", None, 1),  # u5: the message of another group is not their card
        DeliveryRow("", Delivery.QUEUED, 1),
        DeliveryRow("zone-5341", Delivery.GONE, 1),
        DeliveryRow("zone-5341", Delivery.SENDING, 1),
        DeliveryRow("zone-5341", Delivery.SENT, 1),
    ]


async def test_respondents_are_counted_by_their_recipient_unit(db: Database) -> None:
    await _with_recipients(db, "u1", "u2", unit="zone-5341")
    await db.pulses.add_recipients(PULSE, [Recipient("u3", "nl", "fed-dri")])
    for key in ("u1", "u2", "u3", "stranger"):  # the card's own unit does not count: the recipient's does
        await db.pulses.record_answer(answer(key), CLOSES_AT)
    assert await db.pulses.answered_by_unit(PULSE) == {"zone-5341": 2, "fed-dri": 1, "": 1}
    assert await db.pulses.answered_by_unit("2027-03-none") == {}


async def test_a_user_who_opted_out_is_never_asked_again(db: Database) -> None:
    assert await db.pulses.opt_out("u1", T0)
    assert not await db.pulses.opt_out("u1", T0 + timedelta(days=1))
    await db.pulses.opt_out("u3", T0)
    many = [f"k{n:04d}" for n in range(1100)] + ["u1", "u2", "u3"]
    assert await db.pulses.opted_out(many) == {"u1", "u3"}
    assert await db.pulses.opted_out([]) == set()


async def test_units_and_their_members_come_from_the_users_unit_preference(db: Database) -> None:
    for n in range(7):
        await db.feedback.remember(f"u{n}", UNIT_PREFERENCE, "zone-5341" if n % 2 else "fed-dri")
    await db.feedback.remember("u9", "lang", "fr")  # another preference is no unit
    await db.feedback.remember("u8", UNIT_PREFERENCE, "zone-0000")

    assert await db.pulses.units_of(["u1", "u2", "u9", "unknown"]) == {"u1": "zone-5341", "u2": "fed-dri"}
    assert await db.pulses.members(["zone-5341", "zone-0000"]) == ["u1", "u3", "u5", "u8"]
    assert await db.pulses.members(["zone-5341"], after="u1", limit=2) == ["u3", "u5"]
    assert await db.pulses.members(["zone-5341"], after="u5") == []
    assert await db.pulses.members([]) == []
    assert await db.pulses.members(["lang"]) == []


async def test_a_users_data_is_shown_and_deleted_but_their_opt_out_is_kept(db: Database) -> None:
    await db.pulses.create(started())
    await db.pulses.create(started("2027-03-next"))
    await db.pulses.record_answer(answer("u1"), CLOSES_AT)
    await db.pulses.record_answer(
        answer("u1", pulse_id="2027-03-next", at=T0 + timedelta(hours=2)), CLOSES_AT
    )
    await db.pulses.record_answer(answer("u2"), CLOSES_AT)
    await db.pulses.add_recipients(
        PULSE, [Recipient("u1", "fr", "fed-dri"), Recipient("u2", "nl", "fed-dri")]
    )
    await db.pulses.opt_out("u1", T0)

    data = await db.pulses.user_data("u1")
    assert [a.pulse_id for a in data.answers] == [PULSE, "2027-03-next"] and data.opted_out
    assert await db.pulses.delete_user("u1") == 3  # two answers, and the unit and language of a recipient

    # Still counted as a recipient of the pulse, without their unit or language.
    assert await db.pulses.recipient(PULSE, "u1") == Recipient("u1", "", "")
    assert await db.pulses.recipient(PULSE, "u2") == Recipient("u2", "nl", "fed-dri")
    after = await db.pulses.user_data("u1")
    assert after.answers == () and after.opted_out
    assert await db.pulses.opted_out(["u1"]) == {"u1"}
    assert [a.user_key for a in await db.pulses.answers(PULSE)] == ["u2"]
    assert await db.pulses.delete_user("nobody") == 0
