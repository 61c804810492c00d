"""Pulses on the SQL database (`Database.pulses`): the same statements on SQLite and PostgreSQL.

An answer is one `INSERT ... ON CONFLICT DO NOTHING` on (pulse, user): of two submits at once (a double
click, two replicas) exactly one is stored; the submission id kept with it tells a retried turn (thanked
again) from a second answer (told it was counted already). A pulse's delivery is read from the outbox,
joined on the key of each recipient's card.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Final

from nwow.outbox import Delivery
from nwow.pulses.codec import pulse_from_json, pulse_to_json
from nwow.pulses.model import PulseAnswer, Recipient, StartedPulse, card_key
from nwow.pulses.store import UNIT_PREFERENCE, AnswerRecorded, DeliveryRow, PulseUserData
from nwow.storage.sql import PURGE_STATEMENT_TIMEOUT, Executor, Row, as_datetime

__all__ = ["SqlPulseStore"]

# Rows inserted by one statement (4 bound values each: far below either backend's limit).
_CHUNK: Final = 500
_PULSE_COLUMNS: Final = "definition, started_at, closes_at, closed_at, started_by"
_ANSWER_COLUMNS: Final = "pulse_id, user_key, unit, lang, answers, answered_at, submission_id"


def _pulse(row: Row) -> StartedPulse:
    definition, started_at, closes_at, closed_at, started_by = row
    return StartedPulse(
        pulse=pulse_from_json(str(definition)),
        started_at=as_datetime(started_at),
        closes_at=as_datetime(closes_at),
        closed_at=None if closed_at is None else as_datetime(closed_at),
        started_by=str(started_by),
    )


def _answer(row: Row) -> PulseAnswer:
    pulse_id, user_key, unit, lang, answers, answered_at, submission_id = row
    return PulseAnswer(
        pulse_id=str(pulse_id),
        user_key=str(user_key),
        unit=str(unit),
        lang=str(lang),
        answers=json.loads(str(answers)),
        answered_at=as_datetime(answered_at),
        submission_id=str(submission_id),
    )


class SqlPulseStore:
    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def create(self, started: StartedPulse) -> StartedPulse:
        await self._executor.execute(
            "INSERT INTO pulses (id, definition, started_at, closes_at, closed_at, started_by) "
            "VALUES ($1, $2, $3, $4, NULL, $5) ON CONFLICT (id) DO NOTHING",
            started.pulse.id,
            pulse_to_json(started.pulse),
            started.started_at,
            started.closes_at,
            started.started_by,
        )
        kept = await self.get(started.pulse.id)
        if kept is None:  # deleted in between: cannot happen with this store's statements
            raise RuntimeError(f"pulse {started.pulse.id!r} vanished while it was started")
        return kept

    async def get(self, pulse_id: str) -> StartedPulse | None:
        rows = await self._executor.fetch(
            "SELECT " + _PULSE_COLUMNS + " FROM pulses WHERE id = $1",  # noqa: S608 (constant columns)
            pulse_id,
        )
        return _pulse(rows[0]) if rows else None

    async def all(self) -> list[StartedPulse]:
        rows = await self._executor.fetch(
            "SELECT " + _PULSE_COLUMNS + " FROM pulses ORDER BY started_at DESC, id"  # noqa: S608
        )
        return [_pulse(row) for row in rows]

    async def close(self, pulse_id: str, now: datetime) -> bool:
        changed = await self._executor.execute(
            "UPDATE pulses SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL", pulse_id, now
        )
        return changed > 0

    async def add_recipients(self, pulse_id: str, recipients: Sequence[Recipient]) -> int:
        added = 0
        async with self._executor.transaction() as tx:
            for start in range(0, len(recipients), _CHUNK):
                chunk = recipients[start : start + _CHUNK]
                values = ", ".join(
                    f"(${5 * i + 1}, ${5 * i + 2}, ${5 * i + 3}, ${5 * i + 4}, ${5 * i + 5})"
                    for i in range(len(chunk))
                )
                args: list[object] = []
                for r in chunk:
                    args.extend((pulse_id, r.user_key, r.lang, r.unit, card_key(pulse_id, r.user_key)))
                added += await tx.execute(
                    "INSERT INTO pulse_recipients (pulse_id, user_key, lang, unit, outbox_key) VALUES "  # noqa: S608
                    + values  # placeholders only: every value is bound
                    + " ON CONFLICT (pulse_id, user_key) DO NOTHING",
                    *args,
                )
        return added

    async def recipient(self, pulse_id: str, user_key: str) -> Recipient | None:
        rows = await self._executor.fetch(
            "SELECT user_key, lang, unit FROM pulse_recipients WHERE pulse_id = $1 AND user_key = $2",
            pulse_id,
            user_key,
        )
        return Recipient(str(rows[0][0]), str(rows[0][1]), str(rows[0][2])) if rows else None

    async def record_answer(self, answer: PulseAnswer, closes_at: datetime) -> AnswerRecorded:
        if answer.answered_at is None:
            raise ValueError("an answer needs answered_at")
        async with self._executor.transaction() as tx:
            open_rows = await tx.fetch(
                "SELECT 1 FROM pulses WHERE id = $1 AND closed_at IS NULL AND closes_at > $2",
                answer.pulse_id,
                answer.answered_at,
            )
            if not open_rows or answer.answered_at >= closes_at:
                return AnswerRecorded.CLOSED
            stored = await tx.execute(
                "INSERT INTO pulse_answers (" + _ANSWER_COLUMNS + ") "
                "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (pulse_id, user_key) DO NOTHING",
                answer.pulse_id,
                answer.user_key,
                answer.unit,
                answer.lang,
                json.dumps(dict(answer.answers), ensure_ascii=False, sort_keys=True),
                answer.answered_at,
                answer.submission_id,
            )
            if stored:
                return AnswerRecorded.STORED
            kept = await tx.fetch(
                "SELECT submission_id FROM pulse_answers WHERE pulse_id = $1 AND user_key = $2",
                answer.pulse_id,
                answer.user_key,
            )
        same = bool(kept) and str(kept[0][0]) == answer.submission_id
        return AnswerRecorded.REPEATED if same else AnswerRecorded.ALREADY

    async def has_answered(self, pulse_id: str, user_key: str) -> bool:
        rows = await self._executor.fetch(
            "SELECT 1 FROM pulse_answers WHERE pulse_id = $1 AND user_key = $2", pulse_id, user_key
        )
        return bool(rows)

    async def answers(self, pulse_id: str) -> list[PulseAnswer]:
        rows = await self._executor.fetch(
            "SELECT " + _ANSWER_COLUMNS + " FROM pulse_answers WHERE pulse_id = $1 "  # noqa: S608
            "ORDER BY answered_at, user_key",
            pulse_id,
        )
        return [_answer(row) for row in rows]

    async def delivery(self, pulse_id: str, group: str) -> list[DeliveryRow]:
        rows = await self._executor.fetch(
            "SELECT r.unit, o.status, CASE WHEN o.error = 'withdrawn' THEN 1 ELSE 0 END, COUNT(*) "
            "FROM pulse_recipients r LEFT JOIN outbox o ON o.key = r.outbox_key AND o.grp = $2 "
            "WHERE r.pulse_id = $1 GROUP BY r.unit, o.status, CASE WHEN o.error = 'withdrawn' THEN 1 ELSE 0 END "
            "ORDER BY r.unit, o.status",
            pulse_id,
            group,
        )
        return [
            DeliveryRow(
                str(unit), None if status is None else Delivery(str(status)), int(count), bool(withdrawn)
            )
            for unit, status, withdrawn, count in rows
        ]

    async def answered_by_unit(self, pulse_id: str) -> dict[str, int]:
        rows = await self._executor.fetch(
            "SELECT COALESCE(r.unit, ''), COUNT(*) FROM pulse_answers a LEFT JOIN pulse_recipients r "
            "ON r.pulse_id = a.pulse_id AND r.user_key = a.user_key WHERE a.pulse_id = $1 "
            "GROUP BY COALESCE(r.unit, '')",
            pulse_id,
        )
        return {str(unit): int(count) for unit, count in rows}

    async def opt_out(self, user_key: str, now: datetime) -> bool:
        changed = await self._executor.execute(
            "INSERT INTO pulse_optouts (user_key, opted_out_at) VALUES ($1, $2) "
            "ON CONFLICT (user_key) DO NOTHING",
            user_key,
            now,
        )
        return changed > 0

    async def opted_out(self, user_keys: Collection[str]) -> set[str]:
        return await self._keys_in("SELECT user_key FROM pulse_optouts WHERE user_key IN ", user_keys)

    async def units_of(self, user_keys: Collection[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        keys = sorted(set(user_keys))
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ", ".join(f"${i + 2}" for i in range(len(chunk)))
            rows = await self._executor.fetch(
                "SELECT user_key, value FROM preferences WHERE name = $1 AND user_key IN ("  # noqa: S608
                + marks  # placeholders only
                + ")",
                UNIT_PREFERENCE,
                *chunk,
            )
            found.update({str(key): str(value) for key, value in rows})
        return found

    async def members(self, units: Collection[str], *, after: str = "", limit: int = 1000) -> list[str]:
        chosen = sorted(set(units))
        if not chosen:
            return []
        marks = ", ".join(f"${i + 4}" for i in range(len(chosen)))
        rows = await self._executor.fetch(
            "SELECT user_key FROM preferences WHERE name = $1 AND user_key > $2 AND value IN ("  # noqa: S608
            + marks  # placeholders only
            + ") ORDER BY user_key LIMIT $3",
            UNIT_PREFERENCE,
            after,
            max(1, limit),
            *chosen,
        )
        return [str(row[0]) for row in rows]

    async def user_data(self, user_key: str) -> PulseUserData:
        rows = await self._executor.fetch(
            "SELECT " + _ANSWER_COLUMNS + " FROM pulse_answers WHERE user_key = $1 "  # noqa: S608
            "ORDER BY answered_at",
            user_key,
        )
        opted = await self._executor.fetch("SELECT 1 FROM pulse_optouts WHERE user_key = $1", user_key)
        return PulseUserData(tuple(_answer(row) for row in rows), bool(opted))

    async def purge_older_than(self, cutoff: datetime) -> int:
        async with self._executor.transaction(statement_timeout=PURGE_STATEMENT_TIMEOUT) as tx:
            removed = await tx.execute("DELETE FROM pulse_answers WHERE answered_at < $1", cutoff)
            removed += await tx.execute(
                "DELETE FROM pulse_recipients WHERE pulse_id IN (SELECT id FROM pulses WHERE started_at < $1)",
                cutoff,
            )
        return removed

    async def delete_user(self, user_key: str) -> int:
        async with self._executor.transaction() as tx:
            removed = await tx.execute("DELETE FROM pulse_answers WHERE user_key = $1", user_key)
            # Who a pulse went to stays counted (the delivery figures), without the unit and language.
            removed += await tx.execute(
                "UPDATE pulse_recipients SET unit = '', lang = '' WHERE user_key = $1 AND (unit <> '' OR lang <> '')",
                user_key,
            )
        return removed

    async def _keys_in(self, select: str, user_keys: Collection[str]) -> set[str]:
        found: set[str] = set()
        keys = sorted(set(user_keys))
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ", ".join(f"${i + 1}" for i in range(len(chunk)))
            rows = await self._executor.fetch(select + "(" + marks + ")", *chunk)
            found.update(str(row[0]) for row in rows)
        return found
