"""What the knowledge base could learn: proposals for ambassadors to review and commit.

- a **variant**: a user's own wording of a question that an existing entry answered (they chose it under
  "Did you mean", or an ambassador answered with that entry); added to the entry's questions on export;
- a **draft**: a question an ambassador answered in their own words, proposed as a new entry
  (`status: draft` on export).

Each proposal is counted: the distinct users whose questions support it. Texts are scrubbed of personal
data when proposed (they end up in files in git). A proposal leaves the list when it is exported or
rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from nwow.feedback.models import require_aware

__all__ = ["NewProposal", "Proposal", "ProposalKind", "ProposalStatus"]


class ProposalKind(StrEnum):
    VARIANT = "variant"
    DRAFT = "draft"


class ProposalStatus(StrEnum):
    PENDING = "pending"
    EXPORTED = "exported"
    REJECTED = "rejected"


@dataclass(frozen=True)
class NewProposal:
    """`norm` is the question's normalised form: one proposal per (kind, entry, language, norm)."""

    kind: ProposalKind
    entry_id: str  # the entry a variant belongs to; '' for a draft
    lang: str
    text: str
    norm: str
    topic: str = ""
    answer: str = ""  # a draft's answer (Markdown)
    links: tuple[str, ...] = ()
    ticket: int | None = None

    def __post_init__(self) -> None:
        if not self.norm or not self.text.strip():
            raise ValueError("a proposal needs a question")
        if self.kind is ProposalKind.VARIANT and not self.entry_id:
            raise ValueError("a variant names its entry")
        if self.kind is ProposalKind.DRAFT and not self.answer.strip():
            raise ValueError("a draft carries its answer")


@dataclass(frozen=True)
class Proposal:
    id: int
    kind: ProposalKind
    entry_id: str
    lang: str
    text: str
    norm: str
    topic: str
    answer: str
    links: tuple[str, ...]
    ticket: int | None
    status: ProposalStatus
    supporters: int  # distinct users whose questions support it
    created_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        require_aware("created_at", self.created_at)
