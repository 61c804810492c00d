"""Reading a question the way staff type it, into weighed units of meaning for the lexical signal.

A question is folded and cut into words (`text.question_words`: bounded, contractions spelled out), then:

1. chat shorthand is spelled out ("mn" -> mijn, "mdp" -> mot de passe; `shorthand.py`);
2. a word the knowledge base does not know is respelled when it is a typo of one of its words or of a
   stop word (rapidfuzz, one edit, two from eight letters), or cut into the known words it is made of
   ("thuiswerkaanvraag" -> thuiswerk aanvraag, "zuhause" -> zu hause);
3. Dutch and German separable verbs are put back together when the whole verb is a word of the
   knowledge base ("vraag ... aan" -> aanvraag, "richte ... ein" -> einrichte);
4. synonym groups add their concept to the words they cover (`synonyms.py`);
5. each remaining word that is no stop word becomes a unit: its index keys (the Snowball stem in the
   question's language, else in another one; its concept), or the key of a close typo (counted 0.8), or
   an unknown word.

The knowledge base's variants go through the same steps (without the typo step) to give the index keys;
a long word there also gives the keys of the known words it is made of, so "satellietbureau" asked finds
"satellietkantoor" written through "satelliet".

Cost is bounded whatever is sent: `text.question_words` reads a fixed number of words; at most
`MAX_REPAIRED_WORDS` unknown words are respelled or split; a word is split only up to
`MAX_COMPOUND_LENGTH` letters (a linear-time dynamic programme over set look-ups) and respelled only up to
`speller.MAX_SPELLED_LENGTH`. `Work` counts what was done, for tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from nwow.faq.shorthand import expand_shorthand
from nwow.faq.speller import MAX_SPELLED_LENGTH, Speller
from nwow.faq.synonyms import Synonyms
from nwow.faq.text import (
    ALL_LIGHT_WORDS,
    ALL_STOP_WORDS,
    STOP_WORDS,
    question_words,
    stem,
    stem_many,
)
from nwow.language import LANGS, Lang

MAX_REPAIRED_WORDS: Final = 12
MAX_COMPOUND_LENGTH: Final = 32
MIN_COMPOUND_LENGTH: Final = 6
_MAX_PART: Final = 20
_MIN_PART: Final = 3
_MAX_PARTS: Final = 3
TYPO_FACTOR: Final = 0.8
# Words shorter than this are corrected for typos only into words of the question variants.
_SHORT_WORD: Final = 7
_VERB_REACH: Final = 6

_LINKERS: Final[Mapping[Lang, tuple[str, ...]]] = {
    "nl": ("", "s", "e", "en"),
    "de": ("", "s", "es", "n", "en", "e"),
    "fr": ("",),
    "en": ("",),
}
# Separable verb particles, folded ("aan" in "vraag ... aan", "ein" in "richte ... ein").
PARTICLES: Final[Mapping[Lang, frozenset[str]]] = {
    "nl": frozenset(
        [
            "aan",
            "af",
            "bij",
            "binnen",
            "door",
            "in",
            "mee",
            "na",
            "neer",
            "om",
            "onder",
            "op",
            "over",
            "terug",
            "toe",
            "uit",
            "vast",
            "voor",
            "weg",
            "los",
            "open",
            "dicht",
            "samen",
        ]
    ),
    "de": frozenset(
        [
            "ab",
            "an",
            "auf",
            "aus",
            "bei",
            "durch",
            "ein",
            "fest",
            "her",
            "herunter",
            "hin",
            "hoch",
            "los",
            "mit",
            "nach",
            "runter",
            "um",
            "vor",
            "weg",
            "weiter",
            "wieder",
            "zu",
            "zuruck",
            "zusammen",
        ]
    ),
}
# Verbs on the stop lists that take a separable particle ("vraag ... aan").
_STOP_VERBS: Final[Mapping[Lang, frozenset[str]]] = {
    "nl": frozenset(["doe", "doet", "doen", "ga", "gaat", "gaan", "heb", "hebt", "heeft", "hebben"]),
    "de": frozenset(["mache", "macht", "machen", "gibt", "geht", "habe", "hat", "haben"]),
}
# Leading stop words that start a written-together form: "zuhause" is "zu hause".
_BOUND_STOP_WORDS: Final = frozenset({"zu", "te", "na", "op", "in", "van", "von", "aan"})


@dataclass(frozen=True)
class Unit:
    """One meaningful part of a question: its index keys with how much each counts (best first)."""

    text: str
    keys: tuple[tuple[str, float], ...]
    known: bool

    @property
    def primary(self) -> str:
        return self.keys[0][0] if self.keys else self.text


@dataclass
class Work:
    """What reading one question cost: words read, words repaired, compound split steps, speller calls."""

    words: int = 0
    repaired: int = 0
    split_steps: int = 0
    speller_calls: int = 0


@dataclass
class QueryAnalysis:
    lang: Lang
    words: list[str]
    units: list[Unit] = field(default_factory=list)
    work: Work = field(default_factory=Work)

    @property
    def text(self) -> str:
        """The question as the matcher read it (shorthand spelled out, typos repaired)."""
        return " ".join(self.words)


class Vocabulary:
    """The words the knowledge base's questions use, for telling known words from unknown ones."""

    def __init__(self, questions: Iterable[Sequence[str]], synonyms: Synonyms) -> None:
        """`questions`: the words of every question variant (`text.question_words`)."""
        counts: Counter[str] = Counter()
        for words in questions:
            counts.update(words)
        self.synonyms = synonyms
        self.counts = counts
        self.surface = frozenset(counts)
        listed = sorted(self.surface | synonyms.terms)
        self.stems = {lang: frozenset(stem_many(listed, lang)) for lang in LANGS}
        every_stem = frozenset().union(*self.stems.values())
        self.part_forms = frozenset(
            w for w in (*listed, *every_stem) if len(w) >= _MIN_PART and w not in ALL_STOP_WORDS
        )

    def knows(self, word: str, lang: Lang) -> bool:
        """Whether `word` is a word of the questions (or of a synonym group), as written or by its stem
        in `lang`."""
        if word in self.surface or word in self.synonyms.forms:
            return True
        return stem(word, lang) in self.stems[lang]


class Analyzer:
    """Turns questions and question variants into index keys; knows the keys once the index is built."""

    def __init__(self, vocabulary: Vocabulary, common_words: Container[str] = frozenset()) -> None:
        """`common_words`: everyday words of the languages (the sentence encoder's vocabulary); a word
        among them is no typo, even when the knowledge base does not use it ("staat" is not "start")."""
        self.vocabulary = vocabulary
        self._common = common_words
        self.synonyms = vocabulary.synonyms
        self._keys: Mapping[str, float] = {}
        self._surface_keys: dict[str, str] = {}
        self._fuzzy_map: dict[str, str] = {}
        self._fuzzy = Speller(())
        self._fuzzy_short = Speller(())
        self._spelling = Speller(())
        self._spelling_short = Speller(())
        self._split_cache: dict[tuple[str, Lang], tuple[str, ...] | None] = {}
        self._variant_cache: dict[tuple[str, Lang], tuple[str, ...]] = {}

    # ----------------------------------------------------------------------------------------------
    # The knowledge base's side

    def variant_keys(self, words: Sequence[str], lang: Lang) -> list[str]:
        """The index keys of a question variant (or an answer) in `lang` given as its words."""
        words = self._join_separable(list(words), lang, Work())
        concepts, standalone = self._concepts(words, lang)
        keys = list(standalone)
        stop = STOP_WORDS[lang]
        for i, word in enumerate(words):
            if word in stop:
                continue
            cached = self._variant_cache.get((word, lang))
            if cached is None:
                cached = self._word_keys(word, lang)
                self._variant_cache[(word, lang)] = cached
                self._surface_keys.setdefault(word, cached[0])
            keys.extend(cached)
            keys.extend(concepts[i])
        return keys

    def _word_keys(self, word: str, lang: Lang) -> tuple[str, ...]:
        keys = [stem(word, lang)]
        concept = self.synonyms.concept_of(word, lang)
        if concept:
            keys.append(concept)
        parts = self.split(word, lang, Work()) if lang in ("nl", "de") else None
        for part in parts or ():
            if part in STOP_WORDS[lang]:
                continue
            keys.append(stem(part, lang))
            part_concept = self.synonyms.concept_of(part, lang)
            if part_concept:
                keys.append(part_concept)
        return tuple(dict.fromkeys(keys))

    def learn(self, keys: Mapping[str, float]) -> None:
        """Take the index's keys (with their weights): typo look-ups are built over them."""
        self._keys = keys
        self._variant_cache.clear()
        counts = self.vocabulary.counts
        fuzzy_map: dict[str, str] = {}
        for word in sorted(self._surface_keys, key=lambda w: (-counts.get(w, 0), w)):
            if self._surface_keys[word] in keys:
                fuzzy_map.setdefault(word, self._surface_keys[word])
        for key in keys:
            if not key.startswith("~"):
                fuzzy_map.setdefault(key, key)
        for term in sorted(self.synonyms.terms):
            concept = self.synonyms.concept_of(term, "en")
            if concept is not None and concept in keys:
                fuzzy_map.setdefault(term, concept)
        self._fuzzy_map = fuzzy_map
        fuzzy_words = [w for w in fuzzy_map if len(w) >= 4 and not w.isdigit() and w not in ALL_STOP_WORDS]
        self._fuzzy = Speller(fuzzy_words)
        asked = {key for word, key in self._surface_keys.items() if word in self.vocabulary.surface}
        self._fuzzy_short = Speller(w for w in fuzzy_words if fuzzy_map[w] in asked)
        spelling = set(self._surface_keys) | self.synonyms.terms | ALL_STOP_WORDS
        ordered = [
            w
            for w in sorted(spelling, key=lambda w: (-counts.get(w, 0), w))
            if len(w) >= 4 and not any(c.isdigit() for c in w)
        ]
        self._spelling = Speller(ordered)
        said = self.vocabulary.surface | self.synonyms.terms | ALL_STOP_WORDS
        self._spelling_short = Speller(w for w in ordered if w in said)

    # ----------------------------------------------------------------------------------------------
    # The question's side

    def analyse(self, question: str, lang: Lang) -> QueryAnalysis:
        """The units of meaning of a question written in `lang`."""
        work = Work()
        words = question_words(question)
        work.words = len(words)
        words = expand_shorthand(words, lang, self.vocabulary.surface)
        words, respelled = self._repair(words, lang, work)
        words = self._join_separable(words, lang, work)
        analysis = QueryAnalysis(lang, words, work=work)
        concepts, standalone = self._concepts(words, lang)
        seen: set[str] = set()

        def add(unit: Unit) -> None:
            if unit.primary not in seen:
                seen.add(unit.primary)
                analysis.units.append(unit)

        for concept in standalone:
            if concept in self._keys:
                add(Unit(concept, ((concept, 1.0),), True))
        stop = STOP_WORDS[lang]
        for i, word in enumerate(words):
            if word in stop:
                continue
            factor = TYPO_FACTOR if i in respelled else 1.0
            alternatives = [(c, factor) for c in concepts[i] if c in self._keys]
            key = self.known_key(word, lang)
            if key is not None:
                alternatives.insert(0, (key, factor))
            elif not alternatives and (word in ALL_STOP_WORDS or word in ALL_LIGHT_WORDS):
                continue
            elif not alternatives:
                corrected = self._correct(word, lang, work)
                if corrected is not None:
                    alternatives.append((corrected, TYPO_FACTOR))
            if alternatives:
                ordered = sorted(dict(alternatives).items(), key=lambda kv: -self._keys.get(kv[0], 0.0))
                # The concept (the meaning) weighs the unit when there is one, else the word itself.
                ordered.sort(key=lambda kv: not kv[0].startswith("~"))
                add(Unit(word, tuple(ordered), True))
            else:
                add(Unit(word, (), False))
        return analysis

    def known_key(self, word: str, lang: Lang) -> str | None:
        """The index key of `word`: its stem in `lang`, as indexed, or its stem in another language."""
        keys = self._keys
        key = stem(word, lang)
        if key in keys:
            return key
        mapped = self._surface_keys.get(word)
        if mapped is not None and mapped in keys:
            return mapped
        for other in LANGS:
            if other != lang:
                key = stem(word, other)
                if key in keys:
                    return key
        return None

    def _recognised(self, word: str, lang: Lang) -> bool:
        """Whether `word` means something as written: a stop word, number, synonym or known word."""
        if (
            len(word) < 5
            or word in ALL_STOP_WORDS
            or word in ALL_LIGHT_WORDS
            or any(c.isdigit() for c in word)
        ):
            return True
        if word in self._surface_keys or self.synonyms.concept_of(word, lang) is not None:
            return True
        return self.known_key(word, lang) is not None

    def _repair(self, words: list[str], lang: Lang, work: Work) -> tuple[list[str], set[int]]:
        """Respell typos and cut unknown compounds into their words; the positions of respelled words."""
        out: list[str] = []
        respelled: set[int] = set()
        for word in words:
            if work.repaired >= MAX_REPAIRED_WORDS or self._recognised(word, lang):
                out.append(word)
                continue
            work.repaired += 1
            parts = self.split(word, lang, work)
            if parts:
                out.extend(parts)
                continue
            better = None if word in self._common else self._respell(word, work)
            if better is not None:
                respelled.add(len(out))
                out.append(better)
                continue
            out.append(word)
        return out, respelled

    def _respell(self, word: str, work: Work) -> str | None:
        if len(word) > MAX_SPELLED_LENGTH:
            return None
        work.speller_calls += 1
        speller = self._spelling if len(word) >= _SHORT_WORD else self._spelling_short
        return speller.closest(word, 1 if len(word) < 8 else 2)

    def _correct(self, word: str, lang: Lang, work: Work) -> str | None:
        """The index key of a known word or stem within a typo or two of `word` (inflected words)."""
        if not 5 <= len(word) <= MAX_SPELLED_LENGTH or any(c.isdigit() for c in word):
            return None
        if work.speller_calls > 2 * MAX_REPAIRED_WORDS:
            return None
        probes = [(word, 1 if len(word) < 8 else 2)]
        stemmed = stem(word, lang)
        if len(stemmed) >= 7 and stemmed != word:
            probes.append((stemmed, 1))
        for probe, limit in probes:
            work.speller_calls += 1
            speller = self._fuzzy if len(probe) >= _SHORT_WORD else self._fuzzy_short
            found = speller.closest(probe, limit)
            if found is not None:
                return self._fuzzy_map[found]
        return None

    def split(self, word: str, lang: Lang, work: Work) -> tuple[str, ...] | None:
        """The known words `word` is written together from (2 or 3, Dutch/German linkers), or None."""
        if not MIN_COMPOUND_LENGTH <= len(word) <= MAX_COMPOUND_LENGTH or not word.isalpha():
            return None
        cache_key = (word, lang)
        if cache_key in self._split_cache:
            return self._split_cache[cache_key]
        result: tuple[str, ...] | None = None
        for language in (lang,) if lang in ("nl", "de") else ("nl", "de"):
            result = self._segment(word, language, work)
            if result:
                break
        if len(self._split_cache) >= 50_000:
            self._split_cache.clear()
        self._split_cache[cache_key] = result
        return result

    def _segment(self, word: str, lang: Lang, work: Work) -> tuple[str, ...] | None:
        """Fewest known parts (then longest first part) covering `word`: a dynamic programme over the
        positions of the word, each part a set look-up, so the cost is linear in its length."""
        forms = self.vocabulary.part_forms
        linkers = _LINKERS[lang]
        size = len(word)
        # best[i]: (parts, -first part length, previous position, part end) of the best way to reach i.
        best: dict[int, tuple[int, int, int, int]] = {0: (0, 0, -1, 0)}
        for start in range(size):
            state = best.get(start)
            if state is None or state[0] >= _MAX_PARTS:
                continue
            for end in range(min(size, start + _MAX_PART), start + _MIN_PART - 1, -1):
                work.split_steps += 1
                part = word[start:end]
                if part not in forms and not (start == 0 and part in _BOUND_STOP_WORDS):
                    continue
                for linker in linkers if end < size else ("",):
                    after = end + len(linker)
                    if linker and not word.startswith(linker, end):
                        continue
                    if after < size and size - after < _MIN_PART:
                        continue
                    candidate = (state[0] + 1, -(end - start) if start == 0 else state[1], start, end)
                    if after not in best or candidate[:2] < best[after][:2]:
                        best[after] = candidate
        if size not in best or best[size][0] < 2:
            return None
        parts: list[str] = []
        at = size
        while at > 0:
            _, _, previous, end = best[at]
            parts.append(word[previous:end])
            at = previous
        parts.reverse()
        if all(p in _BOUND_STOP_WORDS for p in parts):
            return None
        return tuple(parts)

    def _join_separable(self, words: list[str], lang: Lang, work: Work) -> list[str]:
        """'vraag ik telewerk aan' -> 'aanvraag ik telewerk' when the whole verb is a known word."""
        particles = PARTICLES.get(lang)
        if not particles or not any(w in particles for w in words[1:]):
            return words
        out = list(words)
        for i in range(len(out) - 1, 0, -1):
            particle = out[i]
            if particle not in particles:
                continue
            stop_verbs = _STOP_VERBS[lang]
            for j in range(i - 1, max(-1, i - 1 - _VERB_REACH), -1):
                verb = out[j]
                if verb in particles or len(verb) < 2 or not verb.isalpha():
                    continue
                if verb in STOP_WORDS[lang] and verb not in stop_verbs:
                    continue
                joined = self._verb(particle, verb, lang)
                if joined is not None:
                    out[j] = joined
                    del out[i]
                    break
        return out

    def _verb(self, particle: str, verb: str, lang: Lang) -> str | None:
        knows = self.vocabulary.knows
        forms = [particle + verb, particle + verb + "en"]
        if lang == "nl" and len(verb) >= 3:
            if verb[-2] == verb[-3] and verb[-2] in "aeou":  # vraag -> vragen
                forms.append(particle + verb[:-2] + verb[-1] + "en")
            forms.append(particle + verb + verb[-1] + "en")  # zet -> zetten
        if lang == "de":
            forms.append(particle + verb.rstrip("e") + "en")
        for form in forms:
            if len(form) >= 5 and knows(form, lang):
                return form
        return None

    def _concepts(self, words: Sequence[str], lang: Lang) -> tuple[list[list[str]], list[str]]:
        """Per word, the concepts that cover it; and the concepts of groups made only of stop words
        ("how many", "mag ik"), which stand on their own."""
        stop = STOP_WORDS[lang]
        per_word: list[list[str]] = [[] for _ in words]
        standalone: list[str] = []
        for i, word in enumerate(words):
            concept = self.synonyms.concept_of(word, lang)
            if concept is not None:
                if word in stop:
                    standalone.append(concept)
                else:
                    per_word[i].append(concept)
        for hit in self.synonyms.phrases(words, lang, stop):
            content = [p for p in hit.positions if words[p] not in stop]
            if not content:
                standalone.append(hit.concept)
            for position in content:
                if hit.concept not in per_word[position]:
                    per_word[position].append(hit.concept)
        return per_word, list(dict.fromkeys(standalone))
