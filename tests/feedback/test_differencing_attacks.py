"""Nobody's rating follows from subtracting published feedback figures (docs/anonymity.md).

Each test plays an insider with access to everything DRI and the ambassadors see: `nwow feedback report` in
every format and for every period the command accepts, and the Teams cards asked at any moment. The attacker
(tests/feedback/attacker.py) reads the numbers back out of those outputs and tries every subtraction
between them; a group of fewer than the minimum number of respondents that it can pin down is a failure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import RUNTIME, create_app
from bot.cli import main
from bot.settings import Settings
from bot.strings import t
from nwow.feedback.models import SurveyResponse, UnansweredQuestion
from nwow.feedback.periods import last_closed_month
from nwow.feedback.survey import TOOLS
from nwow.feedback.units import UNITS_FILE, load_units
from nwow.paths import default_faq_dir
from nwow.storage import open_database
from tests.e2e.conftest import Chat, card_of
from tests.feedback.attacker import (
    BRUSSELS,
    Attacker,
    Labels,
    describe,
    read_card,
    read_csv,
    read_html,
    read_markdown,
)
from tests.feedback.test_feedback_cli import seed
from tests.harness import FakeConnector
from tests.harness.fixtures import ServeApp
from tests.storage.factories import survey

K = 5
DRI = "00000000-0000-0000-0000-000000000001"  # the aadObjectId of tests.harness.message_activity


def labels() -> Labels:
    units, _ = load_units(default_faq_dir() / UNITS_FILE)
    assert units is not None
    return Labels(
        tools={t(f"tool.{tool}", "en"): tool for tool in TOOLS},
        units={units.label(unit.id, "en"): unit.id for unit in units.units},
    )


def months_back(count: int) -> date:
    """The first day of the calendar month `count` months before this one (Brussels)."""
    today = datetime.now(BRUSSELS).date()
    index = today.year * 12 + today.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), BRUSSELS).astimezone(UTC)


def answer(user: str, tool: str, unit: str, rating: int, when: datetime) -> SurveyResponse:
    return survey(
        f"{user}-{tool}-{when.isoformat()}", user, tool=tool, unit=unit, rating=rating, works="", obstacles="",
        lang="en", submitted_at=when,
    )  # fmt: skip


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A clean environment for `nwow feedback report`; yields the URL of its (default) database."""
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "NWOW_DATABASE_URL", "NWOW_FAQ_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NWOW_MIN_GROUP_SIZE", str(K))
    monkeypatch.setenv("NWOW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    yield f"sqlite:///{tmp_path / 'data' / 'nwow.sqlite3'}"


def report(tmp_path: Path, fmt: str, *period: str) -> bytes | None:
    """The report the command writes for `period` options, or None when it refuses them."""
    out = tmp_path / f"report-{fmt}-{'-'.join(period) or 'default'}.{fmt}"
    out.unlink(missing_ok=True)
    try:
        code = main(["feedback", "report", "--format", fmt, "--out", str(out), "--lang", "en", *period])
    except SystemExit as exc:  # argparse refusing an option's value
        code = exc.code if isinstance(exc.code, int) else 2
    return out.read_bytes() if code == 0 else None


def read_report(attacker: Attacker, data: bytes, fmt: str, source: str) -> None:
    names = labels()
    if fmt == "csv":
        attacker.read(read_csv(data, source, names))
    elif fmt == "md":
        attacker.read(read_markdown(data.decode("utf-8"), source, names))
    else:
        attacker.read(read_html(data.decode("utf-8"), source, names))


def month_options(first: date, last: date) -> list[tuple[str, ...]]:
    """Every way an attacker may name a period around [first, last]: days and months."""
    day_pairs = [(first, last), (first, last - timedelta(days=1)), (first + timedelta(days=1), last)]
    options: list[tuple[str, ...]] = [
        ("--since", a.isoformat(), "--until", b.isoformat()) for a, b in day_pairs
    ]
    options.append(("--since", first.strftime("%Y-%m"), "--until", last.strftime("%Y-%m")))
    return options


def scenario_one_month(month: date) -> list[SurveyResponse]:
    """Answers in one calendar month, in two ISO weeks; every group the attacks need, nothing else.

    Week 1: six Teams answers from one unit and one Yammer answer from someone in Namur. Week 2: six Teams
    answers from DGJ, five Office 365 answers from Liège and one from Antwerp, and a few small groups
    (WiKiPol, BeSecure) that make the hidden part of each breakdown large enough on its own.
    """
    monday = month + timedelta(days=(7 - month.weekday()) % 7)
    week1, week2 = monday + timedelta(days=1), monday + timedelta(days=8)
    rows = [answer(f"t{i}", "teams", "fed-dri", r, at(week1, 9, i)) for i, r in enumerate((5, 5, 4, 4, 4, 3))]
    rows.append(answer("y1", "yammer", "local-namur", 1, at(week1, 11)))
    rows += [
        answer(f"t{6 + i}", "teams", "fed-dgj", r, at(week2, 9, i)) for i, r in enumerate((4, 4, 4, 4, 5, 3))
    ]
    rows += [answer(f"o{i}", "office365", "local-liege", 4, at(week2, 10, i)) for i in range(5)]
    rows.append(answer("o5", "office365", "local-antwerpen", 2, at(week2, 11)))
    rows += [answer(f"w{i}", "wikipol", "local-brussel", r, at(week2, 12, i)) for i, r in enumerate((3, 2))]
    rows += [answer(f"b{i}", "besecure", "local-hainaut", r, at(week2, 13, i)) for i, r in enumerate((5, 1))]
    return rows


@pytest.mark.parametrize("fmt", ["html", "md", "csv"])
def test_one_report_reveals_nobody_by_subtracting_its_own_figures(env: str, tmp_path: Path, fmt: str) -> None:
    """Week row minus a tool's chart point, a tool minus a unit that used only that tool, totals minus rows."""
    month = months_back(2)
    last = months_back(1) - timedelta(days=1)
    rows = scenario_one_month(month)
    seed(env, rows)
    found_any = False
    for options in month_options(month, last)[::3]:  # the whole month, by days and by month
        data = report(tmp_path, fmt, *options)
        if data is None:
            continue
        attacker = Attacker(K, rows)
        read_report(attacker, data, fmt, f"{fmt} {' '.join(options)}")
        attacker.check_figures_are_real()
        found_any = found_any or any(f.scope.tool == "teams" for f in attacker.figures)
        assert attacker.differences() == [], describe(attacker.differences())
    assert found_any, "the report should still show the Teams figures (else this test proves nothing)"


def test_reports_a_day_apart_reveal_nobody(env: str, tmp_path: Path) -> None:
    """A colleague answers on day 2: the report up to day 1 and the report up to day 2 differ by them."""
    month = months_back(2)
    day1 = month + timedelta(days=9)
    rows = [answer(f"u{i}", "teams", "fed-dri", r, at(day1, 9, i)) for i, r in enumerate((4, 4, 5, 3, 4, 4))]
    colleague = answer("colleague", "teams", "fed-dri", 1, at(day1 + timedelta(days=1), 15))
    seed(env, [*rows, colleague])
    attacker = Attacker(K, [*rows, colleague])
    outputs = 0
    for fmt in ("csv", "md", "html"):
        for options in [
            ("--since", month.isoformat(), "--until", day1.isoformat()),
            ("--since", month.isoformat(), "--until", (day1 + timedelta(days=1)).isoformat()),
            ("--since", month.strftime("%Y-%m"), "--until", month.strftime("%Y-%m")),
            (),
        ]:
            data = report(tmp_path, fmt, *options)
            if data is not None:
                outputs += 1
                read_report(attacker, data, fmt, f"{fmt} {' '.join(options) or 'default period'}")
    attacker.check_figures_are_real()
    assert outputs and attacker.figures
    assert attacker.differences() == [], describe(attacker.differences())


def test_a_closed_month_reads_the_same_after_late_answers_deletions_the_purge_and_a_new_minimum(
    env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Else the two reports differ by exactly the answers that changed: a late one, or a colleague's."""
    month = months_back(2)
    last = months_back(1) - timedelta(days=1)
    rows = scenario_one_month(month)
    seed(env, rows)

    def month_report() -> bytes:
        data = report(tmp_path, "csv", *month_options(month, last)[3]) or report(
            tmp_path, "csv", *month_options(month, last)[0]
        )
        assert data is not None
        return b"\n".join(line for line in data.splitlines() if b"Generated" not in line)

    before = month_report()
    seed(env, [answer("late", "teams", "fed-dri", 1, at(month + timedelta(days=20), 23, 59))])

    async def forget_and_purge() -> None:
        database = await open_database(env)
        try:
            await database.feedback.delete_user_data("o5")
            await database.feedback.purge_older_than(at(month + timedelta(days=8)))
        finally:
            await database.close()

    asyncio.run(forget_and_purge())
    monkeypatch.setenv("NWOW_MIN_GROUP_SIZE", str(K + 2))
    assert month_report() == before


def test_a_day_precise_period_is_refused_with_the_reason(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    month = months_back(2)
    code = main(["feedback", "report", "--format", "md", "--out", "-", "--since", month.isoformat()])
    assert code == 2
    assert "calendar month" in capsys.readouterr().err


async def _served_bot(serve_app: ServeApp, tmp_path: Path) -> tuple[Any, str]:
    settings = Settings().with_overrides(
        dev_mode=True,
        data_dir=tmp_path / "data",
        faq_dir=default_faq_dir(),
        min_group_size=K,
        dri_members=frozenset({DRI}),
        ambassador_members=frozenset({DRI}),
    )
    app = create_app(settings)
    return app, await serve_app(app)


async def test_the_summary_asked_before_and_after_a_colleague_answers_reveals_nothing(
    serve_app: ServeApp, fake_connector: FakeConnector, tmp_path: Path
) -> None:
    app, base_url = await _served_bot(serve_app, tmp_path)
    store = app[RUNTIME].database.feedback
    now = datetime.now(UTC)
    # Answers in the month the summary shows: the last closed one. Not simply last month: in the hour after
    # midnight on the 1st (Brussels) last month is not closed yet (nwow/feedback/periods.py SETTLE) and the
    # card shows the month before, which would hold no answer and prove nothing.
    shown = last_closed_month(now).first_day() + timedelta(days=14)
    rows = [
        answer(f"a{i}", "teams", "fed-dri", r, now - timedelta(days=1, minutes=i))
        for i, r in enumerate((4, 4, 5, 3, 4, 4))
    ]
    rows += [
        answer(f"b{i}", "teams", "fed-dgj", r, at(shown, 9, i)) for i, r in enumerate((5, 4, 4, 3, 4, 2))
    ]
    for row in rows:
        await store.record_survey(row)
    dri = Chat(base_url, fake_connector)

    cards: list[tuple[dict[str, Any], datetime]] = []
    asked = datetime.now(UTC)
    [before] = await dri.say("summary")
    cards.append((card_of(before), asked))
    colleague = answer("colleague", "teams", "fed-dri", 1, datetime.now(UTC))
    await store.record_survey(colleague)
    asked = datetime.now(UTC)
    [after] = await dri.say("summary")
    cards.append((card_of(after), asked))

    attacker = Attacker(K, [*rows, colleague])
    for n, (card, when) in enumerate(cards):
        attacker.read(read_card(card, f"summary card {n + 1}", labels(), when))
    attacker.check_figures_are_real()
    assert attacker.figures, "the summary should show figures (else this test proves nothing)"
    assert attacker.differences() == [], describe(attacker.differences())


async def test_the_unanswered_card_asked_before_and_after_a_colleague_asks_is_the_same(
    serve_app: ServeApp, fake_connector: FakeConnector, tmp_path: Path
) -> None:
    """Else the new line is the colleague's question."""
    app, base_url = await _served_bot(serve_app, tmp_path)
    store = app[RUNTIME].database.feedback
    earlier = datetime.now(UTC) - timedelta(days=15)
    for i in range(6):
        # Questions in the FAQ's scope that it does not answer: the card lists only those (still open).
        await store.record_unanswered(
            UnansweredQuestion(f"q{i}", f"where is the teams parking {i % 2}", "en", earlier)
        )
    ambassador = Chat(base_url, fake_connector)
    [before] = await ambassador.say("unanswered")
    await store.record_unanswered(
        UnansweredQuestion("colleague", "can I see who rated my unit", "en", datetime.now(UTC))
    )
    [after] = await ambassador.say("unanswered")
    assert card_of(after) == card_of(before)
    assert "parking" in str(card_of(before)), "the card should show the earlier questions"
