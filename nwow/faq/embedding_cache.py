"""Variant embeddings kept on disk between loads, keyed by a hash of the model's name and the text.

A load embeds only the texts the file does not have (a hot reload after one edited entry embeds that
entry's changed variants, not the whole knowledge base), then rewrites the file with exactly the texts
of the knowledge base just loaded (`cache_files.py`: atomically), so it never grows with old versions.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from nwow.faq.cache_files import write_cache_file
from nwow.faq.embedding import Encoder, Vectors

logger = logging.getLogger(__name__)

_BATCH: Final = 256
_DIGEST: Final = 16


@dataclass(frozen=True)
class Embedded:
    vectors: Vectors
    computed: int  # texts the encoder had to embed (not found in the cache)


def cache_file(folder: Path, encoder: Encoder) -> Path:
    slug = re.sub(r"[^a-z0-9.]+", "-", encoder.name.lower()).strip("-")
    return folder / f"faq-embeddings-{slug}.npz"


def digest(encoder: Encoder, text: str) -> bytes:
    return hashlib.sha256(f"{encoder.name}\0{text}".encode()).digest()[:_DIGEST]


def embed_texts(texts: Sequence[str], encoder: Encoder, folder: Path | None) -> Embedded:
    """One row per text, from the cache in `folder` where it has them, else from the encoder."""
    keys = [digest(encoder, t) for t in texts]
    path = cache_file(folder, encoder) if folder is not None else None
    stored_keys, stored = _read(path) if path is not None else ({}, None)
    wanted: dict[bytes, int] = {}
    for key in keys:
        wanted.setdefault(key, len(wanted))
    first_text = {key: text for key, text in zip(keys, texts, strict=True)}
    missing = [key for key in wanted if key not in stored_keys]
    if stored is not None and not missing and len(keys) == len(stored_keys) and list(stored_keys) == keys:
        return Embedded(stored, 0)  # the file holds exactly these texts, in this order: no copy
    fresh: Vectors | None = None
    if missing:
        batches = [
            encoder.encode([first_text[k] for k in missing[start : start + _BATCH]])
            for start in range(0, len(missing), _BATCH)
        ]
        fresh = np.concatenate(batches).astype(np.float32)
    dimension = fresh.shape[1] if fresh is not None else (stored.shape[1] if stored is not None else 0)
    unique = np.zeros((len(wanted), dimension), dtype=np.float32)
    if stored is not None:
        found = [(row, stored_keys[key]) for key, row in wanted.items() if key in stored_keys]
        if found:
            rows, sources = zip(*found, strict=True)
            unique[list(rows)] = stored[list(sources)]
    if fresh is not None:
        unique[[wanted[k] for k in missing]] = fresh
    if path is not None and (missing or len(stored_keys) != len(wanted)):
        _write(path, list(wanted), unique)
    if len(wanted) == len(keys):  # every text once: `unique` is already in their order
        return Embedded(unique, len(missing))
    return Embedded(np.ascontiguousarray(unique[[wanted[k] for k in keys]]), len(missing))


def _read(path: Path) -> tuple[dict[bytes, int], Vectors | None]:
    try:
        with np.load(path, allow_pickle=False) as data:
            keys = data["keys"]
            vectors = np.asarray(data["vectors"], dtype=np.float32)
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError, KeyError) as exc:
        logger.warning("embedding cache %s unreadable (%s): rebuilding it", path, exc)
        return {}, None
    if keys.ndim != 2 or keys.shape[1] != _DIGEST or vectors.ndim != 2 or len(keys) != len(vectors):
        logger.warning("embedding cache %s has an unexpected shape: rebuilding it", path)
        return {}, None
    return {row.tobytes(): i for i, row in enumerate(keys.astype(np.uint8))}, vectors


def _write(path: Path, keys: list[bytes], vectors: Vectors) -> None:
    digests = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), _DIGEST)
    write_cache_file(path, lambda out: np.savez(out, keys=digests, vectors=vectors))
