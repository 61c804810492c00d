"""What the feedback store keeps: survey answers, thumbs on answers, questions the FAQ could not answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

MIN_RATING = 1
MAX_RATING = 5
# A card instance id is minted by the bot (32 hex digits); anything longer is not one.
MAX_CARD_ID = 64


def require_aware(name: str, value: datetime) -> datetime:
    """`value`, when it is timezone-aware; else ValueError naming `name`."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
    return value


@dataclass(frozen=True)
class SurveyResponse:
    """One survey submission.

    `submission_id` is the Teams activity id of the submit (retries carry the same one); `user_key` is the
    pseudonym (see `pseudonymize`); `contact_id` is the raw AAD object id, kept only when `contact_ok`.
    `card_id` names the survey card instance the user answered (minted when the card was rendered): the
    store keeps one response per user and card, however often it is submitted. Empty when there is no
    card (a response from a tool or from before card ids): then only `submission_id` deduplicates.
    """

    submission_id: str
    user_key: str
    tool: str
    rating: int
    works: str
    obstacles: str
    unit: str
    contact_ok: bool
    contact_id: str | None
    lang: str
    submitted_at: datetime
    card_id: str = ""

    def __post_init__(self) -> None:
        if not self.submission_id:
            raise ValueError("submission_id is empty")
        if len(self.card_id) > MAX_CARD_ID:
            raise ValueError(f"card_id is longer than {MAX_CARD_ID} characters")
        if not MIN_RATING <= self.rating <= MAX_RATING:
            raise ValueError(f"rating must be {MIN_RATING}..{MAX_RATING}, got {self.rating}")
        if self.contact_id is not None and not self.contact_ok:
            raise ValueError("contact_id may only be kept when the user agreed to be contacted")
        require_aware("submitted_at", self.submitted_at)


@dataclass(frozen=True)
class Vote:
    """A thumbs up or down on an answer. One vote per (user_key, entry_id): a later one replaces it.

    `answer_id` names the answer card voted on (the activity id of the question it answered); it is kept
    for the record but does not make a second vote: asking the same question twice and voting on both
    cards is still one opinion about that entry.
    """

    submission_id: str
    user_key: str
    entry_id: str
    answer_id: str
    helpful: bool
    lang: str
    voted_at: datetime

    def __post_init__(self) -> None:
        if not self.submission_id:
            raise ValueError("submission_id is empty")
        require_aware("voted_at", self.voted_at)


@dataclass(frozen=True)
class UnansweredQuestion:
    """A question the knowledge base could not answer, with its nearest candidates. No user identity."""

    submission_id: str
    text: str
    lang: str
    asked_at: datetime
    candidates: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        if not self.submission_id:
            raise ValueError("submission_id is empty")
        require_aware("asked_at", self.asked_at)


@dataclass(frozen=True)
class UserData:
    """What the store keeps about one pseudonymous user: for "what do you keep about me"."""

    user_key: str
    surveys: int
    votes: int
    remembered: dict[str, str] = field(default_factory=dict)
