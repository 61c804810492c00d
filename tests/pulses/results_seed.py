"""Pulses with answers in a real database, for the results tests: a pulse definition, its recipients, their
cards sent through the outbox, their answers, and its closing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from nwow.outbox import OutboxMessage, Settlement
from nwow.pulses.launch import KIND_PULSE, card_group
from nwow.pulses.model import (
    Audience,
    Choice,
    Pulse,
    PulseAnswer,
    PulseQuestion,
    QuestionKind,
    Recipient,
    StartedPulse,
    card_key,
)
from nwow.storage import Database

START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


def four(text: str) -> dict[str, str]:
    return {"nl": f"{text} (nl)", "fr": f"{text} (fr)", "de": f"{text} (de)", "en": text}


RATING = PulseQuestion("teams-daily-work", QuestionKind.RATING, four("How well does Teams help you?"))
TOOL = PulseQuestion(
    "most-used-tool",
    QuestionKind.CHOICE,
    four("Which tool do you use most?"),
    (Choice("teams", four("Teams")), Choice("yammer", four("Yammer")), Choice("e-mail", four("Email"))),
)
TELEWORK = PulseQuestion("telework-possible", QuestionKind.YES_NO, four("Can you telework?"))
HELP = PulseQuestion("what-would-help", QuestionKind.TEXT, four("What would help you most?"))


def make_pulse(
    pulse_id: str = "2027-01-teams",
    *,
    questions: Sequence[PulseQuestion] = (RATING, TOOL, TELEWORK, HELP),
    min_group: int = 5,
    opens: date = date(2027, 1, 11),
    closes: date = date(2027, 1, 29),
) -> Pulse:
    return Pulse(
        id=pulse_id,
        title=four(f"Pulse {pulse_id}"),
        intro=four("Four questions."),
        questions=tuple(questions),
        audience=Audience("all"),
        opens=opens,
        closes=closes,
        reminder_days=None,
        min_group=min_group,
    )


@dataclass(frozen=True)
class Person:
    key: str
    unit: str  # chosen on the card, and remembered (their recipient unit)
    answers: Mapping[str, str | int]


async def seed_pulse(
    db: Database,
    pulse: Pulse,
    people: Sequence[Person],
    *,
    started_at: datetime = START,
    delivered: int | None = None,
    close_at: datetime | None = None,
) -> StartedPulse:
    """Start `pulse`, send its card to everyone (the first `delivered` of them get it), record the answers of
    those with answers, and close it at `close_at` (left open without it)."""
    closes_at = datetime.combine(pulse.closes + timedelta(days=1), datetime.min.time(), UTC)
    await db.pulses.create(StartedPulse(pulse, started_at, closes_at))
    await db.pulses.add_recipients(pulse.id, [Recipient(p.key, "en", p.unit) for p in people])
    await db.outbox.enqueue(
        [
            OutboxMessage(
                key=card_key(pulse.id, p.key),
                kind=KIND_PULSE,
                recipient=p.key,
                payload={"pulse": pulse.id, "lang": "en"},
                not_before=started_at,
                group=card_group(pulse.id),
            )
            for p in people
        ],
        started_at,
    )
    claimed = await db.outbox.claim("test", started_at, timedelta(minutes=5), len(people) + 1)
    sent = {card_key(pulse.id, p.key) for p in people[: len(people) if delivered is None else delivered]}
    for message in claimed:
        if message.key in sent:
            await db.outbox.settle(message.id, "test", Settlement.sent(), started_at)
    for n, p in enumerate(people):
        if p.answers:
            answer = PulseAnswer(
                pulse.id,
                p.key,
                p.unit,
                "en",
                dict(p.answers),
                started_at + timedelta(minutes=n + 1),
                f"s-{p.key}",
            )
            assert await db.pulses.record_answer(answer, closes_at)
    if close_at is not None:
        assert await db.pulses.close(pulse.id, close_at)
    kept = await db.pulses.get(pulse.id)
    assert kept is not None
    return kept
