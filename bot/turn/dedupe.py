"""Recognise activities the channel delivers twice.

The Bot Connector retries a POST it thinks failed (a timeout, a dropped connection); the retry carries the
same activity id. The endpoint asks `seen_before` after authentication (so an unauthenticated caller cannot
mark ids as seen) and before the turn: a repeat is acknowledged with the same 2xx and not processed again.
A repeat of an activity whose turn is still running elsewhere raises `ActivityInProgress`: the endpoint
answers 503 with Retry-After, so the channel delivers it again later, when it is either done
(acknowledged) or its owner is known dead (processed).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

__all__ = ["ActivityDeduplicator", "ActivityInProgress", "InMemoryDeduplicator"]


class ActivityInProgress(Exception):
    """This activity's turn is running (or its claim not yet known dead): deliver it again later.

    Never an acknowledgement: a 2xx here would lose the activity if the turn that runs it dies."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"activity still being processed; retry after {retry_after} s")


class ActivityDeduplicator(Protocol):
    """Check-and-mark: True when (conversation_id, activity_id) was marked before, else mark it and say False.

    Implementations must make the check and the mark one atomic step, so two concurrent deliveries of the
    same activity cannot both see False. They may raise `ActivityInProgress` instead of saying True while
    the first delivery's turn has not finished.
    """

    async def seen_before(self, conversation_id: str, activity_id: str) -> bool: ...

    async def release(self, conversation_id: str, activity_id: str) -> None:
        """Forget the mark `seen_before` made for an activity whose turn did not run to its end (it was
        cancelled: shutdown, a client gone), so that the channel's retry of it is processed."""
        ...


class InMemoryDeduplicator:
    """A bounded LRU of recently seen activity ids with a time to live; good for one replica.

    Runs entirely on the event loop (no awaits inside), which is what makes check-and-mark atomic here.
    """

    def __init__(
        self,
        *,
        ttl_seconds: float = 15 * 60,
        max_entries: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl_seconds <= 0 or max_entries < 1:
            raise ValueError("ttl_seconds must be positive and max_entries at least 1")
        self._ttl = ttl_seconds
        self._max = max_entries
        self._clock = clock
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    async def seen_before(self, conversation_id: str, activity_id: str) -> bool:
        now = self._clock()
        self._expire(now)
        key = (conversation_id, activity_id)
        if key in self._seen:
            return True
        self._seen[key] = now + self._ttl
        if len(self._seen) > self._max:
            self._seen.popitem(last=False)
        return False

    async def release(self, conversation_id: str, activity_id: str) -> None:
        self._seen.pop((conversation_id, activity_id), None)

    def _expire(self, now: float) -> None:
        # Entries are in insertion order and share one TTL, so expiry times are ascending.
        while self._seen:
            key, expires = next(iter(self._seen.items()))
            if expires > now:
                break
            del self._seen[key]
