"""Outside development mode the bot refuses to start on draft security entries or example offices, and says
which setting allows them; with that setting, or in development mode, it serves them marked on their cards."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from nwow.content_gate import ALLOW_SETTING
from nwow.paths import default_faq_dir
from nwow.reloading import LoadFailed
from tests.e2e.conftest import Chat, card_of, card_text
from tests.e2e.test_broken_knowledge_base import free_port
from tests.harness import FakeConnector
from tests.harness.http import start_app
from tests.offices.conftest import FIXTURE_OFFICES

DRAFT_MFA = """\
- id: mfa-setup
  topic: mfa
  owner: ISPO
  reviewed: 2026-12-01
  source: none
  status: draft
  nl: {questions: ['Hoe stel ik MFA in?'], answer: Volg de handleiding van je entiteit.}
  fr: {questions: ['Comment configurer la MFA ?'], answer: Suivez le guide de votre entité.}
"""


@pytest.fixture
def production(auth_settings: Settings, tmp_path: Path, faq_dir: Path) -> Settings:
    """A bot with an app id, on the small test knowledge base, allowing nothing unvalidated."""
    return auth_settings.with_overrides(
        allow_unvalidated_content=False, data_dir=tmp_path / "data", faq_dir=faq_dir, faq_reload_seconds=0
    )


async def test_the_bot_refuses_to_start_on_example_offices(production: Settings) -> None:
    with pytest.raises(LoadFailed) as refused:
        await start_app(create_app(production))

    assert "office 'brussel-noord' is an example" in str(refused.value)
    assert f"set {ALLOW_SETTING}=true" in str(refused.value)


async def test_the_bot_refuses_to_start_on_a_draft_security_entry(
    production: Settings, faq_dir: Path
) -> None:
    shutil.copy(FIXTURE_OFFICES, faq_dir / "offices.yml")  # real-looking offices: not examples
    entries = faq_dir / "entries" / "tools.yml"
    entries.write_text(entries.read_text(encoding="utf-8") + DRAFT_MFA, encoding="utf-8")

    with pytest.raises(LoadFailed) as refused:
        await start_app(create_app(production))

    assert "entry 'mfa-setup' is a draft security entry" in str(refused.value)
    assert ALLOW_SETTING in str(refused.value)


async def test_an_edit_that_brings_in_a_draft_security_entry_is_not_served(
    production: Settings, faq_dir: Path
) -> None:
    shutil.copy(FIXTURE_OFFICES, faq_dir / "offices.yml")
    app = create_app(production)
    runner, _ = await start_app(app)
    try:
        knowledge = app[RUNTIME].knowledge
        served = knowledge.current.version.content_hash
        entries = faq_dir / "entries" / "tools.yml"
        entries.write_text(entries.read_text(encoding="utf-8") + DRAFT_MFA, encoding="utf-8")

        result = await knowledge.reload()

        assert knowledge.current.version.content_hash == served  # the last good version stays in service
        assert knowledge.current.entry("mfa-setup") is None
        assert any(ALLOW_SETTING in p.message for p in result.errors)
    finally:
        await runner.cleanup()


async def test_with_the_setting_the_bot_starts_on_example_content(production: Settings) -> None:
    runner, base_url = await start_app(create_app(production.with_overrides(allow_unvalidated_content=True)))
    try:
        async with aiohttp.ClientSession() as session, session.get(base_url + "/readyz") as response:
            assert response.status == 200
    finally:
        await runner.cleanup()


async def test_development_mode_serves_example_content_marked_on_its_cards(
    settings: Settings, fake_connector: FakeConnector
) -> None:
    runner, base_url = await start_app(create_app(settings))
    try:
        chat = Chat(base_url, fake_connector)
        [answer] = await chat.say("hoe installeer ik teams op mijn gsm", locale="nl-BE")
        assert "⚠️ Voorlopig antwoord — nog niet gevalideerd door DRI" in card_text(card_of(answer))
        [offices] = await chat.say("satellite office near Ghent", locale="en-GB")
        assert "⚠️ Example — not yet validated by DRI" in card_text(card_of(offices))
    finally:
        await runner.cleanup()


def test_nwow_serve_with_an_app_id_on_the_shipped_content_exits_naming_the_setting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "NWOW_"))}
    env.update(
        MicrosoftAppId="0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        MicrosoftAppPassword="not-used",
        NWOW_PSEUDONYM_KEY="a-pseudonym-key-for-this-test",
        NWOW_FAQ_DIR=str(default_faq_dir()),
        NWOW_DATA_DIR=str(tmp_path / "data"),
    )

    process = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(free_port())],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert process.returncode != 0
    assert "Traceback" not in process.stderr
    assert "nwow serve: cannot start." in process.stderr
    assert "is a draft security entry" in process.stderr
    assert f"Set {ALLOW_SETTING}=true to serve them anyway" in process.stderr
