"""Where a piece of content comes from and whether its owner has validated it (FAQ entries, offices).

In the files: `source: none`, `source: {document: "...", year: 2019}` or a list of such documents;
`status: draft` or `status: validated` with `validated_by` and `validated_on`. The schemas require `source` and `status`, so nothing reads as
validated policy unless someone said so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

Status = Literal["draft", "validated"]
STATUSES: Final[tuple[Status, ...]] = ("draft", "validated")


@dataclass(frozen=True)
class SourceDocument:
    document: str
    year: int | None  # None: the document does not say which year its facts refer to

    def __str__(self) -> str:
        return f"{self.document} ({self.year if self.year is not None else 'year not stated'})"


@dataclass(frozen=True)
class Provenance:
    status: Status = "draft"
    sources: tuple[SourceDocument, ...] = ()  # empty: `source: none`, no document behind it
    validated_by: str | None = None
    validated_on: date | None = None

    @property
    def validated(self) -> bool:
        return self.status == "validated"

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> Provenance:
        """From the fields of an entry or office that passed its schema."""
        source = fields.get("source")
        documents = [source] if isinstance(source, Mapping) else source if isinstance(source, list) else []
        on = fields.get("validated_on")
        return cls(
            status="validated" if fields.get("status") == "validated" else "draft",
            sources=tuple(
                SourceDocument(str(d["document"]).strip(), int(d["year"]) if "year" in d else None)
                for d in documents
            ),
            validated_by=str(fields["validated_by"]).strip() if fields.get("validated_by") else None,
            validated_on=date.fromisoformat(on) if isinstance(on, str) else None,
        )


# The default of the models: what content without provenance is (never validated).
UNKNOWN: Final = Provenance()


@dataclass(frozen=True)
class ProvenanceCounts:
    """How many items per status and per source document (`None`: none; an item with two documents
    counts for each)."""

    total: int
    by_status: Mapping[Status, int]
    by_source: Mapping[SourceDocument | None, int]

    @classmethod
    def of(cls, items: Iterable[Provenance]) -> ProvenanceCounts:
        listed = list(items)
        statuses = Counter(p.status for p in listed)
        return cls(
            len(listed),
            {status: statuses.get(status, 0) for status in STATUSES},
            dict(Counter(source for p in listed for source in (p.sources or (None,)))),
        )

    def status_text(self) -> str:
        """ "draft 71, validated 0" """
        return ", ".join(f"{status} {count}" for status, count in self.by_status.items())

    def source_text(self) -> str:
        """ "no source document 52; Jaarverslag … 2019 (2019) 19", documents by name."""
        documents = sorted(
            (s for s in self.by_source if s is not None), key=lambda s: (s.document, s.year or 0)
        )
        parts = [f"{document} {self.by_source[document]}" for document in documents]
        if None in self.by_source:
            parts.insert(0, f"no source document {self.by_source[None]}")
        return "; ".join(parts) or "none"
