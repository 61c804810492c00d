"""Time limits per test (pytest-timeout): a wait that hangs fails its test instead of hanging the run.

Every test gets pyproject's `timeout` (60 s: the unit, HTTP and database tests take well under a second).
Tests marked `slow` start several bot processes, and the first test of a `browser` module starts the bot,
the Agents Playground and Chromium (each allowed 60 s to start): they get the limits below. A test that
sets its own `@pytest.mark.timeout(...)` keeps it.
"""

from __future__ import annotations

from typing import Final

import pytest

__all__ = ["MARKER_LIMITS"]

MARKER_LIMITS: Final = {"slow": 180.0, "browser": 300.0}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("timeout") is not None:
            continue
        limits = [seconds for marker, seconds in MARKER_LIMITS.items() if item.get_closest_marker(marker)]
        if limits:
            item.add_marker(pytest.mark.timeout(max(limits)))
