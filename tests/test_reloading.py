"""The reloading holder behind the knowledge-base data files: swaps only valid versions, polls for edits."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from nwow.problems import Problem
from nwow.reloading import Loaded, LoadFailed, Reloading


def _load(path: Path) -> Loaded[str]:
    text = path.read_text(encoding="utf-8")
    if text.startswith("!"):
        return Loaded(None, [Problem(path, 1, "starts with '!'")])
    return Loaded(text, [])


async def test_an_edit_is_picked_up_by_polling_and_a_broken_edit_is_not(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("one", encoding="utf-8")
    holder = Reloading("data", lambda: [path], lambda: _load(path), poll_seconds=0.01)
    await holder.start()
    try:
        assert holder.current == "one"
        path.write_text("two!", encoding="utf-8")
        # Bounded: a poller that stopped, or never sees the edit, fails the test here instead of hanging it.
        async with asyncio.timeout(10):
            while holder.current != "two!":
                await holder.wait_for_polls(holder.polls + 1)
            path.write_text("!broken", encoding="utf-8")
            await holder.wait_for_polls(holder.polls + 2)
        assert holder.current == "two!"
        assert [p.message for p in holder.last_problems] == ["starts with '!'"]
        assert holder.last_error_at is not None
    finally:
        await holder.stop()


async def test_a_first_load_that_fails_says_why(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("!bad", encoding="utf-8")
    holder = Reloading("data", lambda: [path], lambda: _load(path), poll_seconds=0)
    with pytest.raises(LoadFailed, match=r"data.txt:1: error: starts with '!'"):
        await holder.start()
    with pytest.raises(RuntimeError, match="not loaded yet"):
        _ = holder.current
