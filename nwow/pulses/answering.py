"""Checking a pulse answer as submitted: every required question answered with a value the card offered,
free text within its limit. What is missing goes back to the user with the form; nothing is guessed."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from nwow.pulses.model import FREE_TEXT_LIMIT, Pulse, PulseAnswer, PulseQuestion, QuestionKind

__all__ = ["RATINGS", "YES_NO", "CheckedAnswer", "check_answer", "offered_values"]

RATINGS: tuple[str, ...] = ("1", "2", "3", "4", "5")
YES_NO: tuple[str, ...] = ("yes", "no")


def offered_values(question: PulseQuestion) -> tuple[str, ...]:
    """The values the card offers for a question (empty for free text)."""
    if question.kind is QuestionKind.RATING:
        return RATINGS
    if question.kind is QuestionKind.YES_NO:
        return YES_NO
    if question.kind is QuestionKind.CHOICE:
        return tuple(choice.id for choice in question.choices)
    return ()


@dataclass(frozen=True)
class CheckedAnswer:
    answer: PulseAnswer | None  # None when something is missing
    missing: tuple[str, ...]  # ids of the required questions left unanswered (or answered off the list)


def check_answer(
    pulse: Pulse,
    given: Mapping[str, str | None],
    *,
    unit: str | None,
    units: Collection[str],
    user_key: str,
    lang: str,
    submission_id: str,
    now: datetime,
) -> CheckedAnswer:
    """`given`: question id -> the submitted value (None when absent). A rating is stored as a number, a
    choice as the option's id, yes/no as "yes"/"no", free text trimmed and clipped to its limit (empty
    free text is not stored)."""
    answers: dict[str, str | int] = {}
    missing: list[str] = []
    for question in pulse.questions:
        value = (given.get(question.id) or "").strip()
        if question.kind is QuestionKind.TEXT:
            if value:
                answers[question.id] = value[:FREE_TEXT_LIMIT]
            continue
        if value not in offered_values(question):
            missing.append(question.id)
            continue
        answers[question.id] = int(value) if question.kind is QuestionKind.RATING else value
    if missing:
        return CheckedAnswer(None, tuple(missing))
    return CheckedAnswer(
        PulseAnswer(
            pulse_id=pulse.id,
            user_key=user_key,
            unit=unit if unit is not None and unit in units else "",
            lang=lang,
            answers=answers,
            answered_at=now,
            submission_id=submission_id,
        ),
        (),
    )
