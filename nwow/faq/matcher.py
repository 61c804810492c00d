"""The answer engine: three kinds of evidence per entry, combined, with a confidence derived from the KB.

For a question, every entry gets three scores, each over ALL its question variants in ALL languages (a
question in English finds an entry that only has Dutch and French variants; the answer is then given in
the asker's language when the entry has it, else in the fallback order):

- lexical (`lexical.py`): the question's units of meaning (`analysis.py`: stems, synonyms, compounds,
  separable verbs, chat shorthand, typos) weighed by rarity, per entry;
- character (`charngrams.py`): character 3-5-grams of the question against the entry's centroid, which
  survives typos, inflections and words shared across languages;
- meaning (`embedding.py`): a multilingual sentence embedding against the entry's variants.

The combined score is their weighted sum (`Weights`, fixed by reasoning before measuring: the lexical
signal is the most precise on product names and so weighs most, the other two complement it equally).
It is turned into a confidence by the knowledge base's own calibration (`calibration.py`: leave-one-out
questions asked at load), which also gives the answer threshold (0.5) and the ambiguity gap. The bot's
settings may override both. Equal scores are never split by entry id: they are offered as a choice.

What is read of a question is bounded (see `analysis.py`), so a turn's cost does not grow with the text.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

from nwow.faq import calibration as calibration_cache
from nwow.faq.analysis import Analyzer, QueryAnalysis, Vocabulary
from nwow.faq.calibration import Calibration, Sample, calibrate
from nwow.faq.charngrams import CharIndex
from nwow.faq.embedding import MAX_EMBEDDED_CHARS, EmbeddingIndex, Encoder, Vectors, default_encoder
from nwow.faq.embedding_cache import embed_texts
from nwow.faq.lexical import LexicalIndex, LexicalTuning, VariantKeys
from nwow.faq.model import Answer, Candidate, FaqEntry, MatchResult
from nwow.faq.shorthand import shorthand_markers
from nwow.faq.synonyms import Synonyms
from nwow.faq.text import ALL_STOP_WORDS, STOP_WORDS, question_words, tokens
from nwow.language import LANGS, Lang, detect_language

logger = logging.getLogger(__name__)


class EntryLookup(Protocol):
    """What a decision needs of the knowledge base: its entries by id."""

    def entry(self, entry_id: str) -> FaqEntry | None: ...


FloatArray = npt.NDArray[np.float64]

MAX_CHOICES: Final = 3
# Changes whenever the scoring changes, so that calibrations cached on disk are not reused across versions.
ENGINE_VERSION: Final = "2.5"
_CANDIDATES: Final = 10


@dataclass(frozen=True)
class Weights:
    lexical: float = 0.4
    char: float = 0.3
    embedding: float = 0.3


@dataclass(frozen=True)
class Tuning:
    weights: Weights = field(default_factory=Weights)
    lexical: LexicalTuning = field(default_factory=LexicalTuning)
    calibration_samples: int = 400  # left-out variants asked at load
    remembered_questions: int = 4096  # distinct questions whose embedding is kept (about 2 KB each)


@dataclass(frozen=True)
class _Variant:
    entry: int
    lang: Lang
    text: str


@dataclass(frozen=True)
class Scores:
    """Every entry's score from each signal and combined (raw, before the confidence mapping)."""

    lexical: FloatArray
    char: FloatArray
    embedding: FloatArray
    combined: FloatArray


class Index:
    """The search index over one knowledge-base version, immutable once built.

    Building it embeds the variants (from the cache in `cache_dir` where it can) and calibrates; asking
    only reads it (bounded caches aside) and never touches the disk.
    """

    def __init__(
        self,
        entries: Sequence[FaqEntry],
        synonym_groups: Iterable[Sequence[str]] = (),
        tuning: Tuning | None = None,
        *,
        encoder: Encoder | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.tuning = tuning or Tuning()
        self._entries = list(entries)
        self._encoder = encoder or default_encoder()
        self._vectors: dict[str, Vectors] = {}
        variants = [
            _Variant(number, lang, question)
            for number, entry in enumerate(self._entries)
            for lang, content in entry.content.items()
            for question in content.questions
        ]
        self._variants = variants
        groups = [list(group) for group in synonym_groups]
        words = [question_words(v.text) for v in variants]
        vocabulary = Vocabulary(words, Synonyms(groups))
        self._analyzer = Analyzer(vocabulary, self._encoder.common_words())
        analyzer = self._analyzer
        variant_keys = [
            VariantKeys(v.entry, frozenset(analyzer.variant_keys(w, v.lang)))
            for v, w in zip(variants, words, strict=True)
        ]
        answers = [
            frozenset(
                key
                for lang, content in entry.content.items()
                for key in analyzer.variant_keys(tokens(content.answer), lang)
            )
            for entry in self._entries
        ]
        self._lexical = LexicalIndex(len(self._entries), variant_keys, answers, self.tuning.lexical)
        analyzer.learn(self._lexical.idf)
        entry_numbers = [v.entry for v in variants]
        self._char = CharIndex(len(self._entries), entry_numbers, words)
        embedded = embed_texts([v.text for v in variants], self._encoder, cache_dir)
        self.embedded_now = embedded.computed
        self._embedding = EmbeddingIndex(len(self._entries), entry_numbers, embedded.vectors)

        self.language_vocabulary: dict[Lang, set[str]] = {lang: set() for lang in LANGS}
        for variant, variant_words in zip(variants, words, strict=True):
            self.language_vocabulary[variant.lang].update(w for w in variant_words if w not in ALL_STOP_WORDS)
        for lang in LANGS:
            self.language_vocabulary[lang].update(STOP_WORDS[lang])
            self.language_vocabulary[lang].update(shorthand_markers(lang))
        key = self._calibration_key(groups)
        found = calibration_cache.cached(cache_dir, key) if cache_dir is not None else None
        self.calibration = found or self._calibrate()
        if found is None and cache_dir is not None:
            calibration_cache.store(cache_dir, key, self.calibration)
        _return_freed_memory()

    # ----------------------------------------------------------------------------------------------

    @property
    def threshold(self) -> float:
        return self.calibration.threshold

    @property
    def gap(self) -> float:
        return self.calibration.gap

    @property
    def entries(self) -> Sequence[FaqEntry]:
        return self._entries

    def detect_language(self, question: str, hint: str | None) -> Lang:
        return detect_language(question[:600], hint, vocabulary=self.language_vocabulary)

    def analyse(self, question: str, lang: Lang) -> QueryAnalysis:
        return self._analyzer.analyse(question, lang)

    def scores(
        self, analysis: QueryAnalysis, question: str, *, exclude: int | None = None, vector: Any = None
    ) -> Scores:
        """Every entry's signals for a question (read as `analysis`; `question` is embedded as written)."""
        lexical = self._lexical.scores(analysis, exclude)
        char = self._char.scores(analysis.words)
        if vector is None:
            vector = self._encoder.encode([question])[0]
        embedding = self._embedding.scores(vector, exclude)
        if exclude is not None:
            entry = self._variants[exclude].entry
            char[entry] = self._char.own_score_without(analysis.words, entry, float(char[entry]))
        w = self.tuning.weights
        combined = w.lexical * lexical + w.char * char + w.embedding * embedding
        return Scores(lexical, char, embedding, combined)

    def rank(self, question: str, lang: Lang, limit: int = _CANDIDATES) -> list[Candidate]:
        """The `limit` best entries, best first; none when the question has no content at all.

        The sentence embedding (most of a question's cost) is skipped when the words and character
        pieces alone already decide (`_decided_without_embedding`); the entries then carry the typical
        embedding score of a paraphrase of this knowledge base, and `embedding_computed` is 0.
        """
        analysis = self._analyzer.analyse(question, lang)
        if not analysis.units or not self._entries:
            return []
        lexical = self._lexical.scores(analysis)
        char = self._char.scores(analysis.words)
        w = self.tuning.weights
        partial = w.lexical * lexical + w.char * char
        if self._decided_without_embedding(partial):
            typical = np.full(len(partial), self.calibration.embedding_typical)
            scores = Scores(lexical, char, typical, partial + w.embedding * typical)
            return self._candidates(scores, limit, embedded=False)
        embedding = self._embedding.scores(self._question_vector(question))
        return self._candidates(Scores(lexical, char, embedding, partial + w.embedding * embedding), limit)

    def _question_vector(self, question: str) -> Vectors:
        """The question's embedding, remembered for the `Tuning.remembered_questions` latest distinct
        questions (an FAQ is asked the same short questions again and again; the vector of a text
        never changes, so this changes no answer)."""
        text = question[:MAX_EMBEDDED_CHARS]
        vector = self._vectors.get(text)
        if vector is None:
            vector = self._encoder.encode([text])[0]
            if self.tuning.remembered_questions > 0:
                if len(self._vectors) >= self.tuning.remembered_questions:
                    del self._vectors[next(iter(self._vectors))]
                self._vectors[text] = vector
        return vector

    def _decided_without_embedding(self, partial: FloatArray) -> bool:
        """Whether the lexical and character evidence alone settle the answer: the best entry leads the
        next by at least the margin above which, on this knowledge base's left-out variants, the
        embedding never changed the best entry, and it clears the threshold even with a low embedding
        score (the 5th percentile of a paraphrase's)."""
        calibration = self.calibration
        if len(partial) < 2 or not np.isfinite(calibration.shortcut_margin):
            return False
        first, second = np.partition(-partial, 1)[:2]
        low = float(-first) + self.tuning.weights.embedding * calibration.embedding_low
        return float(second - first) >= calibration.shortcut_margin and low >= calibration.centre

    def _candidates(self, scores: Scores, limit: int, *, embedded: bool = True) -> list[Candidate]:
        combined = scores.combined
        count = min(limit, len(combined))
        best = np.argpartition(-combined, count - 1)[:count] if count < len(combined) else np.arange(count)
        ordered = sorted(best.tolist(), key=lambda e: -combined[e])
        confidence = self.calibration.confidence
        return [
            Candidate(
                self._entries[e].id,
                round(confidence(float(combined[e])), 4),
                {
                    "combined": round(float(combined[e]), 4),
                    "lexical": round(float(scores.lexical[e]), 4),
                    "char": round(float(scores.char[e]), 4),
                    "embedding": round(float(scores.embedding[e]), 4),
                    "embedding_computed": 1.0 if embedded else 0.0,
                },
            )
            for e in ordered
        ]

    def match(
        self,
        kb: EntryLookup,
        question: str,
        lang_hint: str | None,
        *,
        threshold: float | None,
        gap: float | None,
    ) -> MatchResult:
        lang = self.detect_language(question, lang_hint)
        candidates = self.rank(question, lang)
        units = self.calibration.units
        return decide(
            kb,
            question,
            lang,
            candidates,
            threshold=self.threshold if threshold is None else threshold,
            gap=self.gap if gap is None else gap,
            closeness=lambda c: units(c.signals.get("combined", 0.0)),
        )

    def explain(self, question: str, lang: Lang) -> dict[str, Any]:
        analysis = self._analyzer.analyse(question, lang)
        known, unknown = self._lexical.matched(analysis)
        return {
            "read_as": analysis.text,
            "matched": known,
            "unknown": unknown,
            "weights": {
                "lexical": self.tuning.weights.lexical,
                "char": self.tuning.weights.char,
                "embedding": self.tuning.weights.embedding,
            },
            "calibration": {
                "threshold_score": round(self.calibration.centre, 4),
                "scale": round(self.calibration.scale, 4),
                "gap": round(self.calibration.gap, 4),
                "samples": self.calibration.samples,
                "in_scope_kept": round(self.calibration.in_scope_kept, 4),
                "out_of_scope_rejected": round(self.calibration.out_of_scope_rejected, 4),
                "embedding_skipped_above_lead": round(self.calibration.shortcut_margin, 4),
                "embedding_low": round(self.calibration.embedding_low, 4),
                "embedding_typical": round(self.calibration.embedding_typical, 4),
            },
        }

    # ----------------------------------------------------------------------------------------------

    def _calibration_key(self, synonym_groups: Sequence[Sequence[str]]) -> str:
        """A hash of everything the calibration is derived from."""
        digest = hashlib.sha256(f"{ENGINE_VERSION}\0{self.tuning!r}\0{self._encoder.name}".encode())
        for entry in self._entries:
            for lang, content in entry.content.items():
                digest.update(f"\0{entry.id}\0{lang}\0{content.answer}".encode())
                for question in content.questions:
                    digest.update(f"\0{question}".encode())
        for group in synonym_groups:
            digest.update(("\0" + "\1".join(group)).encode())
        return digest.hexdigest()

    def _calibrate(self) -> Calibration:
        """Leave-one-out questions (see calibration.py), evenly spread over the variants."""
        count = len(self._variants)
        wanted = min(self.tuning.calibration_samples, count)
        if wanted == 0 or len(self._entries) < 2:
            return calibrate([])
        picks = sorted({int(i * count / wanted) for i in range(wanted)})
        samples: list[Sample] = []
        vectors = self._embedding.vectors
        for number in picks:
            variant = self._variants[number]
            analysis = self._analyzer.analyse(variant.text, variant.lang)
            if not analysis.units:
                continue
            scores = self.scores(analysis, variant.text, exclude=number, vector=vectors[number])
            combined = scores.combined
            order = np.argsort(-combined)
            top, second = int(order[0]), int(order[1])
            others = np.delete(combined, variant.entry)
            w = self.tuning.weights
            partial = w.lexical * scores.lexical + w.char * scores.char
            partial_order = np.argsort(-partial)
            samples.append(
                Sample(
                    in_scope=float(combined[top]),
                    correct=top == variant.entry,
                    margin=float(combined[top] - combined[second]),
                    out_of_scope=float(others.max()),
                    partial_margin=float(partial[partial_order[0]] - partial[partial_order[1]]),
                    partial_agrees=int(partial_order[0]) == top,
                    own_embedding=float(scores.embedding[variant.entry]),
                )
            )
        self.calibration_samples = samples
        calibration = calibrate(samples)
        logger.debug(
            "calibrated on %d left-out variants: threshold score %.3f, gap %.3f",
            calibration.samples,
            calibration.centre,
            calibration.gap,
        )
        return calibration


def _return_freed_memory() -> None:
    """Hand the memory a build freed back to the system (glibc's malloc_trim; elsewhere nothing).

    Building allocates large temporary arrays; glibc keeps what they freed in the process heap, which
    left the resident size of a 15,000-question build about 110 MB above what the index holds
    (measured). The running bot rebuilds on every edit of the FAQ, so this matters for its footprint.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    libc.malloc_trim(0)


def decide(
    kb: EntryLookup,
    question: str,
    lang: Lang,
    candidates: Sequence[Candidate],
    *,
    threshold: float,
    gap: float,
    closeness: Callable[[Candidate], float] = lambda c: c.score,
) -> MatchResult:
    """Answered, ambiguous or unanswered, from the ranked candidates: unanswered below `threshold`
    (confidence), a choice when others are within `gap` of the best (in `closeness` units; equal
    scores always give a choice, never an arbitrary pick)."""
    shown = tuple(candidates[:5])
    if not candidates or candidates[0].score < threshold:
        return MatchResult("unanswered", question, lang, None, (), shown)
    top = candidates[0].score
    best = closeness(candidates[0])
    close = [c for c in candidates[:MAX_CHOICES] if c.score >= threshold and best - closeness(c) <= gap]
    if len(close) >= 2:
        choices = tuple(e for e in (kb.entry(c.entry_id) for c in close) if e is not None)
        return MatchResult("ambiguous", question, lang, None, choices, shown)
    entry = kb.entry(candidates[0].entry_id)
    if entry is None:  # the index and the entries come from the same load
        return MatchResult("unanswered", question, lang, None, (), shown)
    content_lang, _ = entry.content_for(lang)
    return MatchResult("answered", question, lang, Answer(entry, content_lang, lang, top), (), shown)
