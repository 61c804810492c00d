"""Test data for the storage tests: one survey response, changed where a test needs it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from nwow.feedback.models import SurveyResponse
from nwow.outbox import OutboxMessage

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def survey(submission_id: str = "act-1", user_key: str = "u1", **changes: object) -> SurveyResponse:
    """A valid survey response submitted at `T0`; `changes` replace any other field."""
    base = SurveyResponse(
        submission_id=submission_id,
        user_key=user_key,
        tool="teams",
        rating=4,
        works="Chat works; <b>bold</b> & 'quotes'",
        obstacles="VPN drops — élan, Größe",
        unit="fed-dri",
        contact_ok=False,
        contact_id=None,
        lang="nl",
        submitted_at=T0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def message(key: str, recipient: str = "user-1", group: str = "g", **changes: object) -> OutboxMessage:
    """An outbox message of a test kind, due at `T0`; `changes` replace any other field."""
    fields: dict[str, object] = {
        "key": key,
        "kind": "test",
        "recipient": recipient,
        "payload": {"type": "message", "text": f"hello {key}"},
        "not_before": T0,
        "group": group,
        **changes,
    }
    return OutboxMessage(**fields)  # type: ignore[arg-type]
