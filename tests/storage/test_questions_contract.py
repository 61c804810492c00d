"""The question log and the knowledge-base proposals, on every backend."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from nwow.storage import Database
from nwow.tickets.proposals import NewProposal, ProposalKind, ProposalStatus
from nwow.tickets.questions import AskedQuestion, Outcome
from tests.storage.factories import T0


def asked(
    ref: str = "q1", user_key: str = "u1", outcome: Outcome = Outcome.SUGGESTED, **kw: object
) -> AskedQuestion:
    return AskedQuestion(ref=ref, user_key=user_key, asked_at=T0, lang="nl", outcome=outcome, **kw)  # type: ignore[arg-type]


async def test_a_question_is_recorded_once(db: Database) -> None:
    assert await db.questions.record(asked())
    assert not await db.questions.record(asked(outcome=Outcome.ANSWERED))
    [record] = await db.questions.between(T0, T0 + timedelta(seconds=1))
    assert record.outcome is Outcome.SUGGESTED and record.helpful is None and record.ticket is None


async def test_a_question_moves_only_the_way_it_can_and_only_for_its_user(db: Database) -> None:
    await db.questions.record(asked("q1", topic="teams"))
    later = T0 + timedelta(minutes=3)
    assert not await db.questions.move("q1", "someone-else", Outcome.RESOLVED, later)
    assert not await db.questions.move("q1", "u1", Outcome.AMBASSADOR_ANSWERED, later)
    assert await db.questions.move("q1", "u1", Outcome.RESOLVED, later, entry_id="teams-install")
    assert not await db.questions.move("q1", "u1", Outcome.RESOLVED, later)
    assert await db.questions.move("q1", "u1", Outcome.ESCALATED, later, ticket=7)
    assert await db.questions.move_ticket(7, Outcome.AMBASSADOR_ANSWERED, later)
    assert await db.questions.rate_ticket(7, False, later)
    [record] = await db.questions.between(T0, later)
    assert (record.outcome, record.ticket, record.entry_id, record.topic) == (
        Outcome.AMBASSADOR_ANSWERED,
        7,
        "teams-install",
        "teams",
    )
    assert record.helpful is False and record.updated_at == later


async def test_votes_and_the_users_records_are_counted_deleted_and_purged(db: Database) -> None:
    await db.questions.record(asked("q1", outcome=Outcome.ANSWERED))
    await db.questions.record(asked("q2", "u2", outcome=Outcome.UNANSWERED))
    assert await db.questions.rate("q1", "u1", True, T0)
    assert not await db.questions.rate("q1", "u2", True, T0)
    assert await db.questions.count_for_user("u1") == 1
    assert await db.questions.delete_for_user("u1") == 1
    assert await db.questions.purge_older_than(T0 + timedelta(seconds=1)) == 1
    assert await db.questions.between(T0, T0 + timedelta(days=1)) == []


def variant(text: str = "hoe zet ik teams op mijn gsm", entry: str = "teams-mobile-install") -> NewProposal:
    return NewProposal(ProposalKind.VARIANT, entry, "nl", text, text, topic="teams")


async def test_a_proposal_counts_distinct_supporters_and_each_source_once(db: Database) -> None:
    assert await db.proposals.propose(variant(), "s1", "u1", T0)
    assert not await db.proposals.propose(variant(), "s1", "u1", T0)
    assert await db.proposals.propose(variant(), "s2", "u1", T0)  # the same user again: one supporter
    assert await db.proposals.propose(variant(), "s3", "u2", T0)
    await db.proposals.propose(variant("andere vraag"), "s4", "u3", T0)
    draft = NewProposal(
        ProposalKind.DRAFT,
        "",
        "nl",
        "parking",
        "parking",
        answer="Aan de **poort**.",
        links=("wikipol",),
        ticket=4,
    )
    await db.proposals.propose(draft, "t4", "u4", T0)
    pending = await db.proposals.pending()
    assert (pending[0].text, pending[0].supporters) == ("hoe zet ik teams op mijn gsm", 2)
    [stored_draft] = [p for p in pending if p.kind is ProposalKind.DRAFT]
    assert (
        stored_draft.links == ("wikipol",)
        and stored_draft.ticket == 4
        and stored_draft.answer == "Aan de **poort**."
    )


async def test_many_sources_at_once_make_one_proposal(db: Database) -> None:
    await asyncio.gather(*(db.proposals.propose(variant(), f"s{n}", f"u{n}", T0) for n in range(12)))
    [proposal] = await db.proposals.pending()
    assert proposal.supporters == 12


async def test_exported_and_rejected_proposals_leave_the_list_and_stay_off_it(db: Database) -> None:
    await db.proposals.propose(variant("a"), "s1", "u1", T0)
    await db.proposals.propose(variant("b"), "s2", "u1", T0)
    first, second = sorted(await db.proposals.pending(), key=lambda p: p.text)
    assert await db.proposals.settle([first.id], ProposalStatus.EXPORTED, T0) == 1
    assert await db.proposals.settle([first.id, second.id], ProposalStatus.REJECTED, T0) == 1
    assert await db.proposals.pending() == []
    await db.proposals.propose(variant("a"), "s9", "u9", T0)
    assert await db.proposals.pending() == []
    [exported] = await db.proposals.get([first.id])
    assert exported.status is ProposalStatus.EXPORTED and exported.supporters == 2


async def test_deleting_a_users_data_removes_their_support_and_what_only_they_proposed(db: Database) -> None:
    await db.proposals.propose(variant("a"), "s1", "u1", T0)
    await db.proposals.propose(variant("b"), "s2", "u1", T0)
    await db.proposals.propose(variant("b"), "s3", "u2", T0)
    assert await db.proposals.count_for_user("u1") == 2
    assert await db.proposals.delete_for_user("u1") == 2
    [left] = await db.proposals.pending()
    assert left.text == "b" and left.supporters == 1
    assert await db.proposals.purge_older_than(T0 + timedelta(days=1)) >= 1
    assert await db.proposals.pending() == []
