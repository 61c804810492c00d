"""`nwow feedback report` and `nwow feedback purge`, invoked through the real console entry point."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.feedback import report_months
from nwow.feedback.models import SurveyResponse
from nwow.feedback.periods import Month
from nwow.storage import open_database


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A clean environment: no app id, the data folder in tmp (so the default SQLite file is there)."""
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "NWOW_DATABASE_URL", "NWOW_MIN_GROUP_SIZE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NWOW_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def response(n: int, at: datetime, unit: str = "fed-dri") -> SurveyResponse:
    return SurveyResponse(
        submission_id=f"s{n}",
        user_key=f"u{n}",
        tool="teams",
        rating=4,
        works=f"comment {n}",
        obstacles="",
        unit=unit,
        contact_ok=False,
        contact_id=None,
        lang="nl",
        submitted_at=at,
    )


def seed(url: str, rows: list[SurveyResponse]) -> None:
    async def run() -> None:
        db = await open_database(url)
        try:
            for row in rows:
                await db.feedback.record_survey(row)
        finally:
            await db.close()

    asyncio.run(run())


def count(url: str) -> int:
    async def run() -> int:
        db = await open_database(url)
        try:
            far = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
            return len(await db.feedback.surveys_between(*far))
        finally:
            await db.close()

    return asyncio.run(run())


def test_report_reads_the_default_database_from_the_settings(env: Path) -> None:
    url = f"sqlite:///{env / 'data' / 'nwow.sqlite3'}"
    when = datetime(2026, 3, 10, 12, tzinfo=UTC)
    seed(url, [response(i, when) for i in range(6)])
    out = env / "out" / "report.html"
    args = ["feedback", "report", "--since", "2026-03", "--until", "2026-03", "--format", "html"]
    assert main([*args, "--out", str(out), "--lang", "en"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "comment 3" in html
    assert "Federal Police — Directorate of Police Information and ICT Resources (DRI, DGR)" in html


def test_report_runs_where_only_the_app_id_is_set(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tool needs neither the bot's secret nor its pseudonym key (an analyst's machine has neither)."""
    monkeypatch.setenv("MicrosoftAppId", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    monkeypatch.delenv("NWOW_PSEUDONYM_KEY", raising=False)
    url = f"sqlite:///{env / 'data' / 'nwow.sqlite3'}"
    seed(url, [response(i, datetime(2026, 3, 10, 12, tzinfo=UTC)) for i in range(5)])
    out = env / "report.md"

    args = ["feedback", "report", "--since", "2026-03", "--until", "2026-03", "--format", "md"]
    assert main([*args, "--out", str(out), "--lang", "en"]) == 0
    assert "comment 4" in out.read_text(encoding="utf-8")


def test_report_with_database_option_and_months(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{env / 'other.sqlite3'}"
    seed(url, [response(i, datetime(2026, 3, 10, 12, tzinfo=UTC)) for i in range(5)])
    seed(url, [response(100 + i, datetime(2026, 5, 10, 12, tzinfo=UTC)) for i in range(5)])
    args = ["feedback", "report", "--database", url, "--since", "2026-03", "--until", "2026-04"]
    assert main([*args, "--format", "md", "--out", "-", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Period: 2026-03 to 2026-04 (closed calendar months)" in text
    assert "| 2026-03 | 5 | 5 |" in text and "2026-05" not in text


def test_the_default_report_is_the_last_three_closed_months(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["feedback", "report", "--format", "md", "--out", "-", "--lang", "en"]) == 0
    last = Month.of(datetime.now(UTC)).previous()
    months = report_months(None, None, datetime.now(UTC))
    assert len(months) == 3 and months[-1] in (last, last.previous())
    assert f"to {months[-1]} (closed calendar months)" in capsys.readouterr().out


def test_report_refuses_days_an_open_month_and_a_reversed_period(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(env / "r.md")
    base = ["feedback", "report", "--format", "md", "--out", out]
    assert main([*base, "--since", "2026-05-02"]) == 2
    assert "calendar month" in capsys.readouterr().err
    this_month = Month.of(datetime.now(UTC)).key
    assert main([*base, "--until", this_month]) == 2
    assert "not over yet" in capsys.readouterr().err
    assert main([*base, "--since", "2026-05", "--until", "2026-04"]) == 2
    assert "after" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*base, "--min-group-size", "2"])  # gone: a month keeps the minimum it was published with
    assert not Path(out).exists()


def test_report_with_an_unsupported_database_url_fails_cleanly(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["feedback", "report", "--format", "md", "--out", "-", "--database", "mysql://u:pw@h/db"])
    assert code == 1
    err = capsys.readouterr().err
    assert "unsupported database URL" in err and "pw" not in err


def test_purge_removes_rows_older_than_the_given_days(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{env / 'data' / 'nwow.sqlite3'}"
    now = datetime.now(UTC)
    seed(url, [response(1, now - timedelta(days=800)), response(2, now - timedelta(days=10))])
    assert main(["feedback", "purge", "--older-than", "730"]) == 0
    assert "removed 1 rows" in capsys.readouterr().out
    assert count(url) == 1
    assert main(["feedback", "purge", "--older-than", "0"]) == 2


def test_report_months_counts_back_from_the_last_closed_month() -> None:
    now = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 00:30 in Brussels: October ended half an hour ago
    assert [m.key for m in report_months(None, None, now)] == ["2026-07", "2026-08", "2026-09"]
    later = now + timedelta(hours=1)
    assert [m.key for m in report_months(None, None, later)] == ["2026-08", "2026-09", "2026-10"]
    assert [m.key for m in report_months("2025-12", "2026-01", later)] == ["2025-12", "2026-01"]
    with pytest.raises(ValueError, match="at most 36"):
        report_months("2020-01", "2026-10", later)
