"""Rate limits of proactive messages, on a clock the test moves."""

from __future__ import annotations

import pytest

from nwow.outbox import ConversationPacer, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_goes_at_once_then_sends_are_spaced_at_the_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=10, burst=3, clock=clock)
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.reserve() == pytest.approx(0.1)
    assert bucket.reserve() == pytest.approx(0.2)
    clock.now += 0.2
    assert bucket.reserve() == pytest.approx(0.1)


def test_sends_over_a_long_run_average_the_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=50, burst=50, clock=clock)
    for _ in range(1000):
        clock.now += bucket.reserve()
    assert 1000 / (clock.now - 1000.0) == pytest.approx(50, rel=0.06)


def test_a_429_pauses_every_send_for_its_retry_after() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=10, burst=10, clock=clock)
    bucket.pause(2.0)
    assert bucket.reserve() == pytest.approx(2.0)
    clock.now += 2.0
    assert bucket.reserve() < 1.0


def test_one_conversation_gets_its_messages_spaced_others_are_not_held_up() -> None:
    clock = Clock()
    pacer = ConversationPacer(interval=0.5, clock=clock)
    assert pacer.reserve("channel") == 0.0
    assert pacer.reserve("channel") == pytest.approx(0.5)
    assert pacer.reserve("channel") == pytest.approx(1.0)
    assert pacer.reserve("someone") == 0.0
    clock.now += 2.0
    assert pacer.reserve("channel") == 0.0


def test_the_pacer_forgets_old_conversations() -> None:
    clock = Clock()
    pacer = ConversationPacer(interval=5, clock=clock, remember=2)
    for name in ("a", "b", "c"):
        pacer.reserve(name)
    assert pacer.reserve("a") == 0.0  # forgotten: no wait


def test_nonsense_rates_are_refused() -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1, clock=Clock())


def test_after_a_pause_the_waiting_sends_go_at_the_rate_not_all_at_once() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=10, burst=10, clock=clock)
    clock.now += 5.0  # a full bucket
    bucket.pause(2.0)
    waits = [bucket.reserve() for _ in range(30)]
    assert waits[0] == pytest.approx(2.0)
    assert waits[1:] == pytest.approx([2.0 + n / 10 for n in range(1, 30)])
    clock.now += 1.0
    bucket.pause(2.0)  # another 429 meanwhile: the next send goes after those already waiting
    assert bucket.reserve() == pytest.approx(4.0)
