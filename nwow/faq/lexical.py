"""The lexical signal: how much of a question's meaning an entry's words explain, per entry, in [0, 1].

Each unit of the question (`analysis.Unit`) weighs the inverse document frequency of its main key over
the entries (an unknown word weighs `Tuning.unknown_weight` times that of a word found in one entry:
it is evidence that the question is about something else). Against an entry the score mixes two views:

- the entry as a whole (all its variants in all languages, and its answer at a low weight): each unit
  counts by how often the entry's variants use it, saturating as in BM25, so a word in one of forty
  variants counts less than one in most of them, and a long entry does not win by size;
- its best variant: the share of the question's weight it explains and the share of its own weight the
  question covers (a weighted geometric mean), so a variant that says exactly what was asked stands out.

Vectorised with numpy over the variants and entries that share a key with the question.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nwow.faq.analysis import QueryAnalysis

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class LexicalTuning:
    unknown_weight: float = 0.5  # an unknown word weighs this times the idf of a word found in one entry
    query_share: float = 0.8  # best variant: weight of "how much of the question" vs the variant's share
    best_variant: float = 0.5  # weight of the best variant vs the whole entry
    answer_weight: float = 0.3  # a key found only in the entry's answer counts this much
    k1: float = 1.2  # BM25 saturation of how many variants use a key
    b: float = 0.5  # BM25 length normalisation (variants per entry)


@dataclass(frozen=True)
class VariantKeys:
    entry: int
    keys: frozenset[str]


class LexicalIndex:
    """Keys of every variant (grouped by entry, entry by entry) and of every entry's answer."""

    def __init__(
        self,
        entry_count: int,
        variants: Sequence[VariantKeys],
        answers: Sequence[frozenset[str]],
        tuning: LexicalTuning | None = None,
    ) -> None:
        self.tuning = tuning or LexicalTuning()
        t = self.tuning
        self.entry_count = entry_count
        order = sorted(range(len(variants)), key=lambda i: variants[i].entry)
        self.variants = [variants[i] for i in order]
        self.variant_entry: IntArray = np.array([v.entry for v in self.variants], dtype=np.int64)
        self.variants_per_entry = np.bincount(self.variant_entry, minlength=entry_count).astype(np.float64)
        # First variant of each entry that has variants (for per-entry maxima over variants).
        self._starts: IntArray = np.flatnonzero(
            np.r_[True, self.variant_entry[1:] != self.variant_entry[:-1]]
        ).astype(np.int64)
        if not self.variants:
            self._starts = np.zeros(0, dtype=np.int64)
        self._start_entries = self.variant_entry[self._starts] if len(self._starts) else self._starts

        per_entry: list[Counter[str]] = [Counter() for _ in range(entry_count)]
        for variant in self.variants:
            per_entry[variant.entry].update(variant.keys)
        document_frequency: Counter[str] = Counter()
        for number in range(entry_count):
            document_frequency.update(set(per_entry[number]) | answers[number])
        n = max(entry_count, 1)
        self.idf: dict[str, float] = {
            key: math.log(1.0 + (n - count + 0.5) / (count + 0.5))
            for key, count in document_frequency.items()
        }
        self.max_idf = math.log(1.0 + (n + 0.5) / 0.5)

        average = float(self.variants_per_entry[self.variants_per_entry > 0].mean()) if self.variants else 1.0
        self._norm = t.k1 * (1.0 - t.b + t.b * np.maximum(self.variants_per_entry, 1.0) / average)
        self._average = average
        # key -> (entries, saturated use in [0, 1]) and key -> variants that contain it.
        entry_postings: dict[str, tuple[list[int], list[float]]] = {}
        for number in range(entry_count):
            counts = per_entry[number]
            for key in set(counts) | answers[number]:
                use = self._saturate(counts.get(key, 0), number)
                if key in answers[number]:
                    use = max(use, t.answer_weight)
                rows = entry_postings.setdefault(key, ([], []))
                rows[0].append(number)
                rows[1].append(use)
        self._entry_postings: dict[str, tuple[IntArray, FloatArray]] = {
            key: (np.array(e, dtype=np.int64), np.array(u, dtype=np.float64))
            for key, (e, u) in entry_postings.items()
        }
        variant_postings: dict[str, list[int]] = {}
        for number, variant in enumerate(self.variants):
            for key in variant.keys:
                variant_postings.setdefault(key, []).append(number)
        self._variant_postings = {k: np.array(v, dtype=np.int64) for k, v in variant_postings.items()}
        self._variant_weight: FloatArray = np.array(
            [sum(self.idf[k] for k in v.keys) or 1.0 for v in self.variants], dtype=np.float64
        )
        self._entry_counts = per_entry
        self._answers = answers

    def _saturate(self, count: float, entry: int) -> float:
        if count <= 0:
            return 0.0
        k1 = self.tuning.k1
        norm = k1 * (
            1.0 - self.tuning.b + self.tuning.b * max(self.variants_per_entry[entry], 1.0) / self._average
        )
        return float(count * (k1 + 1.0) / (count + norm) / (k1 + 1.0))

    def weights(self, analysis: QueryAnalysis) -> list[float]:
        """The weight of each unit of `analysis` (idf of its main key; unknown words a fixed share)."""
        unknown = self.tuning.unknown_weight * self.max_idf
        return [self.idf.get(u.primary, unknown) if u.known else unknown for u in analysis.units]

    def scores(self, analysis: QueryAnalysis, exclude: int | None = None) -> FloatArray:
        """The lexical score of every entry; `exclude` (a variant number) is left out of its entry, as if
        it had never been written (for the leave-one-out calibration)."""
        out = np.zeros(self.entry_count, dtype=np.float64)
        weights = self.weights(analysis)
        total = sum(weights)
        if total <= 0 or not self.entry_count:
            return out
        t = self.tuning
        bag = np.zeros(self.entry_count, dtype=np.float64)
        query_hits = np.zeros(len(self.variants), dtype=np.float64)
        matched_keys: set[str] = set()
        for unit, weight in zip(analysis.units, weights, strict=True):
            if not unit.known:
                continue
            entry_best = np.zeros(self.entry_count, dtype=np.float64)
            variant_best = np.zeros(len(self.variants), dtype=np.float64)
            for key, factor in unit.keys:
                postings = self._entry_postings.get(key)
                if postings is None:
                    continue
                entries, use = postings
                np.maximum.at(entry_best, entries, factor * use)
                variants = self._variant_postings.get(key)
                if variants is not None:
                    np.maximum.at(variant_best, variants, factor)
                    matched_keys.add(key)
            bag += weight * entry_best
            query_hits += weight * variant_best
        variant_hits = np.zeros(len(self.variants), dtype=np.float64)
        for key in matched_keys:
            variant_hits[self._variant_postings[key]] += self.idf[key]
        if exclude is not None:
            query_hits[exclude] = 0.0
            variant_hits[exclude] = 0.0
            entry = int(self.variant_entry[exclude])
            bag[entry] = self._entry_bag_without(analysis, weights, entry, exclude)
        best = np.zeros(self.entry_count, dtype=np.float64)
        if len(self.variants):
            query_share = np.minimum(query_hits / total, 1.0)
            variant_share = np.minimum(variant_hits / self._variant_weight, 1.0)
            per_variant = query_share**t.query_share * variant_share ** (1.0 - t.query_share)
            best[self._start_entries] = np.maximum.reduceat(per_variant, self._starts)
        out = t.best_variant * best + (1.0 - t.best_variant) * np.minimum(bag / total, 1.0)
        return out

    def _entry_bag_without(
        self, analysis: QueryAnalysis, weights: list[float], entry: int, exclude: int
    ) -> float:
        """The whole-entry sum of one entry with variant `exclude` taken out (same formula as `scores`)."""
        left_out = self.variants[exclude].keys
        counts = self._entry_counts[entry]
        answer = self._answers[entry]
        k1, b = self.tuning.k1, self.tuning.b
        size = max(self.variants_per_entry[entry] - 1.0, 1.0)
        norm = k1 * (1.0 - b + b * size / self._average)
        total = 0.0
        for unit, weight in zip(analysis.units, weights, strict=True):
            if not unit.known:
                continue
            best = 0.0
            for key, factor in unit.keys:
                count = counts.get(key, 0) - (key in left_out)
                use = count * (k1 + 1.0) / (count + norm) / (k1 + 1.0) if count > 0 else 0.0
                if key in answer:
                    use = max(use, self.tuning.answer_weight)
                best = max(best, factor * use)
            total += weight * best
        return total

    def matched(self, analysis: QueryAnalysis) -> tuple[list[str], list[str]]:
        """The units found in the index (by their main key) and the words it does not know."""
        known = [u.primary for u in analysis.units if u.known and any(k in self.idf for k, _ in u.keys)]
        unknown = [u.text for u in analysis.units if not u.known]
        return known, unknown
