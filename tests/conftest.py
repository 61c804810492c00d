"""Suite-wide pytest configuration: the shared harness fixtures (see tests/harness/fixtures.py)."""

pytest_plugins = ["tests.harness.fixtures"]
