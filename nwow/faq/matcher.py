"""The search index over the question variants, built once per knowledge-base load.

How a question is scored against an entry:

1. The text is folded (case, accents) and cut into words. Synonym groups are applied first, phrases before
   single words, so "office 365", "O365" and "M365" all become the one concept token of their group.
2. Stop words of the question's language go; other words are stemmed with that language's Snowball stemmer.
   A word the index does not know is tried, in order, as a stem of another language, as a Dutch/German
   compound of known words ("thuiswerkaanvraag" -> thuiswerk + aanvraag), and as a typo of a known word
   (rapidfuzz, optimal-string-alignment distance 1 or 2, same first letter). What is still unknown stays in
   the question as an unknown word: it lowers every score, which is how out-of-scope questions fall below
   the threshold.
3. Each token weighs its inverse document frequency over the entries. Against each question variant, the
   score combines the share of the question's weight that the variant explains and the share of the
   variant's weight that the question covers (a weighted geometric mean); the entry's score mixes its best
   variant with how much of the question appears anywhere in the entry (all variants, all languages, and the
   answer at a low weight). Scores are in [0, 1]; 1 is an exact variant.

Libraries: PyStemmer (the Snowball stemmers, C, for nl/fr/de/en) and rapidfuzz (C++ edit distances with a
cut-off, so a typo lookup over the vocabulary costs microseconds). The ranking itself is the few lines in
`Index.score` rather than a BM25 package: BM25 scores are unbounded and per document, while the bot needs
a score in [0, 1] that means the same on every knowledge base (for one threshold and one ambiguity gap),
the best of several short variants per entry, and candidates found through an inverted index without
numpy. The scoring constants are in `Tuning`.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from nwow.faq.model import Answer, Candidate, FaqEntry, MatchResult
from nwow.faq.text import ALL_STOP_WORDS, STOP_WORDS, stem, stem_many, stems_in_all_languages, tokens
from nwow.language import LANGS, Lang, detect_language


class EntryLookup(Protocol):
    """What a decision needs of the knowledge base: its entries by id."""

    def entry(self, entry_id: str) -> FaqEntry | None: ...


DEFAULT_THRESHOLD: Final = 0.50
DEFAULT_GAP: Final = 0.06
MAX_CHOICES: Final = 3
# Words shorter than this are corrected for typos only into words of the question variants.
_SHORT_WORD: Final = 7


@dataclass(frozen=True)
class Tuning:
    """The scoring constants (see the module docstring); defaults are tuned on faq/tests.yml."""

    query_share: float = 0.6  # weight of "how much of the question is explained" vs the variant's share
    best_variant: float = 0.6  # weight of the best variant vs the whole-entry bag
    answer_weight: float = 0.3  # how much a word found only in the answer counts in the bag
    unknown_weight: float = 1.0  # an unknown word weighs this times the largest idf
    typo_weight: float = 0.8  # a word corrected for a typo counts this much
    compound_min_len: int = 7
    candidate_floor: float = 0.2  # entries that cannot reach this score are not looked for


_LINKERS: Final[dict[Lang, tuple[str, ...]]] = {
    "nl": ("", "s", "e", "en"),
    "de": ("", "s", "es", "n", "en", "e"),
    "fr": ("",),
    "en": ("",),
}


@dataclass(frozen=True)
class _Phrase:
    forms: tuple[frozenset[str], ...]
    concept: str


class Synonyms:
    """Synonym groups: every term of a group maps to the group's concept token."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self._words: dict[str, str] = {}
        self._phrases: dict[str, list[_Phrase]] = defaultdict(list)
        self.terms: set[str] = set()
        self.forms: set[str] = set()  # every word and stem that takes part in a group
        for group in groups:
            terms = [tokens(term) for term in group]
            terms = [t for t in terms if t]
            if not terms:
                continue
            concept = "~" + "_".join(terms[0])
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

    def lookup(self, word: str, lang: Lang) -> tuple[str | None, tuple[_Phrase, ...]]:
        """The concept of a single word and the phrases that may start with it, longest first."""
        stemmed = stem(word, lang)
        concept = self._words.get(word) or self._words.get(stemmed)
        by_word = self._phrases.get(word)
        by_stem = self._phrases.get(stemmed) if stemmed != word else None
        if by_word is None and by_stem is None:
            return concept, ()
        unique = {id(p): p for p in (*(by_word or ()), *(by_stem or ()))}
        return concept, tuple(sorted(unique.values(), key=lambda p: -len(p.forms)))

    def phrase_at(
        self, words: Sequence[str], i: int, lang: Lang, phrases: tuple[_Phrase, ...]
    ) -> tuple[str, int] | None:
        """(concept, length) of the longest phrase of `phrases` that starts at words[i], if any."""
        n = len(words)
        for phrase in phrases:
            size = len(phrase.forms)
            if i + size <= n and all(
                words[i + k] in phrase.forms[k] or stem(words[i + k], lang) in phrase.forms[k]
                for k in range(1, size)
            ):
                return phrase.concept, size
        return None

    def apply(self, words: Sequence[str], lang: Lang) -> list[tuple[str, bool]]:
        """(token, is_concept) pairs: concepts replace the words and phrases of synonym groups."""
        out: list[tuple[str, bool]] = []
        i = 0
        n = len(words)
        while i < n:
            concept, phrases = self.lookup(words[i], lang)
            found = self.phrase_at(words, i, lang, phrases) if phrases else None
            if found is not None:
                out.append((found[0], True))
                i += found[1]
                continue
            out.append((concept, True) if concept else (words[i], False))
            i += 1
        return out


@dataclass
class _Variant:
    entry: int
    lang: Lang
    keys: frozenset[str]
    weight: float = 0.0


@dataclass
class _QueryToken:
    key: str  # the index key, or the word itself when unknown
    weight: float
    known: bool


@dataclass
class QueryAnalysis:
    lang: Lang
    tokens: list[_QueryToken] = field(default_factory=list)

    @property
    def total_weight(self) -> float:
        return sum(t.weight for t in self.tokens)


class _Speller:
    """Nearest known word within a few edits (rapidfuzz, optimal string alignment).

    Words are bucketed by first letter and length, so a lookup only compares words that can be within
    the limit; among equally close words the one given first (the most frequent) wins.
    """

    def __init__(self, words: Iterable[str]) -> None:
        buckets: dict[tuple[str, int], tuple[list[str], list[int]]] = {}
        for rank, word in enumerate(words):
            bucket = buckets.setdefault((word[0], len(word)), ([], []))
            bucket[0].append(word)
            bucket[1].append(rank)
        self._buckets = buckets

    def closest(self, word: str, limit: int) -> str | None:
        if not word:
            return None
        first, size = word[0], len(word)
        best: tuple[float, int, str] | None = None
        for delta in range(-limit, limit + 1):
            bucket = self._buckets.get((first, size + delta))
            if bucket is None:
                continue
            found = process.extractOne(word, bucket[0], scorer=OSA.distance, score_cutoff=limit)
            if found is not None:
                candidate = (found[1], bucket[1][found[2]], found[0])
                if best is None or candidate < best:
                    best = candidate
        return best[2] if best is not None else None


class Index:
    """Inverted index over question variants and answers, immutable once built.

    Answering only fills bounded caches (typo corrections, compound splits); it never touches the disk.
    """

    def __init__(
        self,
        entries: Sequence[FaqEntry],
        synonym_groups: Iterable[Sequence[str]] = (),
        tuning: Tuning | None = None,
    ) -> None:
        self.tuning = tuning or Tuning()
        self._entries = list(entries)
        self._synonyms = Synonyms(synonym_groups)
        self._compounds: dict[tuple[str, Lang], tuple[str, ...] | None] = {}
        self._fuzzy_cache: dict[str, str | None] = {}
        self._indexed_words: dict[
            tuple[Lang, bool], dict[str, tuple[tuple[_Phrase, ...], tuple[str, ...]]]
        ] = {}

        # Surface vocabulary of the questions: words as written (folded), for compounds and typos.
        surface: dict[str, int] = defaultdict(int)
        self.language_vocabulary: dict[Lang, set[str]] = {lang: set() for lang in LANGS}
        for entry in self._entries:
            for lang, content in entry.content.items():
                for question in content.questions:
                    for word in tokens(question):
                        surface[word] += 1
                        if word not in ALL_STOP_WORDS:
                            self.language_vocabulary[lang].add(word)
        for lang, words in STOP_WORDS.items():
            self.language_vocabulary[lang].update(words)
        self._question_surface = frozenset(surface)
        listed = list(surface)
        self._question_stems = frozenset(stem_many(listed, "nl")) | frozenset(stem_many(listed, "de"))

        variants: list[_Variant] = []
        bags: list[dict[str, float]] = []
        surface_keys: dict[str, str] = {}
        for number, entry in enumerate(self._entries):
            bag: dict[str, float] = {}
            for lang, content in entry.content.items():
                for question in content.questions:
                    keys = self._analyse_indexed(question, lang, surface_keys)
                    if keys:
                        variants.append(_Variant(number, lang, frozenset(keys)))
                        for key in keys:
                            bag[key] = 1.0
                for key in self._analyse_indexed(content.answer, lang, surface_keys, compounds=False):
                    bag.setdefault(key, self.tuning.answer_weight)
            bags.append(bag)

        df: dict[str, int] = defaultdict(int)
        for bag in bags:
            for key in bag:
                df[key] += 1
        n = max(len(self._entries), 1)
        self._idf: dict[str, float] = {
            key: math.log(1.0 + (n - count + 0.5) / (count + 0.5)) for key, count in df.items()
        }
        self._max_idf = math.log(1.0 + (n + 0.5) / 0.5)

        self._entry_variants: list[list[int]] = [[] for _ in self._entries]
        for number, variant in enumerate(variants):
            self._entry_variants[variant.entry].append(number)
        self._bags = bags
        self._postings: dict[str, list[int]] = defaultdict(list)
        for number, variant in enumerate(variants):
            variant.weight = sum(self._idf[k] for k in variant.keys) or 1.0
            for key in variant.keys:
                self._postings[key].append(number)
        self._variant_weight = [v.weight for v in variants]
        self._variant_entry = [v.entry for v in variants]
        self._variant_keys = [v.keys for v in variants]
        self._surface_keys = surface_keys

        # Typo candidates: known surface words and stems (not stop words), by first letter, frequent first.
        fuzzy_map: dict[str, str] = {}
        for word in sorted(surface_keys, key=lambda w: (-surface.get(w, 0), w)):
            if surface_keys[word] in self._idf:
                fuzzy_map.setdefault(word, surface_keys[word])
        for key in self._idf:
            if not key.startswith("~"):
                fuzzy_map.setdefault(key, key)
        for term in sorted(self._synonyms.terms):
            concept, is_concept = self._synonyms.apply([term], "en")[0]
            if is_concept and concept in self._idf:
                fuzzy_map.setdefault(term, concept)
        self._fuzzy_map = fuzzy_map
        fuzzy_words = [w for w in fuzzy_map if len(w) >= 4 and not w.isdigit() and w not in ALL_STOP_WORDS]
        self._fuzzy_words = _Speller(fuzzy_words)
        # Short words have many neighbours: they are only corrected into words people ask with.
        self._fuzzy_words_short = _Speller(w for w in fuzzy_words if fuzzy_map[w] in self._postings)
        self._indexed_words.clear()  # only needed while building

        # Respelling candidates: every word written in the FAQ, synonym terms and stop words.
        spelling = set(surface_keys) | self._synonyms.terms | ALL_STOP_WORDS
        ordered = [
            w
            for w in sorted(spelling, key=lambda w: (-surface.get(w, 0), w))
            if len(w) >= 4 and not any(c.isdigit() for c in w)
        ]
        self._spelling = _Speller(ordered)
        asked = self._question_surface | self._synonyms.terms | ALL_STOP_WORDS
        self._spelling_short = _Speller(w for w in ordered if w in asked)
        self._respell_cache: dict[str, str | None] = {}

    # ----------------------------------------------------------------------------------------------
    # Analysis

    def _analyse_indexed(
        self,
        text: str,
        lang: Lang,
        surface_keys: dict[str, str],
        *,
        compounds: bool = True,
    ) -> list[str]:
        keys: list[str] = []
        cache = self._indexed_words.setdefault((lang, compounds), {})
        synonyms = self._synonyms
        words = tokens(text)
        i = 0
        n = len(words)
        while i < n:
            word = words[i]
            found = cache.get(word)
            if found is None:
                concept, phrases = synonyms.lookup(word, lang)
                word_keys = (
                    (concept,) if concept else self._index_word(word, lang, surface_keys, compounds=compounds)
                )
                found = (phrases, word_keys)
                cache[word] = found
            if found[0]:
                phrase = synonyms.phrase_at(words, i, lang, found[0])
                if phrase is not None:
                    keys.append(phrase[0])
                    i += phrase[1]
                    continue
            keys.extend(found[1])
            i += 1
        return keys

    def _index_word(
        self, word: str, lang: Lang, surface_keys: dict[str, str], *, compounds: bool
    ) -> tuple[str, ...]:
        if word in STOP_WORDS[lang]:
            return ()
        parts = self._split_compound(word, lang) if compounds and lang in ("nl", "de") else None
        if parts:
            return parts
        key = stem(word, lang)
        surface_keys.setdefault(word, key)
        return (key,)

    def _known_key(self, word: str, lang: Lang) -> str | None:
        key = stem(word, lang)
        if key in self._idf:
            return key
        mapped = self._surface_keys.get(word)
        if mapped is not None and mapped in self._idf:
            return mapped
        for other in LANGS:
            key = stem(word, other)
            if key in self._idf:
                return key
        return None

    def _split_compound(self, word: str, lang: Lang) -> tuple[str, ...] | None:
        """Keys of the known words that `word` is made of (2 or 3 parts), or None."""
        if len(word) < self.tuning.compound_min_len or word.isdigit():
            return None
        cache_key = (word, lang)
        if cache_key in self._compounds:
            return self._compounds[cache_key]
        languages: tuple[Lang, ...] = (lang,) if lang in ("nl", "de") else ("nl", "de")
        result: tuple[str, ...] | None = None
        for language in languages:
            result = self._segment(word, language, 3)
            if result:
                break
        _remember(self._compounds, cache_key, result)
        return result

    def _segment(self, word: str, lang: Lang, max_parts: int) -> tuple[str, ...] | None:
        known_surface = self._question_surface
        known_stems = self._question_stems
        linkers = _LINKERS[lang]

        def known(part: str) -> str | None:
            if len(part) < 3:
                return None
            concept, is_concept = self._synonyms.apply([part], lang)[0]
            if is_concept:
                return concept
            if part in ALL_STOP_WORDS:
                return None
            if part in known_surface or stem(part, lang) in known_stems:
                return stem(part, lang)
            return None

        def solve(rest: str, parts_left: int, first: bool) -> tuple[str, ...] | None:
            if not first:
                whole = known(rest)
                if whole is not None:
                    return (whole,)
            if parts_left <= 1:
                return None
            for cut in range(len(rest) - 3, 2, -1):
                head = known(rest[:cut])
                if head is None:
                    continue
                for linker in linkers:
                    tail = rest[cut:]
                    if linker and not tail.startswith(linker):
                        continue
                    found = solve(tail[len(linker) :], parts_left - 1, False)
                    if found:
                        return (head, *found)
            return None

        return solve(word, max_parts, True)

    def _fuzzy(self, word: str, lang: Lang) -> str | None:
        """The index key of the known word or stem within a typo or two of `word`, if any."""
        cache_key = f"{lang}:{word}"
        if cache_key in self._fuzzy_cache:
            return self._fuzzy_cache[cache_key]
        result: str | None = None
        if len(word) >= 5 and not any(c.isdigit() for c in word):
            # The word itself (1 edit, 2 from 8 letters), then its stem for long inflected words.
            probes = [(word, 1 if len(word) < 8 else 2)]
            stemmed = stem(word, lang)
            if len(stemmed) >= 7 and stemmed != word:
                probes.append((stemmed, 1))
            for probe, limit in probes:
                speller = self._fuzzy_words if len(probe) >= _SHORT_WORD else self._fuzzy_words_short
                found = speller.closest(probe, limit)
                if found is not None:
                    result = self._fuzzy_map[found]
                    break
        _remember(self._fuzzy_cache, cache_key, result)
        return result

    def _recognised(self, word: str, lang: Lang) -> bool:
        """Whether `word` means something as written: a stop word, number, synonym, or known word."""
        if len(word) < 5 or word in ALL_STOP_WORDS or any(c.isdigit() for c in word):
            return True
        forms = self._synonyms.forms
        if word in self._surface_keys or word in forms or stem(word, lang) in forms:
            return True
        if self._known_key(word, lang) is not None:
            return True
        parts = self._split_compound(word, lang)
        return bool(parts) and all(p in self._idf for p in parts or ())

    def _respell(self, word: str) -> str | None:
        """The word of the FAQ (or a stop word) within a typo or two of `word`, if any."""
        if word in self._respell_cache:
            return self._respell_cache[word]
        speller = self._spelling if len(word) >= _SHORT_WORD else self._spelling_short
        result = speller.closest(word, 1 if len(word) < 8 else 2)
        _remember(self._respell_cache, word, result)
        return result

    def analyse(self, question: str, lang: Lang) -> QueryAnalysis:
        """The weighted tokens of a question in `lang`."""
        analysis = QueryAnalysis(lang)
        unknown = self._max_idf * self.tuning.unknown_weight
        seen: set[str] = set()

        def add(key: str, factor: float = 1.0) -> None:
            if key in seen:
                return
            seen.add(key)
            analysis.tokens.append(_QueryToken(key, self._idf[key] * factor, True))

        # Typos first, on the words as written, so that phrases ("police on web") still match.
        respelled: set[str] = set()
        words: list[str] = []
        for word in tokens(question):
            if not self._recognised(word, lang):
                better = self._respell(word)
                if better is not None:
                    respelled.add(better)
                    word = better
            words.append(word)

        for word, is_concept in self._synonyms.apply(words, lang):
            if is_concept:
                if word in self._idf:
                    add(word)
                elif word not in seen:
                    seen.add(word)
                    analysis.tokens.append(_QueryToken(word, unknown, False))
                continue
            if word in STOP_WORDS[lang]:
                continue
            key = self._known_key(word, lang)
            if key is not None:
                add(key, self.tuning.typo_weight if word in respelled else 1.0)
                continue
            if word in ALL_STOP_WORDS:
                continue
            parts = self._split_compound(word, lang)
            if parts and all(p in self._idf for p in parts):
                for part in parts:
                    add(part)
                continue
            corrected = self._fuzzy(word, lang)
            if corrected is not None:
                add(corrected, self.tuning.typo_weight)
                continue
            if word not in seen:
                seen.add(word)
                analysis.tokens.append(_QueryToken(word, unknown, False))
        return analysis

    def detect_language(self, question: str, hint: str | None) -> Lang:
        return detect_language(question, hint, vocabulary=self.language_vocabulary)

    # ----------------------------------------------------------------------------------------------
    # Scoring

    def score(self, analysis: QueryAnalysis, limit: int = 10) -> list[Candidate]:
        """The `limit` best entries that share a word with the question, best first.

        Words are taken rarest first. Once the words left weigh too little for an entry that has none
        of the earlier words to reach `Tuning.candidate_floor`, they only add to the entries already
        found; on large knowledge bases this skips the long posting lists of common words.
        """
        total = analysis.total_weight
        if total <= 0:
            return []
        tuning = self.tuning
        alpha = tuning.query_share
        lam = tuning.best_variant
        known = sorted((t for t in analysis.tokens if t.known), key=lambda t: -t.weight)
        remaining = sum(t.weight for t in known)
        hits: dict[int, float] = {}
        entries: set[int] = set()
        late: list[_QueryToken] = []
        variant_entry = self._variant_entry
        for token in known:
            share = remaining / total
            if entries and lam * share**alpha + (1.0 - lam) * share < tuning.candidate_floor:
                late.append(token)
                continue
            remaining -= token.weight
            weight = token.weight
            for number in self._postings.get(token.key, ()):
                hits[number] = hits.get(number, 0.0) + weight
                entries.add(variant_entry[number])
        for token in late:
            for entry in entries:
                if token.key in self._bags[entry]:
                    for number in self._entry_variants[entry]:
                        if token.key in self._variant_keys[number]:
                            hits[number] = hits.get(number, 0.0) + token.weight
        best_variant: dict[int, float] = {}
        variant_weight = self._variant_weight
        for number, hit in hits.items():
            query_share = min(hit / total, 1.0)
            variant_share = min(hit / variant_weight[number], 1.0)
            value = query_share**alpha * variant_share ** (1.0 - alpha)
            entry = variant_entry[number]
            if value > best_variant.get(entry, 0.0):
                best_variant[entry] = value
        scores: dict[int, float] = {}
        for entry in entries:
            bag = self._bags[entry]
            in_bag = sum(t.weight * bag.get(t.key, 0.0) for t in known)
            scores[entry] = lam * best_variant.get(entry, 0.0) + (1.0 - lam) * min(in_bag / total, 1.0)
        best = heapq.nlargest(limit * 2, scores, key=scores.__getitem__)
        ranked = sorted((Candidate(self._entries[e].id, round(scores[e], 4)) for e in best), key=_rank)
        return ranked[:limit]

    def match(
        self,
        kb: EntryLookup,
        question: str,
        lang_hint: str | None,
        *,
        threshold: float,
        gap: float,
    ) -> MatchResult:
        lang = self.detect_language(question, lang_hint)
        candidates = self.score(self.analyse(question, lang))
        return decide(kb, question, lang, candidates, threshold=threshold, gap=gap)


def _rank(candidate: Candidate) -> tuple[float, str]:
    return (-candidate.score, candidate.entry_id)


def decide(
    kb: EntryLookup,
    question: str,
    lang: Lang,
    candidates: Sequence[Candidate],
    *,
    threshold: float,
    gap: float,
) -> MatchResult:
    """Answered, ambiguous or unanswered, from the ranked candidates."""
    shown = tuple(candidates[:5])
    if not candidates or candidates[0].score < threshold:
        return MatchResult("unanswered", question, lang, None, (), shown)
    top = candidates[0].score
    close = [c for c in candidates[:MAX_CHOICES] if c.score >= threshold and top - c.score <= gap]
    if len(close) >= 2:
        choices = tuple(e for e in (kb.entry(c.entry_id) for c in close) if e is not None)
        return MatchResult("ambiguous", question, lang, None, choices, shown)
    entry = kb.entry(candidates[0].entry_id)
    if entry is None:  # the index and the entries come from the same load
        return MatchResult("unanswered", question, lang, None, (), shown)
    content_lang, _ = entry.content_for(lang)
    return MatchResult("answered", question, lang, Answer(entry, content_lang, lang, top), (), shown)


_CACHE_LIMIT: Final = 100_000
K = TypeVar("K")
V = TypeVar("V")


def _remember(cache: dict[K, V], key: K, value: V) -> None:
    """Keep `value` in a per-index cache of answers to repeated words; emptied when it reaches the limit
    (questions are open text, so an unbounded cache would grow with every new word)."""
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
