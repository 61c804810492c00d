"""One loaded, validated version of the FAQ folder with its search index."""

from __future__ import annotations

from collections.abc import Mapping

from nwow.faq.matcher import Index
from nwow.faq.model import FaqEntry, KbVersion, MatchResult, TopicSummary
from nwow.language import Lang, available_language

__all__ = ["KnowledgeBase"]


class KnowledgeBase:
    """One loaded, validated version of the FAQ folder with its search index (immutable once built)."""

    def __init__(
        self,
        entries: Mapping[str, FaqEntry],
        topics: Mapping[str, Mapping[str, str]],
        index: Index,
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
    def index(self) -> Index:
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
