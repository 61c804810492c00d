"""The ticket store, on every backend: idempotent on submission ids, one winner when two ambassadors take a
ticket at once, reminders claimed once across callers, the user's data listed and deleted."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from nwow.storage import Database
from nwow.tickets import Act, Ambassador, Origin, TicketAnswer, TicketStatus
from tests.storage.factories import T0
from tests.storage.ticket_factories import ANN, BEN, new_ticket

ANSWER = TicketAnswer(text="Ja, via **HDMI**.", links=("equipment-request",))


async def test_a_ticket_is_numbered_and_kept_as_submitted(db: Database) -> None:
    first, created = await db.tickets.create(new_ticket("s1"))
    second, _ = await db.tickets.create(new_ticket("s2", requester_name="Eva Janssens"))
    assert created and (first.number, second.number) == (1, 2)
    assert first.status is TicketStatus.OPEN and first.version == 1
    assert first.question == "Mag ik mijn eigen <b>scherm</b> gebruiken?"
    assert first.candidates == ("equipment-screen", "telework-equipment")
    assert first.requester_name is None and second.requester_name == "Eva Janssens"
    assert first.remind_at == T0 + timedelta(hours=4) and first.created_at == T0
    assert await db.tickets.get(1) == first


async def test_the_same_submission_twice_is_one_ticket(db: Database) -> None:
    results = await asyncio.gather(*(db.tickets.create(new_ticket("same")) for _ in range(5)))
    assert {ticket.number for ticket, _ in results} == {1}
    assert sum(created for _, created in results) == 1


async def test_numbers_are_unique_when_many_users_ask_at_once(db: Database) -> None:
    results = await asyncio.gather(*(db.tickets.create(new_ticket(f"s{n}", f"u{n}")) for n in range(30)))
    numbers = sorted(ticket.number for ticket, _ in results)
    assert numbers == list(range(1, 31))


async def test_of_two_ambassadors_taking_a_ticket_at_once_one_wins_and_the_other_learns_who(
    db: Database,
) -> None:
    ticket, _ = await db.tickets.create(new_ticket())
    ann, ben = await asyncio.gather(
        db.tickets.claim(ticket.number, ANN, T0), db.tickets.claim(ticket.number, BEN, T0)
    )
    assert sorted([ann.act, ben.act]) == sorted([Act.DONE, Act.TAKEN])
    winner = ANN if ann.act is Act.DONE else BEN
    loser = ben if ann.act is Act.DONE else ann
    assert loser.ticket is not None and loser.ticket.claimed_by == winner
    again = await db.tickets.claim(ticket.number, winner, T0)
    assert again.act is Act.REPEATED
    stored = await db.tickets.get(ticket.number)
    assert stored is not None and stored.status is TicketStatus.CLAIMED and stored.version == 2


async def test_a_ticket_given_back_is_open_for_the_next(db: Database) -> None:
    ticket, _ = await db.tickets.create(new_ticket())
    await db.tickets.claim(ticket.number, ANN, T0)
    assert (await db.tickets.release(ticket.number, BEN, T0)).act is Act.NOT_YOURS
    released = await db.tickets.release(ticket.number, ANN, T0)
    assert released.act is Act.DONE and released.ticket is not None
    assert released.ticket.status is TicketStatus.OPEN and released.ticket.claimed_by is None
    assert (await db.tickets.claim(ticket.number, BEN, T0)).act is Act.DONE


async def test_an_answer_is_stored_once_and_only_by_the_one_who_took_it(db: Database) -> None:
    ticket, _ = await db.tickets.create(new_ticket())
    await db.tickets.claim(ticket.number, ANN, T0)
    later = T0 + timedelta(hours=2)
    assert (await db.tickets.answer(ticket.number, BEN, ANSWER, "a-ben", later)).act is Act.TAKEN
    done = await db.tickets.answer(ticket.number, ANN, ANSWER, "a-ann", later)
    assert done.act is Act.DONE and done.ticket is not None
    assert done.ticket.answer == ANSWER and done.ticket.answered_by == ANN
    assert done.ticket.first_answered_at == later and done.ticket.status is TicketStatus.ANSWERED
    assert (await db.tickets.answer(ticket.number, ANN, ANSWER, "a-ann", later)).act is Act.REPEATED
    other = TicketAnswer(entry_id="equipment-screen")
    assert (await db.tickets.answer(ticket.number, ANN, other, "a-ann-2", later)).act is Act.ANSWERED


async def test_an_open_ticket_can_be_answered_at_once_with_an_faq_entry(db: Database) -> None:
    ticket, _ = await db.tickets.create(new_ticket())
    entry = TicketAnswer(entry_id="equipment-screen")
    done = await db.tickets.answer(ticket.number, BEN, entry, "a1", T0)
    assert done.act is Act.DONE and done.ticket is not None
    assert done.ticket.claimed_by == BEN and done.ticket.answer == entry


async def test_the_user_reopens_rates_and_only_their_own_ticket(db: Database) -> None:
    ticket, _ = await db.tickets.create(new_ticket(user_key="u1"))
    n = ticket.number
    assert (await db.tickets.reopen(n, "u1", "", "r0", T0, None)).act is Act.NOT_ANSWERED
    assert (await db.tickets.rate(n, "u1", True, T0)).act is Act.NOT_ANSWERED
    await db.tickets.answer(n, ANN, ANSWER, "a1", T0)
    assert (await db.tickets.rate(n, "someone-else", False, T0)).act is Act.MISSING
    rated = await db.tickets.rate(n, "u1", False, T0)
    assert rated.act is Act.DONE and rated.ticket is not None and rated.ticket.helpful is False
    assert (await db.tickets.rate(n, "u1", False, T0)).act is Act.REPEATED
    assert (await db.tickets.reopen(n, "someone-else", "x", "r1", T0, None)).act is Act.MISSING
    remind = T0 + timedelta(days=1)
    reopened = await db.tickets.reopen(n, "u1", "Still no <i>image</i>", "r1", T0, remind)
    assert reopened.act is Act.DONE and reopened.ticket is not None
    assert reopened.ticket.status is TicketStatus.OPEN and reopened.ticket.reopened == 1
    assert reopened.ticket.reopen_note == "Still no <i>image</i>" and reopened.ticket.claimed_by is None
    assert reopened.ticket.answer == ANSWER and reopened.ticket.remind_at == remind
    again = await db.tickets.answer(n, BEN, TicketAnswer(text="Dan met USB-C."), "a2", T0 + timedelta(days=2))
    assert again.ticket is not None and again.ticket.first_answered_at == T0
    assert (await db.tickets.reopen(n, "u1", "x", "r1", T0, None)).act is Act.DONE  # a new reopening
    assert (await db.tickets.reopen(n, "u1", "x", "r1", T0, None)).act is Act.REPEATED


async def test_a_reminder_is_claimed_by_exactly_one_caller_and_only_when_due_and_open(db: Database) -> None:
    due, _ = await db.tickets.create(new_ticket("s1", remind_at=T0 + timedelta(hours=1)))
    later, _ = await db.tickets.create(new_ticket("s2", remind_at=T0 + timedelta(hours=5)))
    taken, _ = await db.tickets.create(new_ticket("s3", remind_at=T0))
    await db.tickets.create(new_ticket("s4", remind_at=None))
    await db.tickets.claim(taken.number, ANN, T0)
    now = T0 + timedelta(hours=2)
    batches = await asyncio.gather(*(db.tickets.claim_reminders(now, 10) for _ in range(4)))
    assert sorted(t.number for batch in batches for t in batch) == [due.number]
    assert await db.tickets.claim_reminders(T0 + timedelta(days=1), 10) == [
        await db.tickets.get(later.number)
    ]


async def test_lists_for_the_user_the_ambassadors_and_the_reports(db: Database) -> None:
    for n in range(4):
        await db.tickets.create(
            new_ticket(f"s{n}", "u1" if n % 2 == 0 else "u2", created_at=T0 + timedelta(hours=n))
        )
    await db.tickets.answer(3, ANN, ANSWER, "a3", T0 + timedelta(hours=5))
    assert [t.number for t in await db.tickets.for_user("u1", 10)] == [3, 1]
    assert [t.number for t in await db.tickets.waiting(10)] == [4, 2, 1]
    assert await db.tickets.count_waiting() == 3
    assert [t.number for t in await db.tickets.created_between(T0, T0 + timedelta(hours=2))] == [1, 2]
    answered = await db.tickets.answered_between(T0, T0 + timedelta(days=1))
    assert [t.number for t in answered] == [3]


async def test_cards_never_queued_are_found_until_queued(db: Database) -> None:
    await db.tickets.create(new_ticket("s1"))
    await db.tickets.create(new_ticket("s2"))
    assert [t.number for t in await db.tickets.cards_to_post(10)] == [1, 2]
    await db.tickets.card_queued(1)
    assert [t.number for t in await db.tickets.cards_to_post(10)] == [2]


async def test_the_users_tickets_are_counted_deleted_and_purged(db: Database) -> None:
    await db.tickets.create(new_ticket("s1", "u1"))
    await db.tickets.create(new_ticket("s2", "u1", created_at=T0 + timedelta(days=10)))
    await db.tickets.create(new_ticket("s3", "u2"))
    assert await db.tickets.count_for_user("u1") == 2
    assert await db.tickets.delete_for_user("u1") == [1, 2]
    assert await db.tickets.count_for_user("u1") == 0 and await db.tickets.get(3) is not None
    assert await db.tickets.purge_older_than(T0 + timedelta(seconds=1)) == 1
    assert await db.tickets.get(3) is None


async def test_an_answer_is_either_a_text_or_an_entry() -> None:
    with pytest.raises(ValueError, match="either"):
        TicketAnswer(text="x", entry_id="y")
    with pytest.raises(ValueError, match="either"):
        TicketAnswer()


@pytest.mark.parametrize("origin", list(Origin))
async def test_every_origin_is_stored(db: Database, origin: Origin) -> None:
    ticket, _ = await db.tickets.create(new_ticket(origin=origin))
    assert ticket.origin is origin


async def test_a_name_is_stored_only_as_given(db: Database) -> None:
    ticket, _ = await db.tickets.create(new_ticket(requester_name="Ann ' ; DROP TABLE tickets; --"))
    assert ticket.requester_name == "Ann ' ; DROP TABLE tickets; --"
    assert Ambassador("x", "y").name == "y"
