"""Rate limits for proactive messages, on an injected clock (no sleeping here: callers wait).

Teams accepts about 50 requests per second per app and tenant, and a few messages per second in one
conversation (7 in 1 s, 8 in 2 s, 60 in 30 s, 1,800 an hour). `TokenBucket` spaces the whole outbox;
`ConversationPacer` spaces messages to one conversation (a channel that gets many cards at once).
A 429 answer pauses the bucket for its Retry-After.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

__all__ = ["ConversationPacer", "TokenBucket"]


class TokenBucket:
    """`rate` sends per second on average, bursts of at most `burst`."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float]) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("need rate > 0 and burst >= 1")
        self.rate = rate
        self._burst = burst
        self._clock = clock
        self._tokens = burst
        self._updated = clock()
        self._paused_until = 0.0

    def _refill(self, now: float) -> None:
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def reserve(self) -> float:
        """Take one send; the seconds to wait before making it (0 when it may go now)."""
        now = self._clock()
        self._refill(now)
        self._tokens -= 1
        wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        return max(wait, self._paused_until - now)

    def pause(self, seconds: float) -> None:
        """No send for `seconds` (the channel answered 429 with this Retry-After)."""
        now = self._clock()
        self._paused_until = max(self._paused_until, now + seconds)
        self._refill(now)
        self._tokens = min(self._tokens, 0.0)


class ConversationPacer:
    """At least `interval` seconds between two sends to one conversation (the last `remember` of them)."""

    def __init__(self, interval: float, clock: Callable[[], float], remember: int = 10_000) -> None:
        self._interval = interval
        self._clock = clock
        self._remember = remember
        self._next: OrderedDict[str, float] = OrderedDict()

    def reserve(self, conversation: str) -> float:
        """Take the next slot of `conversation`; the seconds to wait for it."""
        now = self._clock()
        slot = max(now, self._next.pop(conversation, now))
        self._next[conversation] = slot + self._interval
        while len(self._next) > self._remember:
            self._next.popitem(last=False)
        return slot - now
