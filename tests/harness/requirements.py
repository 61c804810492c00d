"""What a test needs from the machine (a PostgreSQL server, npm packages, Chromium), and what happens
when it is not there: on a developer's machine the test is skipped with the reason and the fix; in CI
(`CI=true`) it fails, so that a suite that never ran cannot pass unnoticed.

Every such check in the suite goes through `require`; the rule lives here and nowhere else.
`scripts/requirements.sh` applies the same rule to the install scripts (`make test-deps`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import NoReturn

import pytest

__all__ = ["CI_ENV", "in_ci", "require", "unavailable"]

CI_ENV = "CI"
# The values CI services put in CI (GitHub Actions, GitLab, Azure Pipelines: "true"; some use "1").
_CI_VALUES = frozenset({"true", "1", "yes"})


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this run is CI: the CI variable is true, 1 or yes (any case)."""
    env = os.environ if environ is None else environ
    return env.get(CI_ENV, "").strip().lower() in _CI_VALUES


def require(available: object, what: str, how: str) -> None:
    """Go on when `available` is true; otherwise stop the calling test (see `unavailable`).

    `what` names what the test needs ("Microsoft's Teams manifest schemas (PATH)"); `how` says how to
    get it ("run `npm ci --prefix tools/schemas`").
    """
    __tracebackhide__ = True  # pytest reports the skip at the caller's line
    if not available:
        unavailable(what, how)


def unavailable(what: str, how: str) -> NoReturn:
    """Skip the calling test (developer machine) or fail it (CI) because it needs `what`, which is missing."""
    __tracebackhide__ = True
    if in_ci():
        pytest.fail(
            f"needs {what}, which is missing; with {CI_ENV}=true that fails the run instead of skipping "
            f"the test. To fix: {how}",
            pytrace=False,
        )
    pytest.skip(f"needs {what}: {how}")
