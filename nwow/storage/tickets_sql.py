"""Tickets on the SQL database (`Database.tickets`): the same statements on SQLite and PostgreSQL.

Each change is one `UPDATE ... WHERE <the state it needs> RETURNING`: atomic on both backends, so of two
ambassadors taking a ticket at the same moment (on two replicas) exactly one changes the row and the other
reads who has it. A submission id stored beside an answer or a reopening makes a retried submit a no-op.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Final

from nwow.feedback.models import require_aware
from nwow.storage.sql import PURGE_STATEMENT_TIMEOUT, Executor, Row, as_datetime
from nwow.tickets.model import Ambassador, NewTicket, Origin, Ticket, TicketAnswer, TicketStatus
from nwow.tickets.store import Act, Acted

__all__ = ["SqlTicketStore"]

COLUMNS: Final = (
    "number, submission_id, user_key, question, context, lang, origin, topic, entry_id, unit, "
    "requester_name, question_ref, channel, candidates, created_at, status, version, claimed_by_id, "
    "claimed_by_name, claimed_at, answer_text, answer_links, answer_entry, answered_by_id, answered_by_name, "
    "answered_at, first_answered_at, remind_at, reminded_at, reopened, reopen_note, helpful, "
    "card_queued, answer_submission, reopen_submission"
)
_SELECT: Final = "SELECT " + COLUMNS + " FROM tickets"  # noqa: S608 (a constant column list)
_RETURNING: Final = " RETURNING " + COLUMNS


def _returning(sql: str) -> str:
    """`sql` returning the changed rows' columns (a constant list: nothing of a caller is formatted in)."""
    return sql + _RETURNING


_CLAIM_REMINDERS_POSTGRESQL: Final = (
    "UPDATE tickets SET reminded_at = $1 WHERE number IN (SELECT number FROM tickets "
    "WHERE status = 'open' AND remind_at <= $1 AND reminded_at IS NULL ORDER BY remind_at, number "
    "LIMIT $2 FOR UPDATE SKIP LOCKED)"
)
# SQLite runs one writing statement at a time on the whole file: the sub-select cannot race.
_CLAIM_REMINDERS_SQLITE: Final = (
    "UPDATE tickets SET reminded_at = $1 WHERE number IN (SELECT number FROM tickets "
    "WHERE status = 'open' AND remind_at <= $1 AND reminded_at IS NULL ORDER BY remind_at, number "
    "LIMIT $2)"
)


def _opt_time(value: object) -> datetime | None:
    return None if value is None else as_datetime(value)


def _ambassador(identity: object, name: object) -> Ambassador | None:
    return None if identity is None else Ambassador(str(identity), str(name or ""))


def ticket_from_row(row: Row) -> Ticket:
    (
        number, submission_id, user_key, question, context, lang, origin, topic, entry_id, unit,
        requester_name, question_ref, channel, candidates, created_at, status, version, claimed_by_id,
        claimed_by_name, claimed_at, answer_text, answer_links, answer_entry, answered_by_id,
        answered_by_name, answered_at, first_answered_at, remind_at, reminded_at, reopened, reopen_note,
        helpful, card_queued, _answer_submission, _reopen_submission,
    ) = row  # fmt: skip
    answer = None
    if answer_text or answer_entry:
        answer = TicketAnswer(
            text=str(answer_text or ""),
            links=tuple(json.loads(answer_links or "[]")),
            entry_id=str(answer_entry or ""),
        )
    return Ticket(
        number=int(number),
        submission_id=str(submission_id),
        user_key=str(user_key),
        question=str(question),
        context=str(context),
        lang=lang,
        origin=Origin(origin),
        topic=str(topic),
        entry_id=str(entry_id),
        unit=str(unit),
        requester_name=None if requester_name is None else str(requester_name),
        question_ref=str(question_ref),
        channel=str(channel),
        candidates=tuple(json.loads(candidates)),
        created_at=as_datetime(created_at),
        status=TicketStatus(status),
        version=int(version),
        claimed_by=_ambassador(claimed_by_id, claimed_by_name),
        claimed_at=_opt_time(claimed_at),
        answer=answer,
        answered_by=_ambassador(answered_by_id, answered_by_name),
        answered_at=_opt_time(answered_at),
        first_answered_at=_opt_time(first_answered_at),
        remind_at=_opt_time(remind_at),
        reminded_at=_opt_time(reminded_at),
        reopened=int(reopened),
        reopen_note=str(reopen_note),
        helpful=None if helpful is None else bool(helpful),
        card_queued=bool(card_queued),
    )


class SqlTicketStore:
    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def _one(self, sql: str, *args: object) -> Ticket | None:
        rows = await self._executor.fetch(sql, *args)
        return ticket_from_row(rows[0]) if rows else None

    async def _many(self, sql: str, *args: object) -> list[Ticket]:
        return [ticket_from_row(row) for row in await self._executor.fetch(sql, *args)]

    async def create(self, new: NewTicket) -> tuple[Ticket, bool]:
        created = await self._one(
            _returning(
                "INSERT INTO tickets (submission_id, user_key, question, context, lang, origin, topic, entry_id, "
                "unit, requester_name, question_ref, channel, candidates, created_at, status, version, remind_at, "
                "reopened, reopen_note, card_queued) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                "$13, $14, 'open', 1, $15, 0, '', $16) ON CONFLICT (submission_id) DO NOTHING "
            ),
            new.submission_id,
            new.user_key,
            new.question,
            new.context,
            new.lang,
            new.origin.value,
            new.topic,
            new.entry_id,
            new.unit,
            new.requester_name,
            new.question_ref,
            new.channel,
            json.dumps(list(new.candidates)),
            new.created_at,
            new.remind_at,
            False,
        )
        if created is not None:
            return created, True
        existing = await self._one(_SELECT + " WHERE submission_id = $1", new.submission_id)
        if existing is None:  # deleted between the two statements (the user deleted their data)
            raise LookupError("the ticket of this submission was deleted meanwhile")
        return existing, False

    async def get(self, number: int) -> Ticket | None:
        return await self._one(_SELECT + " WHERE number = $1", number)

    async def claim(self, number: int, by: Ambassador, now: datetime) -> Acted:
        changed = await self._one(
            _returning(
                "UPDATE tickets SET status = 'claimed', claimed_by_id = $2, claimed_by_name = $3, "
                "claimed_at = $4, version = version + 1 WHERE number = $1 AND status = 'open' "
            ),
            number,
            by.id,
            by.name,
            require_aware("now", now),
        )
        if changed is not None:
            return Acted(Act.DONE, changed)
        return await self._why_not(number, by)

    async def release(self, number: int, by: Ambassador, now: datetime) -> Acted:
        changed = await self._one(
            _returning(
                "UPDATE tickets SET status = 'open', claimed_by_id = NULL, claimed_by_name = NULL, "
                "claimed_at = NULL, version = version + 1 WHERE number = $1 AND status = 'claimed' "
                "AND claimed_by_id = $2"
            ),
            number,
            by.id,
        )
        if changed is not None:
            return Acted(Act.DONE, changed)
        ticket = await self.get(number)
        if ticket is None:
            return Acted(Act.MISSING, None)
        if ticket.status is TicketStatus.ANSWERED:
            return Acted(Act.ANSWERED, ticket)
        if ticket.status is TicketStatus.OPEN:
            return Acted(Act.REPEATED, ticket)
        return Acted(Act.NOT_YOURS, ticket)

    async def answer(
        self, number: int, by: Ambassador, answer: TicketAnswer, submission_id: str, now: datetime
    ) -> Acted:
        changed = await self._one(
            _returning(
                "UPDATE tickets SET status = 'answered', answer_text = $3, answer_links = $4, answer_entry = $5, "
                "answer_submission = $6, answered_by_id = $2, answered_by_name = $7, answered_at = $8, "
                "first_answered_at = COALESCE(first_answered_at, $8), "
                "claimed_by_id = COALESCE(claimed_by_id, $2), claimed_by_name = COALESCE(claimed_by_name, $7), "
                "claimed_at = COALESCE(claimed_at, $8), helpful = NULL, version = version + 1 "
                "WHERE number = $1 AND (status = 'open' OR (status = 'claimed' AND claimed_by_id = $2)) "
                "AND (answer_submission IS NULL OR answer_submission <> $6) "
            ),
            number,
            by.id,
            answer.text,
            json.dumps(list(answer.links)),
            answer.entry_id,
            submission_id,
            by.name,
            require_aware("now", now),
        )
        if changed is not None:
            return Acted(Act.DONE, changed)
        rows = await self._executor.fetch(
            _SELECT + " WHERE number = $1",
            number,
        )
        if not rows:
            return Acted(Act.MISSING, None)
        ticket = ticket_from_row(rows[0])
        if rows[0][-2] == submission_id:
            return Acted(Act.REPEATED, ticket)
        if ticket.status is TicketStatus.ANSWERED:
            return Acted(Act.ANSWERED, ticket)
        return Acted(Act.TAKEN, ticket)

    async def reopen(
        self,
        number: int,
        user_key: str,
        note: str,
        submission_id: str,
        now: datetime,
        remind_at: datetime | None,
    ) -> Acted:
        changed = await self._one(
            _returning(
                "UPDATE tickets SET status = 'open', reopened = reopened + 1, reopen_note = $3, "
                "reopen_submission = $4, claimed_by_id = NULL, claimed_by_name = NULL, claimed_at = NULL, "
                "remind_at = $5, reminded_at = NULL, version = version + 1 "
                "WHERE number = $1 AND user_key = $2 AND status = 'answered' "
            ),
            number,
            user_key,
            note,
            submission_id,
            remind_at,
        )
        require_aware("now", now)
        if changed is not None:
            return Acted(Act.DONE, changed)
        found = await self._users(number, user_key)
        if found is None:
            return Acted(Act.MISSING, None)
        ticket, row = found
        return Acted(Act.REPEATED if row[-1] == submission_id else Act.NOT_ANSWERED, ticket)

    async def rate(self, number: int, user_key: str, helpful: bool, now: datetime) -> Acted:
        changed = await self._one(
            _returning(
                "UPDATE tickets SET helpful = $3, rated_at = $4, version = version + 1 "
                "WHERE number = $1 AND user_key = $2 AND status = 'answered' "
                "AND (helpful IS NULL OR helpful <> $3) "
            ),
            number,
            user_key,
            helpful,
            require_aware("now", now),
        )
        if changed is not None:
            return Acted(Act.DONE, changed)
        found = await self._users(number, user_key)
        if found is None:
            return Acted(Act.MISSING, None)
        ticket, _row = found
        return Acted(Act.REPEATED if ticket.status is TicketStatus.ANSWERED else Act.NOT_ANSWERED, ticket)

    async def _users(self, number: int, user_key: str) -> tuple[Ticket, Row] | None:
        """The user's ticket `number` and its row (None when it is not theirs, or gone)."""
        rows = await self._executor.fetch(_SELECT + " WHERE number = $1 AND user_key = $2", number, user_key)
        return (ticket_from_row(rows[0]), rows[0]) if rows else None

    async def _why_not(self, number: int, by: Ambassador) -> Acted:
        ticket = await self.get(number)
        if ticket is None:
            return Acted(Act.MISSING, None)
        if ticket.status is TicketStatus.ANSWERED:
            return Acted(Act.ANSWERED, ticket)
        if ticket.claimed_by is not None and ticket.claimed_by.id == by.id:
            return Acted(Act.REPEATED, ticket)
        if ticket.status is TicketStatus.CLAIMED:
            return Acted(Act.TAKEN, ticket)
        return Acted(Act.REPEATED, ticket)  # open again already (given back meanwhile): nothing to report

    async def for_user(self, user_key: str, limit: int) -> list[Ticket]:
        return await self._many(
            _SELECT + " WHERE user_key = $1 ORDER BY number DESC LIMIT $2", user_key, max(1, limit)
        )

    async def waiting(self, limit: int) -> list[Ticket]:
        return await self._many(
            _SELECT + " WHERE status IN ('open', 'claimed') ORDER BY created_at DESC, number DESC LIMIT $1",
            max(1, limit),
        )

    async def count_waiting(self) -> int:
        rows = await self._executor.fetch("SELECT COUNT(*) FROM tickets WHERE status IN ('open', 'claimed')")
        return int(rows[0][0])

    async def created_between(self, since: datetime, until: datetime) -> list[Ticket]:
        return await self._many(
            _SELECT + " WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, number",
            require_aware("since", since),
            require_aware("until", until),
        )

    async def answered_between(self, since: datetime, until: datetime) -> list[Ticket]:
        return await self._many(
            _SELECT + " WHERE first_answered_at >= $1 AND first_answered_at < $2 "
            "ORDER BY first_answered_at, number",
            require_aware("since", since),
            require_aware("until", until),
        )

    async def claim_reminders(self, now: datetime, limit: int) -> list[Ticket]:
        sql = _CLAIM_REMINDERS_SQLITE if self._executor.backend == "sqlite" else _CLAIM_REMINDERS_POSTGRESQL
        sql = _returning(sql)
        claimed = await self._many(sql, require_aware("now", now), max(1, limit))
        return sorted(claimed, key=lambda t: t.number)

    async def cards_to_post(self, limit: int) -> list[Ticket]:
        return await self._many(
            _SELECT + " WHERE card_queued = $1 AND status IN ('open', 'claimed') ORDER BY number LIMIT $2",
            False,
            max(1, limit),
        )

    async def card_queued(self, number: int) -> None:
        await self._executor.execute("UPDATE tickets SET card_queued = $2 WHERE number = $1", number, True)

    async def count_for_user(self, user_key: str) -> int:
        rows = await self._executor.fetch("SELECT COUNT(*) FROM tickets WHERE user_key = $1", user_key)
        return int(rows[0][0])

    async def delete_for_user(self, user_key: str) -> list[int]:
        rows = await self._executor.fetch(
            "DELETE FROM tickets WHERE user_key = $1 RETURNING number", user_key
        )
        return sorted(int(row[0]) for row in rows)

    async def purge_older_than(self, cutoff: datetime) -> int:
        cutoff = require_aware("cutoff", cutoff)
        async with self._executor.transaction(statement_timeout=PURGE_STATEMENT_TIMEOUT) as tx:
            return await tx.execute("DELETE FROM tickets WHERE created_at < $1", cutoff)
