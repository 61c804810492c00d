"""A missing test dependency skips on a developer's machine and fails in CI, in pytest and in the scripts."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.harness.requirements import in_ci, require, unavailable

ROOT = Path(__file__).resolve().parents[1]
SHELL_RULE = ROOT / "scripts" / "requirements.sh"


def test_a_missing_dependency_skips_with_its_fix_on_a_developers_machine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception) as stopped:
        require(False, "the thing", "install it")

    assert str(stopped.value) == "needs the thing: install it"


def test_a_missing_dependency_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception) as stopped:
        unavailable("the thing", "install it")

    assert str(stopped.value).startswith("needs the thing, which is missing; with CI=true that fails")
    assert str(stopped.value).endswith("To fix: install it")


def test_an_available_dependency_lets_the_test_go_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")

    require("postgresql://server", "a server", "set it")  # returns: nothing raised


def test_a_session_with_a_missing_dependency_fails_in_ci_and_passes_with_a_skip_elsewhere(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole effect, in a pytest run of its own: exit status, outcome counts, the reason shown."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        test_needs_a_tool=textwrap.dedent(
            """
            from tests.harness.requirements import require

            def test_uses_the_tool():
                require(False, "the frobnicator", "apt-get install frobnicator")
            """
        )
    )

    monkeypatch.delenv("CI", raising=False)
    local = pytester.runpytest_subprocess("-ra", "-p", "no:cacheprovider")
    monkeypatch.setenv("CI", "true")
    ci = pytester.runpytest_subprocess("-ra", "-p", "no:cacheprovider")

    local.assert_outcomes(skipped=1)
    assert local.ret == pytest.ExitCode.OK
    local.stdout.fnmatch_lines(
        ["SKIPPED [[]1[]] test_needs_a_tool.py:4: needs the frobnicator: apt-get install frobnicator"]
    )
    ci.assert_outcomes(failed=1)
    assert ci.ret == pytest.ExitCode.TESTS_FAILED
    ci.stdout.fnmatch_lines(
        ["FAILED test_needs_a_tool.py::test_uses_the_tool - Failed: needs the frobnicator, which is missing*"]
    )


@pytest.mark.parametrize(
    "value", ["true", "TRUE", " True ", "1", "yes", "false", "0", "", "on", "no", "trueish"]
)
def test_the_scripts_and_pytest_read_ci_the_same_way(value: str) -> None:
    script = f'. "{SHELL_RULE}"; if is_ci; then echo ci; else echo local; fi'

    shell = subprocess.run(
        ["sh", "-c", script], env={"CI": value, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )

    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.strip() == ("ci" if in_ci({"CI": value}) else "local")


@pytest.mark.parametrize(("ci", "status", "after"), [("true", 1, ""), ("", 0, "went on\n")])
def test_the_scripts_stop_on_a_missing_dependency_only_in_ci(ci: str, status: int, after: str) -> None:
    script = f'. "{SHELL_RULE}"; missing_dependency "npm not found"; echo "went on"'

    result = subprocess.run(
        ["sh", "-c", script], env={"CI": ci, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )

    assert result.returncode == status
    assert result.stdout == after
    assert result.stderr.startswith("npm not found")


def test_ci_runs_with_ci_set() -> None:
    """`.ci/run` sets CI=true itself, so the rule holds whatever the CI service exports."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()

    assert "export CI=true" in lines
    assert lines.index("export CI=true") < lines.index("make test")
