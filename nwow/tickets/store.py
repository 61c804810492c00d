"""The ticket, question-log and proposal store interfaces. Implementations on SQLite and PostgreSQL:
`nwow.storage.tickets_sql` (`Database.tickets`, `Database.questions`, `Database.proposals`), checked by one
contract suite (tests/storage/test_tickets_contract.py).

Every change is one statement or one transaction, atomic on both backends, so several replicas can act on
one ticket at once: two ambassadors taking it -> one wins and the other learns who; a retried submit (same
submission id) changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from nwow.tickets.model import Ambassador, NewTicket, Ticket, TicketAnswer
from nwow.tickets.proposals import NewProposal, Proposal, ProposalStatus
from nwow.tickets.questions import AskedQuestion, Outcome, QuestionRecord

__all__ = ["Act", "Acted", "ProposalStore", "QuestionLog", "TicketStore"]


class Act(StrEnum):
    """How an action on a ticket went."""

    DONE = "done"  # changed now
    REPEATED = "repeated"  # this very submission was applied before (a retry, a double click)
    TAKEN = "taken"  # another ambassador has it
    ANSWERED = "answered"  # it is answered: nothing to take or give back
    NOT_ANSWERED = "not_answered"  # the user cannot rate or reopen what was not answered yet
    NOT_YOURS = "not_yours"  # not this ambassador's (give back) or not this user's ticket
    MISSING = "missing"  # no such ticket (deleted on the user's request, or purged)


@dataclass(frozen=True)
class Acted:
    act: Act
    ticket: Ticket | None  # the ticket as it is after the action (None when missing)

    @property
    def changed(self) -> bool:
        return self.act is Act.DONE


class TicketStore(Protocol):
    async def create(self, new: NewTicket) -> tuple[Ticket, bool]:
        """Open a ticket; (the ticket, True) when created now, (the ticket made by an earlier delivery of
        the same submission, False) for a retry."""
        ...

    async def get(self, number: int) -> Ticket | None: ...

    async def claim(self, number: int, by: Ambassador, now: datetime) -> Acted:
        """Take an open ticket. DONE for exactly one of several ambassadors at once; TAKEN (with the ticket,
        which names the one who has it) for the others; REPEATED when `by` has it already."""
        ...

    async def release(self, number: int, by: Ambassador, now: datetime) -> Acted:
        """Give a taken ticket back (open again, reminders as before)."""
        ...

    async def answer(
        self, number: int, by: Ambassador, answer: TicketAnswer, submission_id: str, now: datetime
    ) -> Acted:
        """Answer a ticket that is open (taking it at once) or taken by `by`. REPEATED for the same
        submission again; TAKEN when another ambassador has it; ANSWERED when it was answered meanwhile."""
        ...

    async def reopen(
        self,
        number: int,
        user_key: str,
        note: str,
        submission_id: str,
        now: datetime,
        remind_at: datetime | None,
    ) -> Acted:
        """The user says an answered ticket is still not solved: open again, with their note, nobody's."""
        ...

    async def rate(self, number: int, user_key: str, helpful: bool, now: datetime) -> Acted:
        """👍/👎 of the user on the answer (a later one replaces an earlier one)."""
        ...

    async def for_user(self, user_key: str, limit: int) -> list[Ticket]:
        """The user's tickets, newest first."""
        ...

    async def waiting(self, limit: int) -> list[Ticket]:
        """Open and taken tickets, newest first."""
        ...

    async def count_waiting(self) -> int: ...

    async def created_between(self, since: datetime, until: datetime) -> list[Ticket]:
        """Tickets opened in [since, until), oldest first."""
        ...

    async def answered_between(self, since: datetime, until: datetime) -> list[Ticket]:
        """Tickets first answered in [since, until), oldest first."""
        ...

    async def claim_reminders(self, now: datetime, limit: int) -> list[Ticket]:
        """Open tickets whose reminder is due and was not sent yet, now marked as reminded: each one is
        returned to exactly one caller, across replicas."""
        ...

    async def cards_to_post(self, limit: int) -> list[Ticket]:
        """Waiting tickets whose card for the ambassadors was never queued (no team was known yet)."""
        ...

    async def card_queued(self, number: int) -> None:
        """The ticket's card is in the outbox."""
        ...

    async def count_for_user(self, user_key: str) -> int: ...

    async def delete_for_user(self, user_key: str) -> list[int]:
        """Delete the user's tickets; their numbers (their cards are updated to say so)."""
        ...

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Delete tickets opened before `cutoff` (retention); the number deleted."""
        ...


class QuestionLog(Protocol):
    async def record(self, question: AskedQuestion) -> bool:
        """Keep a question's first outcome; False when its reference is already recorded (a retry)."""
        ...

    async def move(
        self,
        ref: str,
        user_key: str,
        to: Outcome,
        now: datetime,
        *,
        ticket: int | None = None,
        entry_id: str | None = None,
        topic: str | None = None,
    ) -> bool:
        """Move the user's record `ref` to `to` when `MOVES` allows it from where it is; True if moved."""
        ...

    async def move_ticket(self, ticket: int, to: Outcome, now: datetime) -> bool:
        """Move the record of the question that opened `ticket` (answered, reopened)."""
        ...

    async def rate(self, ref: str, user_key: str, helpful: bool, now: datetime) -> bool:
        """👍/👎 on the answer the question got; True if the record exists."""
        ...

    async def rate_ticket(self, ticket: int, helpful: bool, now: datetime) -> bool: ...

    async def between(self, since: datetime, until: datetime) -> list[QuestionRecord]:
        """Questions asked in [since, until), oldest first."""
        ...

    async def units(self, user_keys: Sequence[str]) -> dict[str, str]:
        """The unit each of these users gave last (in a ticket, else in a feedback survey), for those who
        gave one."""
        ...

    async def count_for_user(self, user_key: str) -> int: ...

    async def delete_for_user(self, user_key: str) -> int: ...

    async def purge_older_than(self, cutoff: datetime) -> int: ...


class ProposalStore(Protocol):
    async def propose(self, proposal: NewProposal, source: str, user_key: str, now: datetime) -> bool:
        """Add `source` (a submission) by `user_key` to the proposal, creating it if needed; False when
        this source was counted before. A proposal already exported or rejected counts the new support but
        stays off the list (an ambassador decided on it)."""
        ...

    async def pending(self, limit: int = 1000) -> list[Proposal]:
        """Pending proposals, most supported first."""
        ...

    async def get(self, ids: Sequence[int]) -> list[Proposal]: ...

    async def settle(self, ids: Sequence[int], status: ProposalStatus, now: datetime) -> int:
        """Mark pending proposals exported or rejected (they leave the list); the number changed."""
        ...

    async def count_for_user(self, user_key: str) -> int: ...

    async def delete_for_user(self, user_key: str) -> int:
        """Forget the user's support; pending proposals nobody else supports go too."""
        ...

    async def purge_older_than(self, cutoff: datetime) -> int: ...
