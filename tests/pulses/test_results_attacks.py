"""Nobody's pulse answer follows from combining published figures (docs/anonymity.md, "Adoption pulses").

The insider reads `nwow feedback report` in every format and DRI's summary card, turns every number into a
linear function of the unit × answer cells (tests/pulses/pulse_attacker.py) and looks for a set of cells of
1..k-1 people that some combination of them pins down: total minus the shown units, an answer's count minus
its shown units, a unit minus its shown answers, a mean times its size minus the shown answers, the rate
table's respondents, the card against the report. The same attacker finds the leak in a naive publication.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cards.summary_pulses import pulse_elements
from bot.cli import main
from nwow.feedback.units import UNITS_FILE, load_units
from nwow.paths import default_faq_dir
from nwow.pulses.model import QuestionKind
from nwow.pulses.published import pulse_reports
from nwow.pulses.results import categories
from nwow.storage import open_database
from nwow.storage.write_once import KvWriteOnce
from tests.pulses.pulse_attacker import PulseAttacker, read_card, read_csv, read_html, read_markdown
from tests.pulses.results_seed import make_pulse, seed_pulse
from tests.pulses.scenario import K, people

NOW = datetime.now(UTC)
PULSE = make_pulse(opens=(NOW - timedelta(days=20)).date(), closes=(NOW + timedelta(days=10)).date())


def unit_labels() -> dict[str, str]:
    units, _ = load_units(default_faq_dir() / UNITS_FILE)
    assert units is not None
    return {units.label(u.id, "en"): u.id for u in units.units}


def attacker() -> PulseAttacker:
    return PulseAttacker(PULSE, people(), K, unit_labels())


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "NWOW_DATABASE_URL", "NWOW_FAQ_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NWOW_MIN_GROUP_SIZE", str(K))
    monkeypatch.setenv("NWOW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    yield f"sqlite:///{tmp_path / 'data' / 'nwow.sqlite3'}"


def seed(url: str) -> None:
    async def run() -> None:
        db = await open_database(url)
        try:
            await seed_pulse(
                db, PULSE, people(), started_at=NOW - timedelta(days=20), close_at=NOW - timedelta(hours=1)
            )
        finally:
            await db.close()

    asyncio.run(run())


def report(tmp_path: Path, fmt: str) -> bytes:
    out = tmp_path / f"report.{fmt}"
    assert main(["feedback", "report", "--format", fmt, "--out", str(out), "--lang", "en"]) == 0
    return out.read_bytes()


def card(url: str) -> dict[str, object]:
    async def run() -> dict[str, object]:
        db = await open_database(url)
        try:
            reports = await pulse_reports(db.pulses, KvWriteOnce(db.kv), min_group_size=K, now=NOW)
        finally:
            await db.close()
        return {"body": pulse_elements(reports, "en")}

    return asyncio.run(run())


@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
def test_one_report_reveals_no_small_cell(env: str, tmp_path: Path, fmt: str) -> None:
    seed(env)
    data = report(tmp_path, fmt)
    spy = attacker()
    if fmt == "md":
        read = read_markdown(spy, data.decode(), fmt)
    elif fmt == "html":
        read = read_html(spy, data.decode(), fmt)
    else:
        read = read_csv(spy, data, fmt)
    assert read >= 3 and spy.functionals, (
        "the report should show the questions' tables (else this proves nothing)"
    )
    assert spy.disclosures() == [], "\n".join(map(str, spy.disclosures()))


def test_every_output_together_reveals_no_small_cell(env: str, tmp_path: Path) -> None:
    """The three formats, the card, and the same report asked again a day later (frozen: the same figures)."""
    seed(env)
    spy = attacker()
    read_markdown(spy, report(tmp_path, "md").decode(), "md")
    read_html(spy, report(tmp_path, "html").decode(), "html")
    read_csv(spy, report(tmp_path, "csv"), "csv")
    assert read_card(spy, card(env), "card") >= 2
    assert spy.disclosures() == [], "\n".join(map(str, spy.disclosures()))


def test_the_attacker_finds_the_leak_of_a_naive_publication() -> None:
    """Every unit of at least k respondents with its whole distribution and mean, and the total: the
    attacker must find the small cells (fed-dri's one "1", the total minus the shown units...)."""
    spy = attacker()
    units = {p.unit for p in people() if p.answers}
    sizes = {u: sum(1 for p in people() if p.answers and p.unit == u) for u in units}
    for question in PULSE.questions:
        if question.kind is QuestionKind.TEXT:
            continue
        answers = categories(question)
        spy.add("naive total", question, units, answers)
        for answer in answers:
            spy.add("naive total", question, units, [answer])
        for unit in (u for u in units if sizes[u] >= K):
            spy.add("naive unit", question, [unit], answers)
            for answer in answers:
                spy.add("naive unit", question, [unit], [answer])
    found = spy.disclosures()
    assert any(d.atoms == (("fed-dri", "1"),) for d in found), found
    assert any(d.question == "telework-possible" for d in found), found


def test_a_report_asked_while_the_pulse_runs_shows_no_answer(env: str, tmp_path: Path) -> None:
    """Before and after a colleague answers, the report differs by one count, never by an answer."""

    async def run() -> None:
        db = await open_database(env)
        try:
            await seed_pulse(db, PULSE, people(), started_at=NOW - timedelta(days=20))
        finally:
            await db.close()

    asyncio.run(run())
    data = report(tmp_path, "csv").decode("utf-8-sig")
    assert f"{PULSE.id},Pulse {PULSE.id}" in data.replace("'", "")
    assert "pulse_answer" not in data and "pulse_group" not in data and "pulse_comment" not in data
    spy = attacker()
    assert read_csv(spy, data.encode("utf-8-sig"), "csv") == 0 and spy.functionals == []
