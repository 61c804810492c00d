"""The character signal: cosine between a question and an entry's centroid of character 3-5-grams.

Every variant of an entry, in every language, is a tf-idf vector of the 3- to 5-letter pieces of its words
(with word boundaries, sublinear counts, idf over the variants), normalised; the entry is the normalised
mean of its variants. Pieces survive what words do not: typos, inflections, compounds written together
or apart, words shared across languages ("telewerk", "télétravail", "Telearbeit"). A question's pieces
that the knowledge base never uses still count in its length, so a question about something else scores
low instead of being judged on the few pieces it happens to share.

Pieces are 64-bit hashes computed with numpy over all texts at once (a 15,000-question knowledge base is
indexed in a fraction of a second), stored as one sparse column per piece (the entries that use it and
their weights); a question gathers its pieces' columns and adds them up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Codes = npt.NDArray[np.uint64]

_SIZES: Final = (3, 4, 5)
_MULTIPLIER: Final = np.uint64(0x100000001B3)
_SPACE: Final = 32
_CHUNK: Final = 1000


def piece_codes(texts: Sequence[Sequence[str]]) -> tuple[IntArray, Codes]:
    """(text number, piece hash) of every character 3-5-gram of every word of every text, each word
    padded with a space on either side (pieces never span two words)."""
    joined = "\0".join(" " + " ".join(words) + " " for words in texts)
    if not joined:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    length = len(chars)
    space = np.concatenate(([0], np.cumsum(chars == _SPACE)))
    breaks = np.concatenate(([0], np.cumsum(chars == 0)))
    text_of = breaks[1:]  # number of separators before (and at) each position
    ids: list[IntArray] = []
    codes: list[Codes] = []
    with np.errstate(over="ignore"):
        for size in _SIZES:
            count = length - size + 1
            if count <= 0:
                continue
            code = np.full(count, size, dtype=np.uint64)
            for offset in range(size):
                code = code * _MULTIPLIER + chars[offset : offset + count]
            start = np.arange(count)
            inner_spaces = space[start + size - 1] - space[start + 1]
            separators = breaks[start + size] - breaks[start]
            keep = (inner_spaces == 0) & (separators == 0)
            ids.append(text_of[start[keep]].astype(np.int64))
            codes.append(code[keep])
    return np.concatenate(ids), np.concatenate(codes)


class CharIndex:
    def __init__(
        self, entry_count: int, variant_entries: Sequence[int], variant_words: Sequence[Sequence[str]]
    ) -> None:
        self.entry_count = entry_count
        total = len(variant_words)
        self._unseen_idf = math.log(1.0 + total) + 1.0
        # In chunks, so the temporary arrays stay small whatever the size of the knowledge base.
        offsets = range(0, total, _CHUNK)
        chunks = [piece_codes(variant_words[start : start + _CHUNK]) for start in offsets]
        ids = np.concatenate(
            [np.zeros(0, np.int64)] + [i + start for (i, _), start in zip(chunks, offsets, strict=True)]
        )
        codes = np.concatenate([np.zeros(0, np.uint64)] + [c for _, c in chunks])
        del chunks
        # One row per (variant, piece) with its count, sorted by piece.
        order = np.lexsort((ids, codes))
        codes, ids = codes[order], ids[order]
        first = np.ones(len(codes), dtype=bool)
        first[1:] = (codes[1:] != codes[:-1]) | (ids[1:] != ids[:-1])
        starts = np.flatnonzero(first)
        counts = np.diff(np.append(starts, len(codes)))
        pair_codes, variants = codes[starts], ids[starts]
        new_piece = np.ones(len(pair_codes), dtype=bool)
        new_piece[1:] = pair_codes[1:] != pair_codes[:-1]
        columns = np.cumsum(new_piece) - 1
        self.codes = pair_codes[new_piece]
        frequency = np.diff(np.append(np.flatnonzero(new_piece), len(pair_codes)))
        self.idf = np.log((1.0 + total) / (1.0 + frequency)) + 1.0
        weights = (1.0 + np.log(counts)) * self.idf[columns]
        norms = np.sqrt(np.bincount(variants, weights=weights * weights, minlength=total))
        weights /= np.where(norms > 0, norms, 1.0)[variants]
        entries = np.asarray(variant_entries, dtype=np.int64)[variants] if total else variants
        self._variants_per_entry = np.bincount(
            np.asarray(variant_entries, dtype=np.int64), minlength=entry_count
        ).astype(np.float64)
        # Sum of the normalised variant vectors per entry, then the centroid (sum over its norm).
        width = len(self.codes)
        cells, inverse = np.unique(entries * width + columns, return_inverse=True)
        sums = np.bincount(inverse, weights=weights)
        cell_entries, cell_columns = cells // max(width, 1), cells % max(width, 1)
        self.sum_norms = np.sqrt(np.bincount(cell_entries, weights=sums * sums, minlength=entry_count))
        self.sum_norms[self.sum_norms == 0] = 1.0
        order = np.argsort(cell_columns, kind="stable")
        self._rows = cell_entries[order].astype(np.int32)
        self._values = (sums / self.sum_norms[cell_entries])[order].astype(np.float32)
        self._indptr = np.zeros(width + 1, dtype=np.int64)
        np.cumsum(np.bincount(cell_columns, minlength=width), out=self._indptr[1:])

    def scores(self, words: Sequence[str]) -> FloatArray:
        """Cosine of the question with every entry's centroid."""
        out = np.zeros(self.entry_count, dtype=np.float64)
        _, codes = piece_codes([words])
        if not len(codes) or not len(self.codes):
            return out
        unique, counts = np.unique(codes, return_counts=True)
        tf = 1.0 + np.log(counts)
        columns = np.minimum(np.searchsorted(self.codes, unique), len(self.codes) - 1)
        known = self.codes[columns] == unique
        weights = tf[known] * self.idf[columns[known]]
        unknown = tf[~known] * self._unseen_idf
        norm = math.sqrt(float(weights @ weights + unknown @ unknown)) or 1.0
        columns = columns[known]
        starts = self._indptr[columns]
        lengths = self._indptr[columns + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return out
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        contributions = self._values[offsets] * np.repeat(weights / norm, lengths)
        summed = np.bincount(self._rows[offsets], weights=contributions, minlength=self.entry_count)
        return np.asarray(summed, dtype=np.float64)

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
