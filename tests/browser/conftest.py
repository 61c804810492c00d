"""The browser suite's processes: the bot (`nwow serve --dev`), the Agents Playground, headless Chromium.

One bot, one playground and one page per test module: the steps of a module are one user's conversation,
in order. Everything started here is stopped in teardown (process groups, bounded waits).

Needs Debian's chromium, node, the npm packages of tools/browser (scripts/setup_browser.sh installs all
three) and Python playwright; without them every test here is skipped with the reason (and fails in CI:
tests/harness/requirements.py).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.processes import ManagedProcess, free_port
from tests.harness.requirements import require

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

    from tests.browser.playground import Chat

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools" / "browser"
PLAYGROUND_CLI = TOOLS / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path(os.environ.get("NWOW_CHROMIUM", "/usr/bin/chromium"))
# Headless Chromium in a closed network, as root: without the background-networking flags its
# connections to Google services are refused and it stalls.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
START_TIMEOUT = 60.0
STEP_TIMEOUT_MS = 20_000.0
BOT_READY = re.compile(r"Running on http://127\.0\.0\.1:(\d+)")
PLAYGROUND_READY = re.compile(r"Listening on (\d+)")
# The playground sends every activity with this locale (it is fixed in its activity generators).
PLAYGROUND_LOCALE = "en-US"
SETUP_HINT = "run scripts/setup_browser.sh"


def missing_requirements() -> list[str]:
    missing: list[str] = []
    if not CHROMIUM.is_file():
        missing.append(f"chromium ({CHROMIUM}; apt-get install chromium)")
    if shutil.which("node") is None:
        missing.append("node (apt-get install nodejs)")
    if not PLAYGROUND_CLI.is_file():
        missing.append("the npm packages in tools/browser (npm ci --prefix tools/browser)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("Python playwright (pip install playwright)")
    return missing


@pytest.fixture(scope="session", autouse=True)
def browser_requirements() -> None:
    """Every test here stops (skip, or fail in CI) with the same reason when a tool is missing."""
    missing = missing_requirements()
    require(not missing, ", ".join(missing), SETUP_HINT)


@dataclass(frozen=True)
class BotServer:
    url: str
    data_dir: Path
    process: ManagedProcess

    @property
    def database(self) -> Path:
        return self.data_dir / "nwow.sqlite3"

    def query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows from the bot's SQLite database, read directly (read-only)."""
        uri = f"{self.database.as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=10)) as connection:
            return list(connection.execute(sql, parameters))


@dataclass(frozen=True)
class Playground:
    url: str
    process: ManagedProcess


def _nwow_command() -> list[str]:
    script = Path(sys.executable).parent / "nwow"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "bot.cli"]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "NWOW_"))}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def artifacts(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / request.module.__name__.rsplit(".", 1)[-1]
    if folder.is_dir():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(scope="module")
def bot_server(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[BotServer]:
    work = tmp_path_factory.mktemp("bot")
    data_dir = work / "data"
    port = free_port()
    # Unbuffered: aiohttp prints its "Running on" line to stdout, a pipe here.
    env = _clean_env(NWOW_DATA_DIR=str(data_dir), NWOW_LOG_LEVEL="INFO", PYTHONUNBUFFERED="1")
    argv = [*_nwow_command(), "serve", "--dev", "--port", str(port)]
    with ManagedProcess("bot", argv, log_path=artifacts / "bot.log", env=env, cwd=work) as process:
        found = process.start(BOT_READY, START_TIMEOUT)
        yield BotServer(f"http://127.0.0.1:{found.group(1)}", data_dir, process)


@pytest.fixture(scope="module")
def playground(
    bot_server: BotServer, tmp_path_factory: pytest.TempPathFactory, artifacts: Path
) -> Iterator[Playground]:
    work = tmp_path_factory.mktemp("playground")
    node = shutil.which("node")
    assert node is not None
    argv = [
        node,
        str(PLAYGROUND_CLI),
        "--app-endpoint",
        f"{bot_server.url}/api/messages",
        "--channel-id",
        "msteams",
        "--port",
        str(free_port()),
        "--disable-telemetry",
    ]
    env = _clean_env(
        TEAMSAPPTESTER_BROWSER="none",
        M365_AGENTS_PLAYGROUND_LOGFILE=str(artifacts / "playground-internal.log"),
    )
    with ManagedProcess(
        "playground", argv, log_path=artifacts / "playground.log", env=env, cwd=work
    ) as process:
        # It moves to another port when the one asked for is taken: use the one it printed.
        found = process.start(PLAYGROUND_READY, START_TIMEOUT)
        yield Playground(f"http://127.0.0.1:{found.group(1)}/", process)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    driver: Playwright = sync_playwright().start()
    try:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            yield launched
        finally:
            launched.close()
    finally:
        driver.stop()


@pytest.fixture(scope="module")
def chat(browser: Browser, bot_server: BotServer, playground: Playground, artifacts: Path) -> Iterator[Chat]:
    """The playground page, opened once: opening it is what installs the bot and starts the chat."""
    from tests.browser.playground import Chat

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    try:
        page.goto(playground.url, timeout=STEP_TIMEOUT_MS)
        yield Chat(page, artifacts, timeout_ms=STEP_TIMEOUT_MS, server_log=bot_server.process.tail)
    finally:
        context.close()
