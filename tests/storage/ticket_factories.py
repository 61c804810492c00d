"""Test data for the ticket store tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from nwow.tickets import Ambassador, NewTicket, Origin
from tests.storage.factories import T0

ANN = Ambassador("aaaaaaaa-0000-0000-0000-000000000001", "Ann Peeters")
BEN = Ambassador("bbbbbbbb-0000-0000-0000-000000000002", "Ben Dupont")


def new_ticket(submission_id: str = "sub-1", user_key: str = "u1", **changes: object) -> NewTicket:
    base = NewTicket(
        submission_id=submission_id,
        user_key=user_key,
        question="Mag ik mijn eigen <b>scherm</b> gebruiken?",
        context="Thuis, met *HDMI*",
        lang="nl",
        origin=Origin.UNANSWERED,
        topic="equipment",
        entry_id="",
        unit="fed-dri",
        requester_name=None,
        question_ref="ref-1",
        channel="19:general@thread.tacv2",
        candidates=("equipment-screen", "telework-equipment"),
        created_at=T0,
        remind_at=T0 + timedelta(hours=4),
    )
    return replace(base, **changes)  # type: ignore[arg-type]
