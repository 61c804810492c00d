"""Where each question ended, for DRI's figures: one record per question asked, without its text.

What the bot did at once (`answered`, `suggested` "Did you mean", `unanswered`, `out_of_scope`) is recorded
when it answers; what the user did next moves the record on: a suggestion chosen (`resolved`), an
ambassador asked (`escalated`), an ambassador's answer sent (`ambassador_answered`). A question left at
`suggested` or `unanswered` for `ABANDONED_AFTER` is counted as abandoned (Copilot Studio ends an idle
session after 30 minutes the same way). 👍/👎 on the answer it got is kept in `helpful`.

The record holds the user's pseudonymous key (to count distinct people per group for the minimum group
size, and so that "delete my data" removes it), the language, the topic and entry of the answer, never the
question's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from nwow.feedback.models import require_aware

__all__ = ["ABANDONED_AFTER", "FINAL_OUTCOMES", "MOVES", "AskedQuestion", "Outcome", "QuestionRecord"]

ABANDONED_AFTER: Final = timedelta(minutes=30)


class Outcome(StrEnum):
    ANSWERED = "answered"  # the knowledge base answered
    SUGGESTED = "suggested"  # "Did you mean" shown; nothing chosen yet
    UNANSWERED = "unanswered"  # no answer; no ambassador asked yet
    OUT_OF_SCOPE = "out_of_scope"  # outside what the bot covers
    RESOLVED = "resolved"  # a "Did you mean" suggestion was chosen
    ESCALATED = "escalated"  # an ambassador was asked; no answer yet
    AMBASSADOR_ANSWERED = "ambassador_answered"  # an ambassador's answer was sent


# The moves a record may make: (to, from any of). Anything else leaves it as it is.
MOVES: Final[dict[Outcome, frozenset[Outcome]]] = {
    Outcome.RESOLVED: frozenset({Outcome.SUGGESTED}),
    Outcome.ESCALATED: frozenset(
        {
            Outcome.SUGGESTED,
            Outcome.UNANSWERED,
            Outcome.OUT_OF_SCOPE,
            Outcome.ANSWERED,
            Outcome.RESOLVED,
            Outcome.AMBASSADOR_ANSWERED,  # reopened: "still not solved"
        }
    ),
    Outcome.AMBASSADOR_ANSWERED: frozenset({Outcome.ESCALATED}),
}
# Outcomes that are not waiting for the user.
FINAL_OUTCOMES: Final = frozenset(
    {Outcome.ANSWERED, Outcome.OUT_OF_SCOPE, Outcome.RESOLVED, Outcome.ESCALATED, Outcome.AMBASSADOR_ANSWERED}
)


@dataclass(frozen=True)
class AskedQuestion:
    """A question as the bot first answered it. `ref` is the keyed hash of the question's activity."""

    ref: str
    user_key: str
    asked_at: datetime
    lang: str
    outcome: Outcome
    topic: str = ""
    entry_id: str = ""

    def __post_init__(self) -> None:
        if not self.ref or not self.user_key:
            raise ValueError("a question record needs its reference and the user's key")
        if self.outcome not in (
            Outcome.ANSWERED,
            Outcome.SUGGESTED,
            Outcome.UNANSWERED,
            Outcome.OUT_OF_SCOPE,
        ):
            raise ValueError(
                f"a question starts answered, suggested, unanswered or out of scope, not {self.outcome}"
            )
        require_aware("asked_at", self.asked_at)


@dataclass(frozen=True)
class QuestionRecord:
    ref: str
    user_key: str
    asked_at: datetime
    lang: str
    outcome: Outcome
    topic: str
    entry_id: str
    helpful: bool | None
    ticket: int | None
    updated_at: datetime

    def settled(self, now: datetime) -> Outcome | None:
        """The outcome as counted at `now`: None while the user may still act (the last 30 minutes of a
        suggestion or an "I don't know"), else the outcome; an abandoned question is reported by
        `abandoned`."""
        if self.outcome in FINAL_OUTCOMES:
            return self.outcome
        return self.outcome if now - self.updated_at >= ABANDONED_AFTER else None

    def abandoned(self, now: datetime) -> bool:
        return self.outcome in (Outcome.SUGGESTED, Outcome.UNANSWERED) and (
            now - self.updated_at >= ABANDONED_AFTER
        )
