"""`FeedbackStore` on the SQL database: the same statements run on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime

from nwow.feedback.models import SurveyResponse, UnansweredQuestion, UserData, Vote, require_aware
from nwow.feedback.store import KIND_SURVEY, KIND_UNANSWERED, KIND_VOTE, Recorded
from nwow.storage.sql import Executor, Tx, as_datetime

logger = logging.getLogger(__name__)

PURGE_STATEMENT_TIMEOUT = 120.0


class SqlFeedbackStore:
    """`FeedbackStore` on the shared SQL executor; the same statements run on SQLite and PostgreSQL."""

    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def _claim(self, tx: Tx, kind: str, submission_id: str) -> bool:
        inserted = await tx.execute(
            "INSERT INTO submissions (kind, submission_id, received_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (kind, submission_id) DO NOTHING",
            kind,
            submission_id,
            datetime.now(UTC),
        )
        return inserted == 1

    async def record_survey(self, r: SurveyResponse) -> Recorded:
        # The ledger row claims both the submission and (as a digest, no identity) the user's card
        # instance; its two unique keys make a retry and a second click of the same card lose the insert,
        # also when they run at the same time on another connection or replica.
        card = _card_key(r.user_key, r.card_id) if r.card_id else None
        async with self._executor.transaction() as tx:
            claimed = await tx.execute(
                "INSERT INTO submissions (kind, submission_id, received_at, card_key) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                KIND_SURVEY,
                r.submission_id,
                datetime.now(UTC),
                card,
            )
            if claimed != 1:
                seen = await tx.fetch(
                    "SELECT 1 FROM submissions WHERE kind = $1 AND submission_id = $2",
                    KIND_SURVEY,
                    r.submission_id,
                )
                outcome = Recorded.REPEATED if seen else Recorded.DUPLICATE
                logger.info("survey not stored again: %s", outcome.value)
                return outcome
            await tx.execute(
                "INSERT INTO surveys (submission_id, user_key, tool, rating, works, obstacles, unit, "
                "contact_ok, contact_id, lang, submitted_at, card_id) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                r.submission_id,
                r.user_key,
                r.tool,
                r.rating,
                r.works,
                r.obstacles,
                r.unit,
                r.contact_ok,
                r.contact_id if r.contact_ok else None,
                r.lang,
                r.submitted_at,
                r.card_id,
            )
        return Recorded.STORED

    async def record_vote(self, v: Vote) -> bool:
        async with self._executor.transaction() as tx:
            if not await self._claim(tx, KIND_VOTE, v.submission_id):
                logger.info("vote submission already stored; ignoring the retry")
                return False
            # One vote per user and entry; one that arrives late (older than the stored one) does not
            # replace the newer one.
            await tx.execute(
                "INSERT INTO votes (submission_id, user_key, entry_id, answer_id, helpful, lang, voted_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7) "
                "ON CONFLICT (user_key, entry_id) DO UPDATE SET submission_id = excluded.submission_id, "
                "answer_id = excluded.answer_id, helpful = excluded.helpful, lang = excluded.lang, "
                "voted_at = excluded.voted_at WHERE excluded.voted_at >= votes.voted_at",
                v.submission_id,
                v.user_key,
                v.entry_id,
                v.answer_id,
                v.helpful,
                v.lang,
                v.voted_at,
            )
        return True

    async def record_unanswered(self, q: UnansweredQuestion) -> bool:
        candidates = json.dumps([[entry, float(score)] for entry, score in q.candidates])
        async with self._executor.transaction() as tx:
            if not await self._claim(tx, KIND_UNANSWERED, q.submission_id):
                logger.info("unanswered-question submission already stored; ignoring the retry")
                return False
            await tx.execute(
                "INSERT INTO unanswered (submission_id, text, lang, asked_at, candidates) "
                "VALUES ($1, $2, $3, $4, $5)",
                q.submission_id,
                q.text,
                q.lang,
                q.asked_at,
                candidates,
            )
        return True

    async def user_data(self, user_key: str) -> UserData:
        async with self._executor.transaction(write=False) as tx:
            surveys = await tx.fetch("SELECT COUNT(*) FROM surveys WHERE user_key = $1", user_key)
            votes = await tx.fetch("SELECT COUNT(*) FROM votes WHERE user_key = $1", user_key)
            prefs = await tx.fetch(
                "SELECT name, value FROM preferences WHERE user_key = $1 ORDER BY name", user_key
            )
        return UserData(
            user_key=user_key,
            surveys=int(surveys[0][0]),
            votes=int(votes[0][0]),
            remembered={str(name): str(value) for name, value in prefs},
        )

    async def delete_user_data(self, user_key: str) -> int:
        async with self._executor.transaction() as tx:
            removed = await tx.execute("DELETE FROM surveys WHERE user_key = $1", user_key)
            removed += await tx.execute("DELETE FROM votes WHERE user_key = $1", user_key)
            removed += await tx.execute("DELETE FROM preferences WHERE user_key = $1", user_key)
        logger.info("deleted a user's data on request: %d rows", removed)
        return removed

    async def purge_older_than(self, cutoff: datetime) -> int:
        cutoff = require_aware("cutoff", cutoff)
        # Off the turn path (a daily task, a command): a first purge of a large backlog may take a while.
        async with self._executor.transaction(statement_timeout=PURGE_STATEMENT_TIMEOUT) as tx:
            removed = await tx.execute("DELETE FROM surveys WHERE submitted_at < $1", cutoff)
            removed += await tx.execute("DELETE FROM votes WHERE voted_at < $1", cutoff)
            removed += await tx.execute("DELETE FROM unanswered WHERE asked_at < $1", cutoff)
            removed += await tx.execute("DELETE FROM preferences WHERE updated_at < $1", cutoff)
            # The retry ledger holds no user data; trimming it is housekeeping, not counted.
            await tx.execute("DELETE FROM submissions WHERE received_at < $1", cutoff)
        logger.info("purged %d feedback rows older than %s", removed, cutoff.isoformat())
        return removed

    async def surveys_between(self, since: datetime, until: datetime) -> list[SurveyResponse]:
        async with self._executor.transaction(write=False) as tx:
            rows = await tx.fetch(
                "SELECT submission_id, user_key, tool, rating, works, obstacles, unit, contact_ok, "
                "contact_id, lang, submitted_at, card_id FROM surveys WHERE submitted_at >= $1 AND submitted_at < $2 "
                "ORDER BY submitted_at, submission_id",
                require_aware("since", since),
                require_aware("until", until),
            )
        return [
            SurveyResponse(
                submission_id=str(sid),
                user_key=str(user_key),
                tool=str(tool),
                rating=int(rating),
                works=str(works),
                obstacles=str(obstacles),
                unit=str(unit),
                contact_ok=bool(contact_ok),
                contact_id=None if contact_id is None else str(contact_id),
                lang=str(lang),
                submitted_at=as_datetime(at),
                card_id=str(card_id),
            )
            for (
                sid,
                user_key,
                tool,
                rating,
                works,
                obstacles,
                unit,
                contact_ok,
                contact_id,
                lang,
                at,
                card_id,
            ) in rows
        ]

    async def votes_between(self, since: datetime, until: datetime) -> list[Vote]:
        async with self._executor.transaction(write=False) as tx:
            rows = await tx.fetch(
                "SELECT submission_id, user_key, entry_id, answer_id, helpful, lang, voted_at FROM votes "
                "WHERE voted_at >= $1 AND voted_at < $2 "
                "ORDER BY voted_at, submission_id",
                require_aware("since", since),
                require_aware("until", until),
            )
        return [
            Vote(
                submission_id=str(sid),
                user_key=str(user_key),
                entry_id=str(entry_id),
                answer_id=str(answer_id),
                helpful=bool(helpful),
                lang=str(lang),
                voted_at=as_datetime(at),
            )
            for sid, user_key, entry_id, answer_id, helpful, lang, at in rows
        ]

    async def unanswered_between(self, since: datetime, until: datetime) -> list[UnansweredQuestion]:
        async with self._executor.transaction(write=False) as tx:
            rows = await tx.fetch(
                "SELECT submission_id, text, lang, asked_at, candidates FROM unanswered "
                "WHERE asked_at >= $1 AND asked_at < $2 ORDER BY asked_at, submission_id",
                require_aware("since", since),
                require_aware("until", until),
            )
        return [
            UnansweredQuestion(
                submission_id=str(sid),
                text=str(text),
                lang=str(lang),
                asked_at=as_datetime(at),
                candidates=tuple((str(entry), float(score)) for entry, score in json.loads(candidates)),
            )
            for sid, text, lang, at, candidates in rows
        ]

    async def remember(self, user_key: str, name: str, value: str) -> None:
        async with self._executor.transaction() as tx:
            await tx.execute(
                "INSERT INTO preferences (user_key, name, value, updated_at) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (user_key, name) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                user_key,
                name,
                value,
                datetime.now(UTC),
            )

    async def forget(self, user_key: str, name: str) -> bool:
        async with self._executor.transaction() as tx:
            removed = await tx.execute(
                "DELETE FROM preferences WHERE user_key = $1 AND name = $2", user_key, name
            )
        return removed > 0

    async def recall(self, user_key: str, name: str) -> str | None:
        async with self._executor.transaction(write=False) as tx:
            rows = await tx.fetch(
                "SELECT value FROM preferences WHERE user_key = $1 AND name = $2", user_key, name
            )
        return str(rows[0][0]) if rows else None


def _card_key(user_key: str, card_id: str) -> str:
    """The ledger's name for one user's card instance: a digest, so the ledger holds no user identity."""
    return hashlib.sha256(f"{user_key}\n{card_id}".encode()).hexdigest()
