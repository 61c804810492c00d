"""A bot (re)started while its knowledge-base files are broken: it serves the last good version kept in its
data folder, with a loud warning; with no such version, `nwow serve` refuses in a few clear lines."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from tests.e2e.conftest import Chat, card_of, card_text
from tests.harness import FakeConnector
from tests.harness.http import start_app

BROKEN_ENTRIES = "entries:\n  - id: [broken\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def break_every_file(faq_dir: Path) -> None:
    (faq_dir / "entries" / "tools.yml").write_text(BROKEN_ENTRIES, encoding="utf-8")
    (faq_dir / "offices.yml").write_text("offices: nope\n", encoding="utf-8")
    (faq_dir / "units.yml").write_text("units: [\n", encoding="utf-8")


async def test_a_bot_restarted_on_broken_files_answers_from_the_last_good_version(
    settings: Settings, faq_dir: Path, fake_connector: FakeConnector, caplog: pytest.LogCaptureFixture
) -> None:
    runner, _ = await start_app(create_app(settings))  # a good start keeps a snapshot of every file set
    await runner.cleanup()
    snapshots = settings.data_dir / "kb-snapshots"
    assert sorted(p.name for p in snapshots.iterdir()) == ["faq", "offices", "units"]

    break_every_file(faq_dir)
    with caplog.at_level(logging.WARNING, logger="nwow.reloading"):
        app = create_app(settings)
        runner, base_url = await start_app(app)
    try:
        chat = Chat(base_url, fake_connector)
        [answer] = await chat.say("hoe installeer ik teams op mijn gsm", locale="nl-BE")
        assert "Installeer de Teams-app" in card_text(card_of(answer))
        [offices] = await chat.say("satellietkantoor bij Gent", locale="nl-BE")
        assert "Gent" in card_text(card_of(offices))
        async with aiohttp.ClientSession() as session, session.get(base_url + "/readyz") as response:
            ready = await response.json()
        assert response.status == 200
        assert ready["knowledge_base"]["from_snapshot"] is True
        runtime = app[RUNTIME]
        assert runtime.offices.serving_snapshot is not None
        assert runtime.units.serving_snapshot is not None
        assert runtime.units.current.choices("nl")
    finally:
        await runner.cleanup()

    warnings = [
        r.getMessage() for r in caplog.records if r.name == "nwow.reloading" and r.levelno == logging.WARNING
    ]
    assert len(warnings) == 3  # the knowledge base, the offices, the units
    assert all("SERVING THE LAST GOOD VERSION, saved " in text for text in warnings)
    assert any(
        f"{faq_dir / 'entries' / 'tools.yml'}:3: error: YAML syntax error" in text for text in warnings
    )


def test_nwow_serve_on_broken_files_without_a_snapshot_exits_with_a_short_clear_message(
    faq_dir: Path, tmp_path: Path
) -> None:
    break_every_file(faq_dir)
    env = {
        **os.environ,
        "NWOW_FAQ_DIR": str(faq_dir),
        "NWOW_DATA_DIR": str(tmp_path / "fresh-data"),
        "NWOW_LOG_FORMAT": "text",
    }

    process = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--dev", "--port", str(free_port())],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert process.returncode != 0
    assert "Traceback" not in process.stderr
    assert len(process.stderr.splitlines()) <= 10, process.stderr
    assert "nwow serve: cannot start. The knowledge base in" in process.stderr
    assert "there is no saved last good version to start from" in process.stderr
    assert f"{faq_dir / 'entries' / 'tools.yml'}:3: error: YAML syntax error" in process.stderr
