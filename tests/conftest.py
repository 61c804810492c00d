"""Suite-wide pytest configuration: the shared harness fixtures (see tests/harness/fixtures.py), pytester
(for the tests of the harness's own rules) and the per-marker time limits (tests/harness/timeouts.py)."""

pytest_plugins = ["pytester", "tests.harness.fixtures", "tests.harness.timeouts"]
