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
    """`rate` sends per second on average, bursts of at most `burst`.

    Kept as the moment the next send is due at the steady rate (the generic cell rate algorithm): a send
    may go up to `burst - 1` intervals before it. A pause (a 429's Retry-After) moves that moment past its
    end, so the sends waiting for it then go at `rate`, one after the other, not in a burst at its end."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float]) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("need rate > 0 and burst >= 1")
        self.rate = rate
        self._clock = clock
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1) * self._interval
        self._due = clock()

    def reserve(self) -> float:
        """Take one send; the seconds to wait before making it (0 when it may go now)."""
        now = self._clock()
        due = max(self._due, now)
        self._due = due + self._interval
        return max(0.0, due - self._tolerance - now)

    def pause(self, seconds: float) -> None:
        """No send for `seconds` (the channel answered 429 with this Retry-After); then `rate` again. Sends
        reserved before keep their moments; the next ones go after them."""
        self._due = max(self._due, self._clock() + seconds + self._tolerance)


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
