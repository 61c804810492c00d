"""Synonym groups (faq/synonyms.yml): terms of one group share a concept token ("~mfa", "~thuiswerk").

The concept is evidence ADDED to the words, never a replacement: "telewerk" stays the word telewerk and
is also the concept ~thuiswerk, so a question that breaks a phrase or words it differently still keeps
its own words. A term is matched as written or by its stem in any of the four languages; a phrase
("von zu Hause arbeiten") also matches with up to two stop words between its words ("von zu Hause aus
arbeiten"), since that is how people pad phrases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from nwow.faq.text import stem, stems_in_all_languages, tokens
from nwow.language import Lang

_MAX_SKIPPED: Final = 2


@dataclass(frozen=True)
class _Phrase:
    forms: tuple[frozenset[str], ...]
    concept: str


@dataclass(frozen=True)
class PhraseHit:
    concept: str
    positions: tuple[int, ...]


class Synonyms:
    """Every term of a group maps to the group's concept token (first term's words joined by '_')."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self._words: dict[str, str] = {}
        self._phrases: dict[str, list[_Phrase]] = defaultdict(list)
        self.terms: set[str] = set()  # every word written in a group
        self.forms: set[str] = set()  # every word and stem that takes part in a group
        self.concepts: dict[str, tuple[str, ...]] = {}  # concept -> its terms as written (folded)
        for group in groups:
            terms = [tokens(term) for term in group]
            terms = [t for t in terms if t]
            if not terms:
                continue
            concept = "~" + "_".join(terms[0])
            self.concepts[concept] = tuple(" ".join(t) for t in terms)
            for words in terms:
                self.terms.update(words)
                if len(words) == 1:
                    for form in {words[0]} | stems_in_all_languages(words[0]):
                        self._words.setdefault(form, concept)
                        self.forms.add(form)
                else:
                    forms = tuple(frozenset({w} | stems_in_all_languages(w)) for w in words)
                    self.forms.update(*forms)
                    for first in forms[0]:
                        self._phrases[first].append(_Phrase(forms, concept))
        for phrases in self._phrases.values():
            phrases.sort(key=_longest)

    def concept_of(self, word: str, lang: Lang) -> str | None:
        """The concept of one word (as written or by its stem in `lang`)."""
        return self._words.get(word) or self._words.get(stem(word, lang))

    def phrases(self, words: Sequence[str], lang: Lang, skippable: Container[str]) -> list[PhraseHit]:
        """Every phrase of a group found in `words` (the longest one starting at each word)."""
        hits: list[PhraseHit] = []
        if not self._phrases:
            return hits
        for i, word in enumerate(words):
            candidates = self._phrases.get(word)
            stemmed = stem(word, lang)
            if stemmed != word:
                more = self._phrases.get(stemmed)
                if more:
                    candidates = sorted(
                        {id(p): p for p in (*(candidates or ()), *more)}.values(), key=_longest
                    )
            for phrase in candidates or ():
                positions = _match(phrase, words, i, lang, skippable)
                if positions is not None:
                    hits.append(PhraseHit(phrase.concept, positions))
                    break
        return hits


def _longest(phrase: _Phrase) -> int:
    return -len(phrase.forms)


def _match(
    phrase: _Phrase, words: Sequence[str], start: int, lang: Lang, skippable: Container[str]
) -> tuple[int, ...] | None:
    positions = [start]
    at = start + 1
    for form in phrase.forms[1:]:
        skipped = 0
        while at < len(words) and not _fits(words[at], form, lang):
            if words[at] not in skippable or skipped == _MAX_SKIPPED:
                return None
            skipped += 1
            at += 1
        if at >= len(words):
            return None
        positions.append(at)
        at += 1
    return tuple(positions)


def _fits(word: str, form: frozenset[str], lang: Lang) -> bool:
    return word in form or stem(word, lang) in form
