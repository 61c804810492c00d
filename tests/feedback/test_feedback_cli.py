"""`nwow feedback report` and `nwow feedback purge`, invoked through the real console entry point."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.feedback import period
from nwow.feedback.models import SurveyResponse
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
    now = datetime.now(UTC)
    seed(url, [response(i, now - timedelta(days=2)) for i in range(6)])
    out = env / "out" / "report.html"
    assert main(["feedback", "report", "--format", "html", "--out", str(out), "--lang", "en"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "comment 3" in html
    assert "Federal Police — Directorate of Police Information and ICT (DRI, DGR)" in html


def test_report_runs_where_only_the_app_id_is_set(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tool needs neither the bot's secret nor its pseudonym key (an analyst's machine has neither)."""
    monkeypatch.setenv("MicrosoftAppId", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    monkeypatch.delenv("NWOW_PSEUDONYM_KEY", raising=False)
    url = f"sqlite:///{env / 'data' / 'nwow.sqlite3'}"
    seed(url, [response(i, datetime.now(UTC) - timedelta(days=1)) for i in range(5)])
    out = env / "report.md"

    assert main(["feedback", "report", "--format", "md", "--out", str(out), "--lang", "en"]) == 0
    assert "comment 4" in out.read_text(encoding="utf-8")


def test_report_with_database_option_and_period(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{env / 'other.sqlite3'}"
    seed(url, [response(i, datetime(2026, 3, 10, 12, tzinfo=UTC)) for i in range(5)])
    seed(url, [response(100 + i, datetime(2026, 5, 10, 12, tzinfo=UTC)) for i in range(5)])
    args = ["feedback", "report", "--database", url, "--since", "2026-03-01", "--until", "2026-03-31"]
    assert main([*args, "--format", "md", "--out", "-", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Period: 2026-03-01 to 2026-03-31 inclusive" in text
    assert "| All responses | 5 | 5 |" in text


def test_report_refuses_a_lower_minimum_and_a_reversed_period(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(env / "r.md")
    assert main(["feedback", "report", "--format", "md", "--out", out, "--min-group-size", "2"]) == 2
    assert "stricter" in capsys.readouterr().err
    assert (
        main(
            [
                "feedback",
                "report",
                "--format",
                "md",
                "--out",
                out,
                "--since",
                "2026-05-02",
                "--until",
                "2026-05-01",
            ]
        )
        == 2
    )
    assert "after" in capsys.readouterr().err
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


def test_period_is_whole_days_in_belgian_time() -> None:
    since, until = period(date(2026, 7, 1), date(2026, 7, 31), date(2026, 11, 23))
    assert since == datetime(2026, 6, 30, 22, tzinfo=UTC)  # summer time: UTC+2
    assert until == datetime(2026, 7, 31, 22, tzinfo=UTC)
    since, until = period(None, None, date(2026, 11, 23))
    assert until == datetime(2026, 11, 23, 23, tzinfo=UTC)
    assert (until - since).days == 90
