"""The question log and the knowledge-base proposals on the SQL database (`Database.questions`,
`Database.proposals`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from nwow.feedback.models import require_aware
from nwow.storage.sql import PURGE_STATEMENT_TIMEOUT, Executor, as_datetime
from nwow.tickets.proposals import NewProposal, Proposal, ProposalKind, ProposalStatus
from nwow.tickets.questions import MOVES, AskedQuestion, Outcome, QuestionRecord

__all__ = ["SqlProposalStore", "SqlQuestionLog"]

MAX_KEYS: Final = 400  # user keys per query (bound parameters stay far below either backend's limit)
_RECORD_COLUMNS: Final = (
    "ref, user_key, asked_at, lang, outcome, topic, entry_id, helpful, ticket, updated_at"
)


def _marks(start: int, count: int) -> str:
    return ", ".join(f"${start + i}" for i in range(count))


class SqlQuestionLog:
    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def record(self, question: AskedQuestion) -> bool:
        inserted = await self._executor.execute(
            "INSERT INTO question_log (ref, user_key, asked_at, lang, outcome, topic, entry_id, updated_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $3) ON CONFLICT (ref) DO NOTHING",
            question.ref,
            question.user_key,
            question.asked_at,
            question.lang,
            question.outcome.value,
            question.topic,
            question.entry_id,
        )
        return inserted == 1

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
        sources = sorted(MOVES.get(to, frozenset()))
        if not sources:
            return False
        # Only numbered placeholders are formatted in; every value is bound.
        changed = await self._executor.execute(
            "UPDATE question_log SET outcome = $3, updated_at = $4, ticket = COALESCE($5, ticket), "  # noqa: S608
            "entry_id = COALESCE($6, entry_id), topic = COALESCE($7, topic) "
            f"WHERE ref = $1 AND user_key = $2 AND outcome IN ({_marks(8, len(sources))})",
            ref,
            user_key,
            to.value,
            require_aware("now", now),
            ticket,
            entry_id,
            topic,
            *(source.value for source in sources),
        )
        return changed == 1

    async def move_ticket(self, ticket: int, to: Outcome, now: datetime) -> bool:
        sources = sorted(MOVES.get(to, frozenset()))
        changed = await self._executor.execute(
            "UPDATE question_log SET outcome = $2, updated_at = $3 "  # noqa: S608 (placeholders only)
            f"WHERE ticket = $1 AND outcome IN ({_marks(4, len(sources))})",
            ticket,
            to.value,
            require_aware("now", now),
            *(source.value for source in sources),
        )
        return changed > 0

    async def rate(self, ref: str, user_key: str, helpful: bool, now: datetime) -> bool:
        changed = await self._executor.execute(
            "UPDATE question_log SET helpful = $3 WHERE ref = $1 AND user_key = $2",
            ref,
            user_key,
            helpful,
        )
        require_aware("now", now)
        return changed == 1

    async def rate_ticket(self, ticket: int, helpful: bool, now: datetime) -> bool:
        changed = await self._executor.execute(
            "UPDATE question_log SET helpful = $2 WHERE ticket = $1", ticket, helpful
        )
        require_aware("now", now)
        return changed > 0

    async def between(self, since: datetime, until: datetime) -> list[QuestionRecord]:
        rows = await self._executor.fetch(
            f"SELECT {_RECORD_COLUMNS} FROM question_log "  # noqa: S608 (a constant column list)
            "WHERE asked_at >= $1 AND asked_at < $2 ORDER BY asked_at, ref",
            require_aware("since", since),
            require_aware("until", until),
        )
        return [
            QuestionRecord(
                ref=str(ref),
                user_key=str(user_key),
                asked_at=as_datetime(asked_at),
                lang=str(lang),
                outcome=Outcome(outcome),
                topic=str(topic),
                entry_id=str(entry_id),
                helpful=None if helpful is None else bool(helpful),
                ticket=None if ticket is None else int(ticket),
                updated_at=as_datetime(updated_at),
            )
            for ref, user_key, asked_at, lang, outcome, topic, entry_id, helpful, ticket, updated_at in rows
        ]

    async def units(self, user_keys: Sequence[str]) -> dict[str, str]:
        latest: dict[str, tuple[datetime, int, str]] = {}
        unique = sorted(set(user_keys))
        for start in range(0, len(unique), MAX_KEYS):
            chunk = unique[start : start + MAX_KEYS]
            marks = _marks(1, len(chunk))
            # A unit given in a ticket wins over one of a survey at the same moment (rank 1 over 0).
            rows = await self._executor.fetch(
                f"SELECT user_key, unit, created_at, 1 FROM tickets WHERE unit <> '' AND user_key IN ({marks}) "  # noqa: S608
                f"UNION ALL SELECT user_key, unit, submitted_at, 0 FROM surveys WHERE user_key IN ({marks})",
                *chunk,
            )
            for user_key, unit, at, rank in rows:
                seen = (as_datetime(at), int(rank), str(unit))
                if str(user_key) not in latest or seen > latest[str(user_key)]:
                    latest[str(user_key)] = seen
        return {user_key: unit for user_key, (_, _, unit) in latest.items()}

    async def count_for_user(self, user_key: str) -> int:
        rows = await self._executor.fetch("SELECT COUNT(*) FROM question_log WHERE user_key = $1", user_key)
        return int(rows[0][0])

    async def delete_for_user(self, user_key: str) -> int:
        return await self._executor.execute("DELETE FROM question_log WHERE user_key = $1", user_key)

    async def purge_older_than(self, cutoff: datetime) -> int:
        cutoff = require_aware("cutoff", cutoff)
        async with self._executor.transaction(statement_timeout=PURGE_STATEMENT_TIMEOUT) as tx:
            return await tx.execute("DELETE FROM question_log WHERE asked_at < $1", cutoff)


_PROPOSAL_COLUMNS: Final = (
    "p.id, p.kind, p.entry_id, p.lang, p.text, p.norm, p.topic, p.answer, p.links, p.ticket, p.status, "
    "p.created_at, p.updated_at, (SELECT COUNT(DISTINCT s.user_key) FROM proposal_sources s "
    "WHERE s.proposal_id = p.id)"
)


class SqlProposalStore:
    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def propose(self, proposal: NewProposal, source: str, user_key: str, now: datetime) -> bool:
        async with self._executor.transaction() as tx:
            await tx.execute(
                "INSERT INTO proposals (kind, entry_id, lang, text, norm, topic, answer, links, ticket, status, "
                "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $10) "
                "ON CONFLICT (kind, entry_id, lang, norm) DO NOTHING",
                proposal.kind.value,
                proposal.entry_id,
                proposal.lang,
                proposal.text,
                proposal.norm,
                proposal.topic,
                proposal.answer,
                json.dumps(list(proposal.links)),
                proposal.ticket,
                require_aware("now", now),
            )
            rows = await tx.fetch(
                "SELECT id FROM proposals WHERE kind = $1 AND entry_id = $2 AND lang = $3 AND norm = $4",
                proposal.kind.value,
                proposal.entry_id,
                proposal.lang,
                proposal.norm,
            )
            proposal_id = int(rows[0][0])
            added = await tx.execute(
                "INSERT INTO proposal_sources (proposal_id, source, user_key, added_at) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (proposal_id, source) DO NOTHING",
                proposal_id,
                source,
                user_key,
                now,
            )
            if added:
                await tx.execute("UPDATE proposals SET updated_at = $2 WHERE id = $1", proposal_id, now)
        return added == 1

    async def pending(self, limit: int = 1000) -> list[Proposal]:
        rows = await self._executor.fetch(
            f"SELECT {_PROPOSAL_COLUMNS} FROM proposals p WHERE p.status = 'pending' "  # noqa: S608
            "ORDER BY 14 DESC, p.updated_at DESC, p.id LIMIT $1",
            max(1, limit),
        )
        return [_proposal(row) for row in rows]

    async def get(self, ids: Sequence[int]) -> list[Proposal]:
        unique = sorted(set(ids))
        if not unique:
            return []
        rows = await self._executor.fetch(
            f"SELECT {_PROPOSAL_COLUMNS} FROM proposals p "  # noqa: S608 (only placeholders formatted in)
            f"WHERE p.id IN ({_marks(1, len(unique))}) ORDER BY p.id",
            *unique,
        )
        return [_proposal(row) for row in rows]

    async def settle(self, ids: Sequence[int], status: ProposalStatus, now: datetime) -> int:
        unique = sorted(set(ids))
        if not unique or status is ProposalStatus.PENDING:
            return 0
        return await self._executor.execute(
            "UPDATE proposals SET status = $1, updated_at = $2 "  # noqa: S608 (only placeholders formatted in)
            f"WHERE status = 'pending' AND id IN ({_marks(3, len(unique))})",
            status.value,
            require_aware("now", now),
            *unique,
        )

    async def count_for_user(self, user_key: str) -> int:
        rows = await self._executor.fetch(
            "SELECT COUNT(*) FROM proposal_sources WHERE user_key = $1", user_key
        )
        return int(rows[0][0])

    async def delete_for_user(self, user_key: str) -> int:
        async with self._executor.transaction() as tx:
            removed = await tx.execute("DELETE FROM proposal_sources WHERE user_key = $1", user_key)
            await tx.execute(
                "DELETE FROM proposals WHERE status = 'pending' "
                "AND NOT EXISTS (SELECT 1 FROM proposal_sources s WHERE s.proposal_id = proposals.id)"
            )
        return removed

    async def purge_older_than(self, cutoff: datetime) -> int:
        async with self._executor.transaction(statement_timeout=PURGE_STATEMENT_TIMEOUT) as tx:
            removed = await tx.execute(
                "DELETE FROM proposal_sources WHERE added_at < $1", require_aware("cutoff", cutoff)
            )
            removed += await tx.execute(
                "DELETE FROM proposals WHERE updated_at < $1 "
                "AND NOT EXISTS (SELECT 1 FROM proposal_sources s WHERE s.proposal_id = proposals.id)",
                cutoff,
            )
        return removed


def _proposal(row: tuple[object, ...]) -> Proposal:
    (
        proposal_id, kind, entry_id, lang, text, norm, topic, answer, links, ticket, status, created_at,
        updated_at, supporters,
    ) = row  # fmt: skip
    return Proposal(
        id=int(str(proposal_id)),
        kind=ProposalKind(str(kind)),
        entry_id=str(entry_id),
        lang=str(lang),
        text=str(text),
        norm=str(norm),
        topic=str(topic),
        answer=str(answer),
        links=tuple(json.loads(str(links))),
        ticket=None if ticket is None else int(str(ticket)),
        status=ProposalStatus(str(status)),
        supporters=int(str(supporters)),
        created_at=as_datetime(created_at),
        updated_at=as_datetime(updated_at),
    )
