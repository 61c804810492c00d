"""Test data for the pulse tests: one pulse (a rating and a free-text question), changed where a test needs
it, and the answers and addresses that go with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from nwow.outbox import Address
from nwow.pulses.model import (
    Audience,
    Pulse,
    PulseAnswer,
    PulseQuestion,
    QuestionKind,
    StartedPulse,
)

# Monday 11 January 2027, 10:00 in Brussels: a working day, within business hours.
T0 = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
OPENS = date(2027, 1, 11)
CLOSES = date(2027, 1, 29)
# The end of the closing day, Brussels time (UTC+1 in winter).
CLOSES_AT = datetime(2027, 1, 29, 23, 0, tzinfo=UTC)


def pulse(pulse_id: str = "2027-01-test", **changes: object) -> Pulse:
    """A pulse to everyone, open from T0's day to the 29th, with a reminder after 7 days."""
    base = Pulse(
        id=pulse_id,
        title={"nl": "Hoe werkt u?", "fr": "Comment travaillez-vous ?", "de": "Wie?", "en": "How?"},
        intro={"nl": "Twee vragen.", "fr": "Deux questions.", "de": "Zwei Fragen.", "en": "Two questions."},
        questions=(
            PulseQuestion("teams", QuestionKind.RATING, {"nl": "Teams?", "en": "Teams?"}),
            PulseQuestion("help", QuestionKind.TEXT, {"nl": "Wat helpt?", "en": "What helps?"}),
        ),
        audience=Audience("all"),
        opens=OPENS,
        closes=CLOSES,
        reminder_days=7,
        min_group=3,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def started(pulse_id: str = "2027-01-test", *, at: datetime = T0, **changes: object) -> StartedPulse:
    return StartedPulse(pulse(pulse_id, **changes), at, CLOSES_AT, started_by="dri-1")


def answer(
    user_key: str = "u1",
    *,
    pulse_id: str = "2027-01-test",
    submission_id: str = "",
    at: datetime = T0 + timedelta(hours=1),
    rating: int = 4,
) -> PulseAnswer:
    return PulseAnswer(
        pulse_id=pulse_id,
        user_key=user_key,
        unit="fed-dri",
        lang="nl",
        answers={"teams": rating, "help": "Een <b>tweede</b> scherm — élan"},
        answered_at=at,
        submission_id=submission_id or f"sub-{user_key}",
    )


def address(service_url: str, user: str, locale: str | None = "nl-BE") -> Address:
    """A user's personal chat at `service_url`."""
    return Address(
        service_url=service_url,
        channel_id="msteams",
        bot_id="28:bot",
        conversation_id=f"a:{user}",
        tenant_id="tenant-1",
        user_id=f"29:{user}",
        locale=locale,
    )
