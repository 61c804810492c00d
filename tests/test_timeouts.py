"""A test whose wait never ends fails at its time limit, and the run goes on (pytest-timeout)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.harness.timeouts import MARKER_LIMITS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeini(
        textwrap.dedent(
            """
            [pytest]
            asyncio_mode = auto
            asyncio_default_fixture_loop_scope = function
            timeout = 1
            markers =
                slow: multi-process
                browser: headless Chromium
            """
        )
    )
    return pytester


def test_a_hung_asyncio_wait_fails_at_the_limit_and_the_next_test_runs(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_hang=textwrap.dedent(
            """
            import asyncio

            async def test_waits_for_an_event_nobody_sets():
                await asyncio.Event().wait()

            def test_after_it():
                pass
            """
        )
    )

    result = suite.runpytest_subprocess("-p", "tests.harness.timeouts", "-p", "no:cacheprovider")

    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(["*Timeout (>1.0s)*"])


def test_slow_and_browser_tests_get_their_longer_limit(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_limits=textwrap.dedent(
            f"""
            import pytest

            def limit(request):
                return request.node.get_closest_marker("timeout").args[0]

            @pytest.mark.slow
            def test_slow(request):
                assert limit(request) == {MARKER_LIMITS["slow"]!r}

            @pytest.mark.browser
            @pytest.mark.slow
            def test_browser(request):
                assert limit(request) == {max(MARKER_LIMITS.values())!r}

            @pytest.mark.slow
            @pytest.mark.timeout(5)
            def test_own_limit(request):
                assert limit(request) == 5

            def test_plain(request):
                assert request.node.get_closest_marker("timeout") is None
            """
        )
    )

    result = suite.runpytest_subprocess("-p", "tests.harness.timeouts", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=4)
