"""Pseudonymous user keys: a keyed hash of the AAD object id, so the store never holds the id itself."""

from __future__ import annotations

import hashlib
import hmac


def pseudonymize(aad_object_id: str, key: bytes) -> str:
    """HMAC-SHA256 of the (case-normalised) AAD object id under `key`, as 64 hex characters."""
    if not key:
        raise ValueError("the pseudonym key is empty")
    normalized = aad_object_id.strip().lower()
    if not normalized:
        raise ValueError("the AAD object id is empty")
    return hmac.new(key, normalized.encode("utf-8"), hashlib.sha256).hexdigest()
