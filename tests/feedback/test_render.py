"""The three report formats: content, escaping of free text, Excel-friendly CSV, self-contained HTML."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from nwow.feedback.models import SurveyResponse, UnansweredQuestion, Vote
from nwow.feedback.render import csv_cell, md_escape, render, render_csv, render_html, render_markdown
from nwow.feedback.report import Report, compose_report
from nwow.feedback.report_text import MESSAGES

SINCE = datetime(2026, 10, 4, 22, tzinfo=UTC)
UNTIL = datetime(2026, 11, 1, 23, tzinfo=UTC)
T0 = datetime(2026, 10, 6, 10, tzinfo=UTC)
EVIL = "<script>alert('x')</script> | **bold** [link](http://evil.example)"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def survey(n: int, unit: str, **kw: object) -> SurveyResponse:
    values: dict[str, object] = {
        "submission_id": f"s{n}",
        "user_key": f"u{n}",
        "tool": "teams" if n % 2 else "besecure",
        "rating": 1 + n % 5,
        "works": "",
        "obstacles": "",
        "unit": unit,
        "contact_ok": False,
        "contact_id": None,
        "lang": "nl",
        "submitted_at": T0 + timedelta(days=n % 20),
    }
    values.update(kw)
    return SurveyResponse(**values)  # type: ignore[arg-type]


@pytest.fixture
def report() -> Report:
    rows = [survey(i, "fed-dri") for i in range(30)]
    rows += [survey(100 + i, "local-namur") for i in range(10)]
    rows.append(survey(200, "fed-dri", works=EVIL, obstacles=FORMULA))
    rows += [survey(300 + i, "local-arlon", works="Only Arlon has this VPN box") for i in range(2)]
    rows += [survey(400 + i, "local-eupen") for i in range(3)]
    questions = [
        UnansweredQuestion(f"q{i}", EVIL if i == 0 else "Waar is mijn badge?", "nl", T0) for i in range(4)
    ]
    votes = [Vote(f"v{i}", f"u{i}", "vpn-setup", f"a{i}", i % 3 == 0, "fr", T0) for i in range(9)]
    labels = {
        "tool:teams": "Teams",
        "tool:besecure": "BeSecure",
        "unit:local-arlon": "Lokale Politie — Arlon",
    }
    return compose_report(
        rows, votes, questions, since=SINCE, until=UNTIL, min_group_size=5, labels=labels, now=UNTIL
    )


def test_report_text_has_every_language_and_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == {"nl", "fr", "de", "en"}, key
        fields = {lang: sorted(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert len({tuple(v) for v in fields.values()}) == 1, key


def test_markdown_has_the_sections_and_escapes_free_text(report: Report) -> None:
    text = render_markdown(report, "en")
    for heading in (
        "## Overview",
        "## By tool",
        "## By unit",
        "## Weekly trend",
        "## Top unanswered questions",
    ):
        assert heading in text
    assert "| Lokale Politie — Arlon | suppressed (fewer than 5) |" in text
    assert "Only Arlon has this VPN box" not in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "\\*\\*bold\\*\\*" in text and "\\[link\\]" in text
    assert "\\|" in text  # the user's pipe does not split the table cell
    for line in text.splitlines():
        if line.startswith("| ") and "Spread" not in line and "---" not in line:
            assert len(re.findall(r"(?<!\\)\|", line)) in (4, 5, 6), line


def test_md_escape_keeps_one_line() -> None:
    assert md_escape("a\nb\r\nc|d") == "a b c\\|d"


def test_csv_is_utf8_with_bom_one_table_and_excel_safe(report: Report) -> None:
    data = render_csv(report, "nl")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len({len(r) for r in rows}) == 1, "every row has the same columns"
    sections = {r[0] for r in rows[1:]}
    assert {"overall", "tool", "unit", "week", "unanswered", "thumbs_down", "comment"} <= sections
    arlon = next(r for r in rows if r[1] == "local-arlon")
    assert arlon[3:7] == ["", "", "", ""] and "verborgen" in arlon[-1]
    overall = next(r for r in rows if r[0] == "overall")
    assert re.fullmatch(r"\d+,\d\d", overall[5]), "Dutch CSV uses a decimal comma"
    comment_cells = [cell for r in rows if r[0] == "comment" for cell in r]
    assert "'" + FORMULA in comment_cells
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)
    assert all("Arlon has this" not in cell for r in rows for cell in r)


def test_english_csv_uses_commas_and_decimal_points(report: Report) -> None:
    rows = list(csv.reader(io.StringIO(render_csv(report, "en").decode("utf-8-sig"))))
    overall = next(r for r in rows if r[0] == "overall")
    assert re.fullmatch(r"\d+\.\d\d", overall[5])


def test_csv_cell() -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("-2") == "'-2"
    assert csv_cell("fine") == "fine"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_one_self_contained_file_with_charts(report: Report) -> None:
    html = render_html(report, "fr")
    parser = _Collector()
    parser.feed(html)
    assert "script" not in parser.tags
    assert parser.urls == [], "no external resources"
    assert parser.tags.count("svg") == 2
    assert "polyline" in parser.tags and "rect" in parser.tags
    text = "".join(parser.text)
    assert EVIL in text, "shown as text"
    assert "<script>alert" not in html
    assert "masqué (moins de 5)" in text
    assert "Only Arlon" not in html
    assert html.startswith("<!DOCTYPE html>") and "<html lang='fr'>" in html


def test_render_dispatches_and_refuses_unknown_formats(report: Report) -> None:
    assert render(report, "md", "de").startswith(b"# NWOW-Feedback: Bericht")
    assert render(report, "html", "en").startswith(b"<!DOCTYPE html>")
    with pytest.raises(ValueError, match="xlsx"):
        render(report, "xlsx")


def test_an_empty_period_renders_in_every_format() -> None:
    empty = compose_report([], [], [], since=SINCE, until=UNTIL, min_group_size=5, now=UNTIL)
    assert "No responses in this period." in render_markdown(empty, "en")
    assert "Aucune réponse" in render_html(empty, "fr")
    assert len(render_csv(empty, "de").decode("utf-8-sig").splitlines()) == 3


def test_a_tool_has_the_same_colour_in_both_charts(report: Report) -> None:
    html = render_html(report, "en")
    bar_svg, line_svg = re.findall(r"<svg.*?</svg>", html)
    colors: dict[str, str] = {}
    for tool in ("Teams", "BeSecure"):
        bar_color = re.search(rf"fill='(#[0-9a-f]{{6}})'><title>{tool}:", bar_svg)
        legend_color = re.search(rf"fill='(#[0-9a-f]{{6}})'/><text[^>]*>{tool}</text>", line_svg)
        assert bar_color and legend_color, tool
        assert bar_color.group(1) == legend_color.group(1)
        colors[tool] = bar_color.group(1)
    overall = re.search(r"fill='(#[0-9a-f]{6})'/><text[^>]*>All responses</text>", line_svg)
    assert overall and overall.group(1) not in colors.values()
    assert len(set(colors.values())) == 2
