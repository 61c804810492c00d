"""What the bot says about privacy is what it runs with: the retention period and the minimum group size
come from its settings, in the FAQ answers and on the my-data cards, and a keyed hash is not called
encryption."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.app import create_app
from bot.settings import Settings
from nwow.paths import default_faq_dir
from tests.e2e.conftest import Chat, card_of, card_text
from tests.harness import FakeConnector
from tests.harness.http import start_app


async def test_privacy_texts_quote_the_running_settings(
    settings: Settings, tmp_path: Path, fake_connector: FakeConnector
) -> None:
    shipped = tmp_path / "shipped-faq"
    shutil.copytree(default_faq_dir(), shipped)
    runner, base_url = await start_app(
        create_app(settings.with_overrides(faq_dir=shipped, retention_days=365, min_group_size=8))
    )
    try:
        chat = Chat(base_url, fake_connector)
        [answer] = await chat.say("Wat bewaar je over mij?", locale="nl-BE")
        text = card_text(card_of(answer))
        assert "**365 dagen**" in text and "minstens **8** personen" in text
        assert "{setting:" not in text and "een hash met sleutel, geen versleuteling" in text

        [mine] = await chat.say("mijn gegevens", locale="nl-BE")
        text = card_text(card_of(mine))
        assert "Alles wordt automatisch gewist 365 dagen nadat het werd opgeslagen." in text
        assert "geen versleuteling" in text

        [confirm] = await chat.say("verwijder mijn gegevens", locale="nl-BE")
        assert "minstens 8 personen" in card_text(card_of(confirm))
    finally:
        await runner.cleanup()
