"""The pulses in the report's three formats (over the CLI) and in DRI's summary card (golden, schema, size):
what is shown, scrubbed and escaped."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import timedelta
from pathlib import Path

from bot.cards.base import adaptive_card
from bot.cards.message import MAX_MESSAGE_BYTES, message_size
from bot.cards.summary_pulses import pulse_elements
from nwow.pulses.published import pulse_reports
from nwow.storage import Database, open_database
from nwow.storage.write_once import KvWriteOnce
from tests.cardcheck import assert_valid_card
from tests.golden import assert_golden
from tests.pulses.results_seed import START, Person, make_pulse, seed_pulse
from tests.pulses.scenario import K, people
from tests.pulses.test_results_attacks import NOW, PULSE, env, report, seed

__all__ = ["env"]

GOLDEN = Path(__file__).parent / "golden"


def test_the_report_shows_the_pulse_in_every_format_scrubbed_and_escaped(env: str, tmp_path: Path) -> None:
    seed(env)
    md = report(tmp_path, "md").decode()
    html = report(tmp_path, "html").decode()
    rows = list(csv.DictReader(io.StringIO(report(tmp_path, "csv").decode("utf-8-sig"))))
    for text in (md, html):
        assert (
            "Call [name] at [phone]" in text.replace("\\", "")
            and "Peeters" not in text
            and "0475" not in text
        )
        assert "Response rate by unit" in text and "94%" in text
    assert "<li>A second screen</li>" in html
    [pulse] = [r for r in rows if r["Section"] == "pulse"]
    assert (pulse["key"], pulse["Respondents"], pulse["Count"], pulse["Mean"]) == (
        PULSE.id,
        "34",
        "36",
        "94.4",
    )
    comments = [r for r in rows if r["Section"] == "pulse_comment"]
    assert len(comments) == 3
    teams = [
        r
        for r in rows
        if r["Section"] == "pulse_answer" and r["key"].endswith("most-used-tool/all") and r["note"] == "teams"
    ]
    assert [r["Count"] for r in teams] == ["24"]


def test_a_hostile_title_and_comment_are_escaped(env: str, tmp_path: Path) -> None:
    async def run() -> None:
        db = await open_database(env)
        try:
            hostile = make_pulse(opens=PULSE.opens, closes=PULSE.closes)
            crowd = [
                Person(f"h{n}", "fed-dri", {"what-would-help": "<script>x</script> | =cmd"}) for n in range(K)
            ]
            await seed_pulse(
                db, hostile, crowd, started_at=NOW - timedelta(days=9), close_at=NOW - timedelta(days=8)
            )
        finally:
            await db.close()

    asyncio.run(run())
    html = report(tmp_path, "html").decode()
    md = report(tmp_path, "md").decode()
    data = report(tmp_path, "csv").decode("utf-8-sig")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>" not in md and "\\|" in md
    assert any(r and r[0] == "pulse_comment" for r in csv.reader(io.StringIO(data)))


async def _card(db: Database) -> dict[str, object]:
    await seed_pulse(db, make_pulse(), people(), close_at=START + timedelta(days=5))
    older = [
        Person(
            f"o{n}", "fed-dri", {"teams-daily-work": 3, "most-used-tool": "teams", "telework-possible": "no"}
        )
        for n in range(10)
    ]
    await seed_pulse(
        db,
        make_pulse("2026-10-before"),
        older,
        started_at=START - timedelta(days=90),
        close_at=START - timedelta(days=80),
    )
    reports = await pulse_reports(
        db.pulses, KvWriteOnce(db.kv), min_group_size=K, now=START + timedelta(days=30)
    )
    return adaptive_card(pulse_elements(reports, "nl"), lang="nl")


async def test_the_summary_card_shows_the_latest_pulses(db: Database) -> None:
    card = await _card(db)
    assert_valid_card(card)
    assert_golden(GOLDEN, "summary_pulses_nl", card)
    assert message_size(card) < MAX_MESSAGE_BYTES
    text = json.dumps(card, ensure_ascii=False)
    assert "gesloten" in text and "vorige" in text and "94\u00a0%" in text
    assert "Peeters" not in text, "no comment in the card"


async def test_the_summary_card_says_nothing_without_pulses(db: Database) -> None:
    reports = await pulse_reports(db.pulses, KvWriteOnce(db.kv), min_group_size=K, now=START)
    assert pulse_elements(reports, "fr") == []
