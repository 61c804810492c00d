"""An adoption pulse in the Agents Playground: DRI starts it with `nwow pulse start` (a real process on the
bot's database); the card arrives in the personal chat (sent proactively, in the user's language) and is
answered there, once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bot.strings import t
from tests.browser.conftest import PLAYGROUND_LOCALE, BotServer
from tests.browser.playground import Chat
from tests.harness.pulses import write_pulse_file
from tests.harness.waiting import wait_until

pytestmark = pytest.mark.browser

LANG = PLAYGROUND_LOCALE[:2]
TITLE = {
    "nl": "Werken met Teams",
    "fr": "Travailler avec Teams",
    "de": "Arbeiten mit Teams",
    "en": "Working with Teams",
}


def test_the_pulse_card_arrives_in_the_personal_chat_and_is_answered_once(
    chat: Chat, bot_server: BotServer, tmp_path: Path
) -> None:
    with chat.step("p1-started-by-dri"):
        # The playground installed the app: the bot keeps the personal chat's address.
        wait_until(lambda: bot_server.query("SELECT COUNT(*) FROM addresses WHERE kind = 'user'")[0][0] >= 1)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "NWOW_"))}
        env["NWOW_DATA_DIR"] = str(bot_server.data_dir)
        started = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "pulse",
                "start",
                str(write_pulse_file(tmp_path, "browser-pulse", TITLE, days=3)),
                "--now",
                "--no-wait",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert started.returncode == 0, started.stderr
        assert "Started pulse browser-pulse" in started.stdout

    with chat.step("p2-the-card-arrives"):
        card = chat.wait_for_new_card(TITLE[LANG], 0)
        expect(card).to_contain_text(t("pulse.privacy", LANG, min_group="5"))
        expect(card.get_by_role("button", name=t("pulse.opt_out", LANG), exact=True)).to_be_visible()

    with chat.step("p3-answered"):
        card.get_by_role("radio", name="4", exact=True).check()
        card.get_by_role("radio", name=t("pulse.yes", LANG), exact=True).check()
        card.get_by_role("textbox").first.fill("A second screen at home")
        thanks = chat.messages_with(t("pulse.thanks", LANG))
        chat.click(card, t("pulse.submit", LANG))
        expect(thanks).to_have_count(1)
        rows = bot_server.query("SELECT pulse_id, answers FROM pulse_answers")
        assert len(rows) == 1 and rows[0][0] == "browser-pulse", rows
        assert '"rating": 4' in rows[0][1] and '"telework": "yes"' in rows[0][1], rows

    with chat.step("p4-once"):
        # The playground clears the form once sent: the user fills it in again and sends it again.
        card.get_by_role("radio", name="2", exact=True).check()
        card.get_by_role("radio", name=t("pulse.no", LANG), exact=True).check()
        already = chat.messages_with(t("pulse.already", LANG))
        chat.click(card, t("pulse.submit", LANG))
        expect(already).to_have_count(1)
        assert bot_server.query("SELECT COUNT(*) FROM pulse_answers") == [(1,)]
