"""The pulse store interface. Implementation on SQLite and PostgreSQL: `nwow.storage.pulses_sql`
(`Database.pulses`), checked by one contract suite (tests/storage/test_pulses_contract.py)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final, Protocol

from nwow.outbox import Delivery
from nwow.pulses.model import PulseAnswer, Recipient, StartedPulse

__all__ = ["UNIT_PREFERENCE", "AnswerRecorded", "DeliveryRow", "PulseStore", "PulseUserData"]

UNIT_PREFERENCE: Final = "unit"


class AnswerRecorded(StrEnum):
    """What `record_answer` did. Truthy only when this call stored the answer."""

    STORED = "stored"
    REPEATED = "repeated"  # this very submission was stored before (a retried turn): thank again
    ALREADY = "already"  # the user had answered this pulse already (another click, another card)
    CLOSED = "closed"  # the pulse was closed, or its closing day is over: nothing stored

    def __bool__(self) -> bool:
        return self is AnswerRecorded.STORED


@dataclass(frozen=True)
class DeliveryRow:
    """How many recipients of one unit ("" for those who did not say) are in one delivery state."""

    unit: str
    status: Delivery | None  # None: the card was not queued (yet)
    recipients: int
    withdrawn: bool = (
        False  # GONE because the card was withdrawn before it was sent (opted out, answered, closed)
    )


@dataclass(frozen=True)
class PulseUserData:
    """What the pulses keep about one user: their answers, and whether they asked not to be asked again."""

    answers: tuple[PulseAnswer, ...]
    opted_out: bool


class PulseStore(Protocol):
    async def create(self, started: StartedPulse) -> StartedPulse:
        """Keep a new pulse; the pulse already kept under its id when there is one (the caller compares)."""
        ...

    async def get(self, pulse_id: str) -> StartedPulse | None: ...

    async def all(self) -> list[StartedPulse]:
        """Every pulse, the latest started first."""
        ...

    async def close(self, pulse_id: str, now: datetime) -> bool:
        """Close an open pulse at `now`; False when it is unknown or closed already."""
        ...

    async def add_recipients(self, pulse_id: str, recipients: Sequence[Recipient]) -> int:
        """Add who the pulse goes to (each user once); the number added now."""
        ...

    async def recipient(self, pulse_id: str, user_key: str) -> Recipient | None: ...

    async def record_answer(self, answer: PulseAnswer, closes_at: datetime) -> AnswerRecorded:
        """Store the user's answer to the pulse, once (the first one counts), if the pulse is open at
        `answer.answered_at` (not closed, and before `closes_at`)."""
        ...

    async def has_answered(self, pulse_id: str, user_key: str) -> bool: ...

    async def answers(self, pulse_id: str) -> list[PulseAnswer]: ...

    async def delivery(self, pulse_id: str, group: str) -> list[DeliveryRow]:
        """The recipients by unit and by the state of their message of outbox `group` (the pulse's card)."""
        ...

    async def answered_by_unit(self, pulse_id: str) -> dict[str, int]:
        """Respondents by their recipient unit ("" when unknown)."""
        ...

    async def opt_out(self, user_key: str, now: datetime) -> bool:
        """Never ask `user_key` again; False when they had asked already."""
        ...

    async def opted_out(self, user_keys: Collection[str]) -> set[str]: ...

    # The unit a user let the bot remember is one of their preferences (`FeedbackStore.remember(key,
    # UNIT_PREFERENCE, unit)`): shown by "my data", deleted by "delete my data". Read here for audiences.
    async def units_of(self, user_keys: Collection[str]) -> dict[str, str]: ...

    async def members(self, units: Collection[str], *, after: str = "", limit: int = 1000) -> list[str]:
        """Keys of the users who let the bot remember one of `units`, in key order after `after`."""
        ...

    async def user_data(self, user_key: str) -> PulseUserData: ...

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Retention: delete the answers given before `cutoff`, and the recipients of pulses started before
        it (who got a card); the pulses themselves (their questions) stay. The number of rows deleted."""
        ...

    async def delete_user(self, user_key: str) -> int:
        """Delete the user's answers and blank the unit and language kept with them as a recipient (their
        "don't ask me again" is kept: it is what they asked for, and holds no answer); the number of rows
        deleted or blanked."""
        ...
