"""Is a question about anything this knowledge base covers? Decided with the knowledge base's own words.

A question is out of scope when it has content words and none of them is known to the knowledge base in
any language: not a word of a question variant, a topic name or a link title (as written or as a stem in
nl/fr/de/en), not a term of a synonym group, not a compound starting or ending with such a word, not
within one typo of one. Answers are left out on purpose: they are written in everyday language ("weer"
is "again" in an answer and "weather" in a question). Stop words and words shorter than three letters are
not content words, so "hallo?" is not out of scope (it has none).

This is deliberately independent of the matcher's index: it needs only the entries, the topic names and
the synonym groups, and answers one yes/no question in a few microseconds per word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

from nwow.faq.model import FaqEntry
from nwow.faq.text import ALL_STOP_WORDS, stem, tokens
from nwow.language import LANGS

__all__ = ["Scope"]

MIN_CONTENT_WORD: Final = 3
MAX_WORDS: Final = 40  # a question's first 40 content words are looked at (a turn's cost stays bounded)
GENERIC_TOPICS: Final = 3  # a word in the questions of this many topics (or a quarter of them) is generic
_COMPOUND_PART: Final = 5  # the shortest known word a compound may start or end with
_TYPO_MIN: Final = 5  # words at least this long are forgiven one typo


def _stems(word: str) -> set[str]:
    return {stem(word, lang) for lang in LANGS}


class Scope:
    """The words a knowledge base knows, built once per load."""

    def __init__(
        self,
        entries: Iterable[FaqEntry],
        topic_names: Mapping[str, Mapping[str, str]],
        synonym_groups: Iterable[Sequence[str]] = (),
    ) -> None:
        # Each text with the topic it speaks about ("" for the synonym groups: they name concepts).
        texts: list[tuple[str, str]] = []
        for entry in entries:
            texts.append((entry.topic, entry.topic.replace("-", " ")))
            for content in entry.content.values():
                texts.extend((entry.topic, q) for q in content.questions)
            for link in entry.links:
                texts.extend((entry.topic, title) for title in link.titles.values())
        for topic, names in topic_names.items():
            texts.extend((topic, name) for name in names.values())
        topics_of: dict[str, set[str]] = {}
        for topic, text in texts:
            for word in tokens(text):
                if len(word) >= MIN_CONTENT_WORD and word not in ALL_STOP_WORDS:
                    topics_of.setdefault(word, set()).add(topic)
        synonyms = {w for group in synonym_groups for term in group for w in tokens(term)}
        # A word asked about in many topics ("hoeveel", "request", "jours") says nothing about the scope.
        spread = max(GENERIC_TOPICS, len(topic_names) // 4)
        surface = {w for w, topics in topics_of.items() if len(topics) < spread}
        surface |= {w for w in synonyms if len(w) >= MIN_CONTENT_WORD and w not in ALL_STOP_WORDS}
        generic = set(topics_of) - surface
        self._surface = frozenset(surface)
        self._stems = frozenset(s for word in surface for s in _stems(word) if len(s) >= MIN_CONTENT_WORD) - {
            s for word in generic for s in _stems(word)
        }
        buckets: dict[str, list[str]] = {}
        for word in sorted(surface):
            if len(word) >= _TYPO_MIN - 1:
                buckets.setdefault(word[0], []).append(word)
        self._by_letter = buckets

    def __len__(self) -> int:
        return len(self._surface)

    def knows(self, word: str) -> bool:
        """Whether a folded word is known to the knowledge base (see the module docstring)."""
        if word in self._surface or any(s in self._stems for s in _stems(word)):
            return True
        if len(word) >= 2 * _COMPOUND_PART - 1:
            for cut in range(_COMPOUND_PART, len(word) - 2):
                head, tail = word[:cut], word[cut:]
                if head in self._surface or tail in self._surface or tail in self._stems:
                    return True
        if len(word) >= _TYPO_MIN and not any(c.isdigit() for c in word):
            bucket = self._by_letter.get(word[0])
            if bucket and process.extractOne(word, bucket, scorer=OSA.distance, score_cutoff=1) is not None:
                return True
        return False

    def content_words(self, question: str) -> list[str]:
        words = [
            w
            for w in tokens(question)
            if len(w) >= MIN_CONTENT_WORD and w not in ALL_STOP_WORDS and not w.isdigit()
        ]
        return list(dict.fromkeys(words))[:MAX_WORDS]

    def covers(self, question: str) -> bool:
        """False only when the question has content words and the knowledge base knows none of them."""
        words = self.content_words(question)
        return not words or any(self.knows(w) for w in words)
