"""Versioned schema migrations, as ordered SQL per backend, applied once each at start.

`schema_version` holds one row per applied version. Applying runs in one transaction that first takes a
lock (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: a transaction-scoped advisory lock), so replicas starting
together apply each migration exactly once. Never edit a released migration: add the next version.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from nwow.storage.sql import Executor

logger = logging.getLogger(__name__)

# An arbitrary constant naming this application's migration lock among PostgreSQL advisory locks.
_PG_MIGRATION_LOCK: Final = 0x4E574F57  # "NWOW"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]

    def statements(self, backend: str) -> tuple[str, ...]:
        return self.sqlite if backend == "sqlite" else self.postgresql


def _pulse_tables(timestamp: str) -> tuple[str, ...]:
    """Migration 7 on one backend: the same tables, with `timestamp` as the type of moments (SQLite: ISO
    text, PostgreSQL: TIMESTAMPTZ). Only one of those two type names is ever formatted in."""
    if timestamp not in ("TEXT", "TIMESTAMPTZ"):
        raise ValueError(f"not a timestamp type of ours: {timestamp!r}")
    return (
        f"""CREATE TABLE pulses (
            id TEXT PRIMARY KEY,
            definition TEXT NOT NULL,
            started_at {timestamp} NOT NULL,
            closes_at {timestamp} NOT NULL,
            closed_at {timestamp},
            started_by TEXT NOT NULL)""",
        """CREATE TABLE pulse_recipients (
            pulse_id TEXT NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
            user_key TEXT NOT NULL,
            lang TEXT NOT NULL,
            unit TEXT NOT NULL,
            outbox_key TEXT NOT NULL,
            PRIMARY KEY (pulse_id, user_key))""",
        "CREATE INDEX pulse_recipients_outbox_key ON pulse_recipients (outbox_key)",
        f"""CREATE TABLE pulse_answers (
            pulse_id TEXT NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
            user_key TEXT NOT NULL,
            unit TEXT NOT NULL,
            lang TEXT NOT NULL,
            answers TEXT NOT NULL,
            answered_at {timestamp} NOT NULL,
            submission_id TEXT NOT NULL,
            PRIMARY KEY (pulse_id, user_key))""",
        "CREATE INDEX pulse_answers_user_key ON pulse_answers (user_key)",
        "CREATE INDEX pulse_answers_answered_at ON pulse_answers (answered_at)",
        f"""CREATE TABLE pulse_optouts (
            user_key TEXT PRIMARY KEY,
            opted_out_at {timestamp} NOT NULL)""",
        "CREATE INDEX preferences_name_value ON preferences (name, value)",
    )


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(
        1,
        "feedback tables, user preferences, bot state documents",
        sqlite=(
            """CREATE TABLE submissions (
                kind TEXT NOT NULL,
                submission_id TEXT NOT NULL,
                received_at TEXT NOT NULL,
                PRIMARY KEY (kind, submission_id))""",
            "CREATE INDEX submissions_received_at ON submissions (received_at)",
            """CREATE TABLE surveys (
                submission_id TEXT PRIMARY KEY,
                user_key TEXT NOT NULL,
                tool TEXT NOT NULL,
                rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
                works TEXT NOT NULL,
                obstacles TEXT NOT NULL,
                unit TEXT NOT NULL,
                contact_ok INTEGER NOT NULL CHECK (contact_ok IN (0, 1)),
                contact_id TEXT CHECK (contact_ok = 1 OR contact_id IS NULL),
                lang TEXT NOT NULL,
                submitted_at TEXT NOT NULL)""",
            "CREATE INDEX surveys_user_key ON surveys (user_key)",
            "CREATE INDEX surveys_submitted_at ON surveys (submitted_at)",
            """CREATE TABLE votes (
                user_key TEXT NOT NULL,
                answer_id TEXT NOT NULL,
                submission_id TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
                lang TEXT NOT NULL,
                voted_at TEXT NOT NULL,
                PRIMARY KEY (user_key, answer_id))""",
            "CREATE INDEX votes_voted_at ON votes (voted_at)",
            """CREATE TABLE unanswered (
                submission_id TEXT PRIMARY KEY,
                text TEXT NOT NULL,
                lang TEXT NOT NULL,
                asked_at TEXT NOT NULL,
                candidates TEXT NOT NULL)""",
            "CREATE INDEX unanswered_asked_at ON unanswered (asked_at)",
            """CREATE TABLE preferences (
                user_key TEXT NOT NULL,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (user_key, name))""",
            """CREATE TABLE kv (
                key TEXT PRIMARY KEY,
                doc TEXT NOT NULL,
                etag TEXT NOT NULL,
                updated_at TEXT NOT NULL)""",
        ),
        postgresql=(
            """CREATE TABLE submissions (
                kind TEXT NOT NULL,
                submission_id TEXT NOT NULL,
                received_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (kind, submission_id))""",
            "CREATE INDEX submissions_received_at ON submissions (received_at)",
            """CREATE TABLE surveys (
                submission_id TEXT PRIMARY KEY,
                user_key TEXT NOT NULL,
                tool TEXT NOT NULL,
                rating SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
                works TEXT NOT NULL,
                obstacles TEXT NOT NULL,
                unit TEXT NOT NULL,
                contact_ok BOOLEAN NOT NULL,
                contact_id TEXT CHECK (contact_ok OR contact_id IS NULL),
                lang TEXT NOT NULL,
                submitted_at TIMESTAMPTZ NOT NULL)""",
            "CREATE INDEX surveys_user_key ON surveys (user_key)",
            "CREATE INDEX surveys_submitted_at ON surveys (submitted_at)",
            """CREATE TABLE votes (
                user_key TEXT NOT NULL,
                answer_id TEXT NOT NULL,
                submission_id TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                helpful BOOLEAN NOT NULL,
                lang TEXT NOT NULL,
                voted_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (user_key, answer_id))""",
            "CREATE INDEX votes_voted_at ON votes (voted_at)",
            # candidates is TEXT holding JSON (not JSONB): kept exactly as written.
            """CREATE TABLE unanswered (
                submission_id TEXT PRIMARY KEY,
                text TEXT NOT NULL,
                lang TEXT NOT NULL,
                asked_at TIMESTAMPTZ NOT NULL,
                candidates TEXT NOT NULL)""",
            "CREATE INDEX unanswered_asked_at ON unanswered (asked_at)",
            """CREATE TABLE preferences (
                user_key TEXT NOT NULL,
                name TEXT NOT NULL,
                value TEXT NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (user_key, name))""",
            # doc is TEXT, not JSONB: jsonpickle's py/id references depend on key order, which JSONB drops.
            """CREATE TABLE kv (
                key TEXT PRIMARY KEY,
                doc TEXT NOT NULL,
                etag TEXT NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL)""",
        ),
    ),
    # Added by the scale-out work (bot/turn/sql_dedupe.py): activity ids claimed by any replica.
    Migration(
        2,
        "processed activity ids shared by all replicas",
        sqlite=(
            """CREATE TABLE processed_activities (
                conversation_id TEXT NOT NULL,
                activity_id TEXT NOT NULL,
                claimed_at TEXT NOT NULL,
                done INTEGER NOT NULL CHECK (done IN (0, 1)),
                PRIMARY KEY (conversation_id, activity_id))""",
            "CREATE INDEX processed_activities_claimed_at ON processed_activities (claimed_at)",
        ),
        postgresql=(
            """CREATE TABLE processed_activities (
                conversation_id TEXT NOT NULL,
                activity_id TEXT NOT NULL,
                claimed_at TIMESTAMPTZ NOT NULL,
                done BOOLEAN NOT NULL,
                PRIMARY KEY (conversation_id, activity_id))""",
            "CREATE INDEX processed_activities_claimed_at ON processed_activities (claimed_at)",
        ),
    ),
    # Proactive messages (nwow/outbox, nwow/storage/outbox_sql.py): where users and channels can be
    # reached, the queue of messages to them, and the leases that let one replica at a time send.
    Migration(
        3,
        "addresses, outbox and leases for proactive messages",
        sqlite=(
            """CREATE TABLE addresses (
                key TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('user', 'channel')),
                address TEXT NOT NULL,
                updated_at TEXT NOT NULL)""",
            "CREATE INDEX addresses_kind_key ON addresses (kind, key)",
            """CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                grp TEXT NOT NULL,
                recipient TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'gone', 'failed')),
                attempts INTEGER NOT NULL,
                not_before TEXT NOT NULL,
                owner TEXT,
                lease_until TEXT,
                created_at TEXT NOT NULL,
                settled_at TEXT,
                error TEXT NOT NULL)""",
            "CREATE INDEX outbox_due ON outbox (status, not_before)",
            "CREATE INDEX outbox_group ON outbox (grp, status)",
            "CREATE INDEX outbox_recipient ON outbox (recipient)",
            """CREATE TABLE leases (
                name TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                expires_at TEXT NOT NULL)""",
        ),
        postgresql=(
            """CREATE TABLE addresses (
                key TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('user', 'channel')),
                address TEXT NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL)""",
            "CREATE INDEX addresses_kind_key ON addresses (kind, key)",
            """CREATE TABLE outbox (
                id BIGSERIAL PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                grp TEXT NOT NULL,
                recipient TEXT NOT NULL,
                payload TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'gone', 'failed')),
                attempts INTEGER NOT NULL,
                not_before TIMESTAMPTZ NOT NULL,
                owner TEXT,
                lease_until TIMESTAMPTZ,
                created_at TIMESTAMPTZ NOT NULL,
                settled_at TIMESTAMPTZ,
                error TEXT NOT NULL)""",
            "CREATE INDEX outbox_due ON outbox (status, not_before)",
            "CREATE INDEX outbox_group ON outbox (grp, status)",
            "CREATE INDEX outbox_recipient ON outbox (recipient)",
            """CREATE TABLE leases (
                name TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                expires_at TIMESTAMPTZ NOT NULL)""",
        ),
    ),
    # One user action is one row (nwow/feedback/store.py): a survey once per user and card instance (the
    # ledger claims the card, as a digest, beside the submission), a vote once per user and entry (it was
    # per answer card, whose id a client can make up). Of several votes by one user on one entry the
    # latest is kept, as a later vote would have replaced it.
    Migration(
        4,
        "one survey per user and card instance, one vote per user and entry",
        sqlite=(
            "ALTER TABLE submissions ADD COLUMN card_key TEXT",
            "CREATE UNIQUE INDEX submissions_card_key ON submissions (kind, card_key)",
            "ALTER TABLE surveys ADD COLUMN card_id TEXT NOT NULL DEFAULT ''",
            # SQLite cannot change a primary key: the table is rebuilt with the latest vote of each pair.
            """CREATE TABLE votes_per_entry (
                user_key TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                submission_id TEXT NOT NULL,
                answer_id TEXT NOT NULL,
                helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
                lang TEXT NOT NULL,
                voted_at TEXT NOT NULL,
                PRIMARY KEY (user_key, entry_id))""",
            """INSERT INTO votes_per_entry
                (user_key, entry_id, submission_id, answer_id, helpful, lang, voted_at)
                SELECT user_key, entry_id, submission_id, answer_id, helpful, lang, voted_at FROM votes v
                WHERE NOT EXISTS (
                    SELECT 1 FROM votes w WHERE w.user_key = v.user_key AND w.entry_id = v.entry_id
                    AND (w.voted_at > v.voted_at
                         OR (w.voted_at = v.voted_at AND w.submission_id > v.submission_id)))""",
            "DROP TABLE votes",
            "ALTER TABLE votes_per_entry RENAME TO votes",
            "CREATE INDEX votes_voted_at ON votes (voted_at)",
        ),
        postgresql=(
            "ALTER TABLE submissions ADD COLUMN card_key TEXT",
            "CREATE UNIQUE INDEX submissions_card_key ON submissions (kind, card_key)",
            "ALTER TABLE surveys ADD COLUMN card_id TEXT NOT NULL DEFAULT ''",
            """DELETE FROM votes v WHERE EXISTS (
                SELECT 1 FROM votes w WHERE w.user_key = v.user_key AND w.entry_id = v.entry_id
                AND (w.voted_at > v.voted_at
                     OR (w.voted_at = v.voted_at AND w.submission_id > v.submission_id)))""",
            "ALTER TABLE votes DROP CONSTRAINT votes_pkey",
            "ALTER TABLE votes ADD PRIMARY KEY (user_key, entry_id)",
        ),
    ),
    # Added by the durability work (bot/turn/sql_dedupe.py): which replica holds an activity's claim, and
    # until when on the database's clock (seconds since the epoch) unless that replica renews it.
    Migration(
        5,
        "owner and lease of each in-progress activity claim",
        sqlite=(
            "ALTER TABLE processed_activities ADD COLUMN owner TEXT",
            "ALTER TABLE processed_activities ADD COLUMN lease_until REAL",
        ),
        postgresql=(
            "ALTER TABLE processed_activities ADD COLUMN owner TEXT",
            "ALTER TABLE processed_activities ADD COLUMN lease_until DOUBLE PRECISION",
        ),
    ),
    # Ask an ambassador (nwow/tickets, nwow/storage/tickets_sql.py): tickets, where each question ended,
    # proposals for the knowledge base; the outbox keeps the id the channel gave a sent activity and can
    # update one (the ambassadors' card of a ticket).
    Migration(
        6,
        "tickets, question outcomes and knowledge-base proposals; outbox activity ids and updates",
        sqlite=(
            """CREATE TABLE tickets (
                number INTEGER PRIMARY KEY AUTOINCREMENT,
                submission_id TEXT NOT NULL UNIQUE,
                user_key TEXT NOT NULL,
                question TEXT NOT NULL,
                context TEXT NOT NULL,
                lang TEXT NOT NULL,
                origin TEXT NOT NULL,
                topic TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                unit TEXT NOT NULL,
                requester_name TEXT,
                question_ref TEXT NOT NULL,
                channel TEXT NOT NULL,
                candidates TEXT NOT NULL,
                created_at TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'answered')),
                version INTEGER NOT NULL,
                claimed_by_id TEXT,
                claimed_by_name TEXT,
                claimed_at TEXT,
                answer_text TEXT,
                answer_links TEXT,
                answer_entry TEXT,
                answer_submission TEXT,
                answered_by_id TEXT,
                answered_by_name TEXT,
                answered_at TEXT,
                first_answered_at TEXT,
                remind_at TEXT,
                reminded_at TEXT,
                reopened INTEGER NOT NULL,
                reopen_note TEXT NOT NULL,
                reopen_submission TEXT,
                helpful INTEGER CHECK (helpful IN (0, 1)),
                rated_at TEXT,
                card_queued INTEGER NOT NULL CHECK (card_queued IN (0, 1)))""",
            "CREATE INDEX tickets_user_key ON tickets (user_key)",
            "CREATE INDEX tickets_status_created ON tickets (status, created_at)",
            "CREATE INDEX tickets_remind ON tickets (status, remind_at)",
            "CREATE INDEX tickets_created_at ON tickets (created_at)",
            "CREATE INDEX tickets_first_answered_at ON tickets (first_answered_at)",
            """CREATE TABLE question_log (
                ref TEXT PRIMARY KEY,
                user_key TEXT NOT NULL,
                asked_at TEXT NOT NULL,
                lang TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'suggested', 'unanswered',
                    'out_of_scope', 'resolved', 'escalated', 'ambassador_answered')),
                topic TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                helpful INTEGER CHECK (helpful IN (0, 1)),
                ticket BIGINT,
                updated_at TEXT NOT NULL)""",
            "CREATE INDEX question_log_user_key ON question_log (user_key)",
            "CREATE INDEX question_log_asked_at ON question_log (asked_at)",
            "CREATE INDEX question_log_ticket ON question_log (ticket)",
            """CREATE TABLE proposals (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL CHECK (kind IN ('variant', 'draft')),
                entry_id TEXT NOT NULL,
                lang TEXT NOT NULL,
                text TEXT NOT NULL,
                norm TEXT NOT NULL,
                topic TEXT NOT NULL,
                answer TEXT NOT NULL,
                links TEXT NOT NULL,
                ticket BIGINT,
                status TEXT NOT NULL CHECK (status IN ('pending', 'exported', 'rejected')),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (kind, entry_id, lang, norm))""",
            "CREATE INDEX proposals_status ON proposals (status)",
            """CREATE TABLE proposal_sources (
                proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
                source TEXT NOT NULL,
                user_key TEXT NOT NULL,
                added_at TEXT NOT NULL,
                PRIMARY KEY (proposal_id, source))""",
            "CREATE INDEX proposal_sources_user_key ON proposal_sources (user_key)",
            "ALTER TABLE outbox ADD COLUMN activity_id TEXT",
            "ALTER TABLE outbox ADD COLUMN replaces TEXT NOT NULL DEFAULT ''",
        ),
        postgresql=(
            """CREATE TABLE tickets (
                number BIGSERIAL PRIMARY KEY,
                submission_id TEXT NOT NULL UNIQUE,
                user_key TEXT NOT NULL,
                question TEXT NOT NULL,
                context TEXT NOT NULL,
                lang TEXT NOT NULL,
                origin TEXT NOT NULL,
                topic TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                unit TEXT NOT NULL,
                requester_name TEXT,
                question_ref TEXT NOT NULL,
                channel TEXT NOT NULL,
                candidates TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'answered')),
                version INTEGER NOT NULL,
                claimed_by_id TEXT,
                claimed_by_name TEXT,
                claimed_at TIMESTAMPTZ,
                answer_text TEXT,
                answer_links TEXT,
                answer_entry TEXT,
                answer_submission TEXT,
                answered_by_id TEXT,
                answered_by_name TEXT,
                answered_at TIMESTAMPTZ,
                first_answered_at TIMESTAMPTZ,
                remind_at TIMESTAMPTZ,
                reminded_at TIMESTAMPTZ,
                reopened INTEGER NOT NULL,
                reopen_note TEXT NOT NULL,
                reopen_submission TEXT,
                helpful BOOLEAN,
                rated_at TIMESTAMPTZ,
                card_queued BOOLEAN NOT NULL)""",
            "CREATE INDEX tickets_user_key ON tickets (user_key)",
            "CREATE INDEX tickets_status_created ON tickets (status, created_at)",
            "CREATE INDEX tickets_remind ON tickets (status, remind_at)",
            "CREATE INDEX tickets_created_at ON tickets (created_at)",
            "CREATE INDEX tickets_first_answered_at ON tickets (first_answered_at)",
            """CREATE TABLE question_log (
                ref TEXT PRIMARY KEY,
                user_key TEXT NOT NULL,
                asked_at TIMESTAMPTZ NOT NULL,
                lang TEXT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'suggested', 'unanswered',
                    'out_of_scope', 'resolved', 'escalated', 'ambassador_answered')),
                topic TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                helpful BOOLEAN,
                ticket BIGINT,
                updated_at TIMESTAMPTZ NOT NULL)""",
            "CREATE INDEX question_log_user_key ON question_log (user_key)",
            "CREATE INDEX question_log_asked_at ON question_log (asked_at)",
            "CREATE INDEX question_log_ticket ON question_log (ticket)",
            """CREATE TABLE proposals (
                id BIGSERIAL PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('variant', 'draft')),
                entry_id TEXT NOT NULL,
                lang TEXT NOT NULL,
                text TEXT NOT NULL,
                norm TEXT NOT NULL,
                topic TEXT NOT NULL,
                answer TEXT NOT NULL,
                links TEXT NOT NULL,
                ticket BIGINT,
                status TEXT NOT NULL CHECK (status IN ('pending', 'exported', 'rejected')),
                created_at TIMESTAMPTZ NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL,
                UNIQUE (kind, entry_id, lang, norm))""",
            "CREATE INDEX proposals_status ON proposals (status)",
            """CREATE TABLE proposal_sources (
                proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
                source TEXT NOT NULL,
                user_key TEXT NOT NULL,
                added_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (proposal_id, source))""",
            "CREATE INDEX proposal_sources_user_key ON proposal_sources (user_key)",
            "ALTER TABLE outbox ADD COLUMN activity_id TEXT",
            "ALTER TABLE outbox ADD COLUMN replaces TEXT NOT NULL DEFAULT ''",
        ),
    ),
    # Adoption pulses (nwow/pulses, nwow/storage/pulses_sql.py): the pulses DRI started, who each goes to
    # (their card is an outbox message), the answers (once per user and pulse), "don't ask me again".
    Migration(
        7,
        "adoption pulses: pulses, recipients, answers, opt-outs",
        sqlite=_pulse_tables("TEXT"),
        postgresql=_pulse_tables("TIMESTAMPTZ"),
    ),
    # A send under way (nwow/outbox/store.py `attempt`): a message claimed again with it set was being sent
    # when its sender died; the dispatcher does not send a kind it delivers at most once a second time.
    Migration(
        8,
        "outbox: the moment a sender began sending a message it has not settled",
        sqlite=("ALTER TABLE outbox ADD COLUMN attempted_at TEXT",),
        postgresql=("ALTER TABLE outbox ADD COLUMN attempted_at TIMESTAMPTZ",),
    ),
)


def _check_order(migrations: tuple[Migration, ...]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 1, 2, 3, ... in order; got {versions}")


async def apply_migrations(
    executor: Executor,
    migrations: tuple[Migration, ...] = MIGRATIONS,
    *,
    statement_timeout: float | None = None,
) -> tuple[int, ...]:
    """Apply the migrations not yet recorded in `schema_version`; the versions applied now.

    `statement_timeout` overrides the executor's statement deadline (another replica's migrations may
    hold the lock, and a migration may rewrite a large table)."""
    _check_order(migrations)
    timestamp_type = "TEXT" if executor.backend == "sqlite" else "TIMESTAMPTZ"
    applied: list[int] = []
    async with executor.transaction(statement_timeout=statement_timeout) as tx:
        if executor.backend == "postgresql":
            await tx.fetch("SELECT pg_advisory_xact_lock($1)", _PG_MIGRATION_LOCK)
        await tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            f"version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at {timestamp_type} NOT NULL)"
        )
        rows = await tx.fetch("SELECT version FROM schema_version")
        done = {int(r[0]) for r in rows}
        known = {m.version for m in migrations}
        if done - known:
            raise RuntimeError(
                f"the database has schema versions {sorted(done - known)} that this build does not know: "
                "it was migrated by a newer release; upgrade this one"
            )
        for migration in migrations:
            if migration.version in done:
                continue
            for statement in migration.statements(executor.backend):
                await tx.execute(statement)
            await tx.execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)",
                migration.version,
                migration.description,
                datetime.now(UTC),
            )
            applied.append(migration.version)
    for version in applied:
        logger.info("applied schema migration %d on %s", version, executor.backend)
    return tuple(applied)


async def current_version(executor: Executor) -> int:
    async with executor.transaction(write=False) as tx:
        rows = await tx.fetch("SELECT COALESCE(MAX(version), 0) FROM schema_version")
    return int(rows[0][0])
