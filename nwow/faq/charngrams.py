"""The character signal: cosine between a question and an entry's centroid of character 3-5-grams.

Every variant of an entry, in every language, is a tf-idf vector of the 3- to 5-letter pieces of its words
(with word boundaries, sublinear counts, idf over the variants), normalised; the entry is the normalised
mean of its variants. Pieces survive what words do not: typos, inflections, compounds written together
or apart, words shared across languages ("telewerk", "télétravail", "Telearbeit"). A question's pieces
that the knowledge base never uses still count in its length, so a question about something else scores
low instead of being judged on the few pieces it happens to share.

Stored as one sparse column per piece (the entries that use it and their weights); a question gathers
its pieces' columns and adds them up with numpy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_SIZES = (3, 4, 5)


def pieces(words: Sequence[str]) -> Counter[str]:
    """The character 3-5-grams of each word padded with a space on either side."""
    out: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        length = len(padded)
        for size in _SIZES:
            for start in range(length - size + 1):
                out[padded[start : start + size]] += 1
    return out


class CharIndex:
    def __init__(
        self, entry_count: int, variant_entries: Sequence[int], variant_words: Sequence[Sequence[str]]
    ):
        self.entry_count = entry_count
        counted = [pieces(words) for words in variant_words]
        frequency: Counter[str] = Counter()
        for piece_counts in counted:
            frequency.update(piece_counts.keys())
        total = len(counted)
        self._unseen_idf = math.log(1.0 + total) + 1.0
        self.idf = {p: math.log((1.0 + total) / (1.0 + c)) + 1.0 for p, c in frequency.items()}
        self.columns = {p: i for i, p in enumerate(self.idf)}
        sums: list[dict[int, float]] = [{} for _ in range(entry_count)]
        self._variants_per_entry = np.zeros(entry_count, dtype=np.float64)
        for entry, piece_counts in zip(variant_entries, counted, strict=True):
            self._variants_per_entry[entry] += 1
            column_weights, _ = self._vector(piece_counts)
            acc = sums[entry]
            for column, weight in column_weights.items():
                acc[column] = acc.get(column, 0.0) + weight
        # Norm of each entry's sum of normalised variant vectors (the centroid is that sum over the norm).
        self.sum_norms = np.array(
            [math.sqrt(sum(w * w for w in acc.values())) or 1.0 for acc in sums], dtype=np.float64
        )
        per_column: list[tuple[list[int], list[float]]] = [([], []) for _ in self.columns]
        for entry, acc in enumerate(sums):
            norm = self.sum_norms[entry]
            for column, weight in acc.items():
                per_column[column][0].append(entry)
                per_column[column][1].append(weight / norm)
        sizes = np.array([len(rows) for rows, _ in per_column], dtype=np.int64)
        self._indptr: IntArray = np.zeros(len(per_column) + 1, dtype=np.int64)
        np.cumsum(sizes, out=self._indptr[1:])
        self._rows: IntArray = np.array([r for rows, _ in per_column for r in rows], dtype=np.int64)
        self._values: FloatArray = np.array([v for _, values in per_column for v in values], dtype=np.float64)

    def _vector(self, piece_counts: Counter[str]) -> tuple[dict[int, float], float]:
        """The normalised weights of the known pieces by column, and the share of the vector's length
        that known pieces make up (unknown pieces count in the norm at the highest idf)."""
        weights: dict[int, float] = {}
        unknown = 0.0
        for piece, count in piece_counts.items():
            tf = 1.0 + math.log(count)
            column = self.columns.get(piece)
            if column is None:
                unknown += (tf * self._unseen_idf) ** 2
            else:
                weights[column] = tf * self.idf[piece]
        norm = math.sqrt(sum(w * w for w in weights.values()) + unknown) or 1.0
        return {c: w / norm for c, w in weights.items()}, norm

    def scores(self, words: Sequence[str]) -> FloatArray:
        """Cosine of the question with every entry's centroid."""
        weights, _ = self._vector(pieces(words))
        if not weights or not self.entry_count:
            return np.zeros(self.entry_count, dtype=np.float64)
        columns = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights))
        factors = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
        starts = self._indptr[columns]
        lengths = self._indptr[columns + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(self.entry_count, dtype=np.float64)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        contributions = self._values[offsets] * np.repeat(factors, lengths)
        return np.bincount(self._rows[offsets], weights=contributions, minlength=self.entry_count)

    def own_score_without(self, words: Sequence[str], entry: int, score_with: float) -> float:
        """The cosine of a variant (given as `words`) with its own entry's centroid once that variant is
        taken out of it; `score_with` is its cosine with the full centroid."""
        if self._variants_per_entry[entry] <= 1:
            return 0.0
        norm = float(self.sum_norms[entry])
        # The variant is a unit vector v; the entry's sum S has norm `norm`; v.S = norm * score_with.
        dot = norm * score_with - 1.0
        rest = norm * norm - 2.0 * norm * score_with + 1.0
        return dot / math.sqrt(rest) if rest > 1e-12 else 0.0
