"""Waiting for a state that no event announces (a row written by a background task), within a deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], *, within: float = 10.0
) -> T:
    """Await `probe()` until `done(result)`, every 20 ms, for at most `within` seconds; the last result.

    For background work that signals nothing a test could wait on (the outbox dispatcher settling a row).
    """
    async with asyncio.timeout(within):
        while True:
            value = await probe()
            if done(value):
                return value
            await asyncio.sleep(0.02)


def wait_until(done: Callable[[], bool], *, within: float = 10.0, every: float = 0.05) -> None:
    """The synchronous `eventually` (the browser suite is synchronous): poll `done()` until it holds, for
    at most `within` seconds; AssertionError when it never does."""
    deadline = time.monotonic() + within
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not the case after {within} s")
        time.sleep(every)
