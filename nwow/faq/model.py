"""The knowledge base as the rest of the app sees it: entries, links, topics, and match results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Protocol

from nwow.language import LANGS, Lang, available_language

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


class QuestionIndex(Protocol):
    """What the knowledge base needs of its search index (nwow.faq.matcher.Index)."""

    @property
    def threshold(self) -> float:
        """The confidence below which a question is left unanswered, derived from the knowledge base."""
        ...

    @property
    def gap(self) -> float:
        """Candidates within this much confidence of the best one are offered as a choice."""
        ...

    def detect_language(self, question: str, hint: str | None) -> Lang: ...

    def match(
        self,
        kb: KnowledgeBase,
        question: str,
        lang_hint: str | None,
        *,
        threshold: float | None,
        gap: float | None,
    ) -> MatchResult: ...

    def explain(self, question: str, lang: Lang) -> dict[str, Any]:
        """How the question was read and scored (for `nwow ask`)."""
        ...


class KnowledgeBase:
    """One loaded, validated version of the FAQ folder with its search index (immutable once built)."""

    def __init__(
        self,
        entries: Mapping[str, FaqEntry],
        topics: Mapping[str, Mapping[str, str]],
        index: QuestionIndex,
        version: KbVersion,
    ) -> None:
        self._entries = dict(entries)
        self._topics = {topic: dict(names) for topic, names in topics.items()}
        self._index = index
        self._version = version

    @property
    def version(self) -> KbVersion:
        return self._version

    @property
    def index(self) -> QuestionIndex:
        return self._index

    @property
    def entries(self) -> Mapping[str, FaqEntry]:
        return self._entries

    @property
    def topics(self) -> Mapping[str, Mapping[str, str]]:
        return self._topics

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, entry_id: str) -> FaqEntry | None:
        return self._entries.get(entry_id)

    def topic_name(self, topic: str, lang: str) -> str:
        names = self._topics.get(topic, {})
        if lang in names:
            return names[lang]
        code = available_language(names, lang)
        return names[code] if code is not None else topic.replace("-", " ").capitalize()

    def topics_in(self, lang: str) -> list[TopicSummary]:
        """Every topic with its entries, for a 'browse topics' card, sorted by display name."""
        grouped: dict[str, list[FaqEntry]] = {}
        for entry in self._entries.values():
            grouped.setdefault(entry.topic, []).append(entry)
        summaries = [
            TopicSummary(topic, self.topic_name(topic, lang), tuple(sorted(items, key=lambda e: e.id)))
            for topic, items in grouped.items()
        ]
        return sorted(summaries, key=lambda s: s.name.casefold())

    def detect_language(self, text: str, hint: str | None = None) -> Lang:
        """The language of `text` (locale `hint` as tie-breaker), helped by this knowledge base's words."""
        return self._index.detect_language(text, hint)

    def match(
        self,
        question: str,
        lang_hint: str | None = None,
        *,
        threshold: float | None = None,
        gap: float | None = None,
    ) -> MatchResult:
        """What the bot answers to `question`; `lang_hint` is the client's locale (e.g. 'fr-BE').
        `threshold` and `gap` override the knowledge base's own (None: derived at load)."""
        return self._index.match(self, question, lang_hint, threshold=threshold, gap=gap)
