"""The knowledge base as the rest of the app sees it: entries, links, topics, and match results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from nwow.language import LANGS, Lang, available_language
from nwow.provenance import UNKNOWN, Provenance

# The language given when an entry lacks the one asked for, in this order.

MatchStatus = Literal["answered", "ambiguous", "unanswered"]


@dataclass(frozen=True)
class Link:
    key: str
    url: str
    titles: Mapping[str, str]

    def title(self, lang: str) -> str:
        """The title in `lang`, else in the first language of FALLBACK_ORDER that has one."""
        if lang in self.titles:
            return self.titles[lang]
        code = available_language(self.titles, lang)
        return self.titles[code] if code is not None else self.key


@dataclass(frozen=True)
class LocalizedContent:
    questions: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class FaqEntry:
    id: str
    topic: str
    owner: str
    reviewed: date
    related: tuple[str, ...]
    links: tuple[Link, ...]
    content: Mapping[Lang, LocalizedContent]
    provenance: Provenance = UNKNOWN  # the files require it; the default is never "validated"

    @property
    def languages(self) -> tuple[Lang, ...]:
        return tuple(lang for lang in LANGS if lang in self.content)

    def content_for(self, lang: Lang) -> tuple[Lang, LocalizedContent]:
        """The content in `lang`, or in the first available language of FALLBACK_ORDER."""
        code = available_language(self.content, lang)
        if code is not None:
            return code, self.content[code]
        raise LookupError(f"entry {self.id!r} has no content")  # the loader never builds such an entry

    def title(self, lang: Lang) -> str:
        """The first question variant, in `lang` or its fallback."""
        return self.content_for(lang)[1].questions[0]


@dataclass(frozen=True)
class KbVersion:
    entry_count: int
    content_hash: str
    loaded_at: datetime


@dataclass(frozen=True)
class TopicSummary:
    topic: str
    name: str
    entries: tuple[FaqEntry, ...]


@dataclass(frozen=True)
class Candidate:
    """An entry the question may be about. `score` is the confidence in [0, 1] (0.5 = the knowledge
    base's own threshold unless overridden); `signals` are the evidence behind it, for explanations."""

    entry_id: str
    score: float
    signals: Mapping[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Answer:
    entry: FaqEntry
    lang: Lang
    asked_lang: Lang
    score: float

    @property
    def fallback(self) -> bool:
        """True when the entry is given in another language than the question's."""
        return self.lang != self.asked_lang

    @property
    def content(self) -> LocalizedContent:
        return self.entry.content_for(self.lang)[1]


@dataclass(frozen=True)
class MatchResult:
    status: MatchStatus
    question: str
    lang: Lang
    answer: Answer | None
    choices: tuple[FaqEntry, ...]
    candidates: tuple[Candidate, ...]
