"""The feedback store interface. The implementation on SQLite and PostgreSQL is
`nwow.storage.feedback_sql.SqlFeedbackStore`, reached as `Database.feedback`.

Every record_* call is idempotent on its submission id (the Teams activity id of the submit): the first
call stores it and reports so once the transaction has committed; a retry changes nothing. One user
action is one row whatever the clicks: a survey is kept once per user and survey card instance
(`SurveyResponse.card_id`), a vote once per user and knowledge-base entry. A ledger of seen submissions
(no user identity in it: card instances appear there only as a digest) keeps a retry or a second click
from coming back even after the user's data was deleted; `purge_older_than` trims it with everything else.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Final, Protocol

from nwow.feedback.models import SurveyResponse, UnansweredQuestion, UserData, Vote

KIND_SURVEY: Final = "survey"
KIND_VOTE: Final = "vote"
KIND_UNANSWERED: Final = "unanswered"


class Recorded(StrEnum):
    """What `record_survey` did with a submission. Truthy only when this call stored it."""

    STORED = "stored"
    # This very submission (same submission_id) was stored before: a retry of its activity or turn, whose
    # user may not have been thanked yet.
    REPEATED = "repeated"
    # Another submission of the same card instance by the same user was stored: a second click.
    DUPLICATE = "duplicate"

    def __bool__(self) -> bool:
        return self is Recorded.STORED


class FeedbackStore(Protocol):
    async def record_survey(self, r: SurveyResponse) -> Recorded:
        """Store a survey answer unless this submission, or another one of the same card instance by the
        same user, was stored before."""
        ...

    async def record_vote(self, v: Vote) -> bool:
        """Store a vote, replacing the user's earlier vote on the same entry (unless that one is newer);
        False for a retry of a submission already seen."""
        ...

    async def record_unanswered(self, q: UnansweredQuestion) -> bool:
        """Store an unanswered question; False for a retry."""
        ...

    async def user_data(self, user_key: str) -> UserData: ...

    async def delete_user_data(self, user_key: str) -> int:
        """Remove the user's surveys, votes and remembered preferences; the number of rows removed."""
        ...

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Remove everything recorded before `cutoff` (retention); the number of rows removed."""
        ...

    async def surveys_between(self, since: datetime, until: datetime) -> list[SurveyResponse]:
        """Survey answers with since <= submitted_at < until, oldest first."""
        ...

    async def votes_between(self, since: datetime, until: datetime) -> list[Vote]: ...

    async def unanswered_between(self, since: datetime, until: datetime) -> list[UnansweredQuestion]: ...

    async def remember(self, user_key: str, name: str, value: str) -> None:
        """Keep a preference for the user (e.g. their home area); part of their data."""
        ...

    async def forget(self, user_key: str, name: str) -> bool:
        """Drop one preference; True if there was one."""
        ...

    async def recall(self, user_key: str, name: str) -> str | None: ...
