"""What an escalated question is: a ticket, from the user's question to an ambassador's answer.

A ticket is opened when a user asks an ambassador (after "I don't know", "None of these" or a 👎). Its
life: `open` (waiting) -> `claimed` (an ambassador took it) -> `answered` (the answer went to the user's
personal chat). The claimer may give it back (`open` again); the user may reopen an answered ticket ("still
not solved"), which makes it `open` again with their remark. Every change bumps `version`, which names the
update of the ambassadors' card that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from nwow.feedback.models import require_aware
from nwow.language import Lang

__all__ = [
    "MAX_ANSWER",
    "MAX_CONTEXT",
    "MAX_QUESTION",
    "Ambassador",
    "NewTicket",
    "Origin",
    "Ticket",
    "TicketAnswer",
    "TicketStatus",
]

# Longest texts kept (the cards' inputs say the same with maxLength).
MAX_QUESTION: Final = 500
MAX_CONTEXT: Final = 1000
MAX_ANSWER: Final = 4000
MAX_NAME: Final = 200


class TicketStatus(StrEnum):
    OPEN = "open"  # waiting for an ambassador
    CLAIMED = "claimed"  # an ambassador took it
    ANSWERED = "answered"  # the answer was sent to the user


class Origin(StrEnum):
    """Where the user was when they asked an ambassador."""

    UNANSWERED = "unanswered"  # the knowledge base had no answer
    NONE_OF_THESE = "none_of_these"  # none of the "Did you mean" suggestions
    THUMBS_DOWN = "thumbs_down"  # an answer did not help
    OUT_OF_SCOPE = "out_of_scope"  # told it is outside what the bot covers, and asked anyway


@dataclass(frozen=True)
class Ambassador:
    """Who acts on a ticket: a stable id (the Entra object id, else the channel's user id) and the display
    name Teams gave (shown to the other ambassadors and, with the answer, to the user)."""

    id: str
    name: str


@dataclass(frozen=True)
class TicketAnswer:
    """An ambassador's answer: Markdown text with link keys of links.yml, or an FAQ entry."""

    text: str = ""
    links: tuple[str, ...] = ()
    entry_id: str = ""

    def __post_init__(self) -> None:
        if bool(self.text.strip()) == bool(self.entry_id):
            raise ValueError("an answer is either a text or an FAQ entry")


@dataclass(frozen=True)
class NewTicket:
    """What the user sends. `submission_id` (a keyed hash of the submit activity) makes it idempotent:
    the same submit twice is one ticket. `requester_name` is kept only when the user agreed to share it."""

    submission_id: str
    user_key: str
    question: str
    context: str
    lang: Lang
    origin: Origin
    topic: str
    entry_id: str
    unit: str
    requester_name: str | None
    question_ref: str
    channel: str
    candidates: tuple[str, ...]
    created_at: datetime
    remind_at: datetime | None

    def __post_init__(self) -> None:
        if not self.submission_id or not self.user_key:
            raise ValueError("a ticket needs its submission id and the user's key")
        if not self.question.strip():
            raise ValueError("a ticket needs a question")
        require_aware("created_at", self.created_at)
        if self.remind_at is not None:
            require_aware("remind_at", self.remind_at)


@dataclass(frozen=True)
class Ticket:
    number: int
    submission_id: str
    user_key: str
    question: str
    context: str
    lang: Lang
    origin: Origin
    topic: str
    entry_id: str
    unit: str
    requester_name: str | None
    question_ref: str
    channel: str
    candidates: tuple[str, ...]
    created_at: datetime
    status: TicketStatus
    version: int
    claimed_by: Ambassador | None = None
    claimed_at: datetime | None = None
    answer: TicketAnswer | None = None
    answered_by: Ambassador | None = None
    answered_at: datetime | None = None
    first_answered_at: datetime | None = None
    remind_at: datetime | None = None
    reminded_at: datetime | None = None
    reopened: int = 0
    reopen_note: str = ""
    helpful: bool | None = None
    card_queued: bool = False  # the card for the ambassadors is in the outbox (a team was known)

    @property
    def is_open(self) -> bool:
        """Waiting for an answer (taken or not)."""
        return self.status is not TicketStatus.ANSWERED

    @property
    def shares_name(self) -> bool:
        return self.requester_name is not None

    def clipped_question(self) -> str:
        return self.question[:MAX_QUESTION]
