"""Nearest known word within a typo or two (rapidfuzz, optimal string alignment distance)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Words longer than this are no typo of a word of the knowledge base (and are not compared).
MAX_SPELLED_LENGTH: Final = 30


class Speller:
    """Words are bucketed by first letter and length, so a lookup only compares words that can be within
    the limit; among equally close words the one given first (the most frequent) wins."""

    def __init__(self, words: Iterable[str]) -> None:
        buckets: dict[tuple[str, int], tuple[list[str], list[int]]] = {}
        for rank, word in enumerate(words):
            bucket = buckets.setdefault((word[0], len(word)), ([], []))
            bucket[0].append(word)
            bucket[1].append(rank)
        self._buckets = buckets

    def closest(self, word: str, limit: int) -> str | None:
        if not word or len(word) > MAX_SPELLED_LENGTH:
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
