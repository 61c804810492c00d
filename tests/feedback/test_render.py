"""The three report formats: content, escaping of free text, Excel-friendly CSV, self-contained HTML."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from nwow.feedback.figures import compute_month
from nwow.feedback.models import SurveyResponse, UnansweredQuestion, Vote
from nwow.feedback.periods import Month
from nwow.feedback.render import csv_cell, md_escape, render, render_csv, render_html, render_markdown
from nwow.feedback.report import Report, compose_report
from nwow.feedback.report_text import MESSAGES, MONTH_NAMES

SEPTEMBER, OCTOBER = Month(2026, 9), Month(2026, 10)
T0 = datetime(2026, 10, 6, 10, tzinfo=UTC)
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
EVIL = "<script>alert('x')</script> | **bold** [link](http://evil.example)"
FORMULA = '=HYPERLINK("http://evil.example","click")'
PERSONAL = "Bel me op 0470 12 34 56 of mail jan.peeters@police.belgium.eu"
CONSENTED = "Ik help graag: bel An Claes op 0471 98 76 54"  # written by someone who agreed to be contacted


def survey(n: int, unit: str, at: datetime = T0, **kw: object) -> SurveyResponse:
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
        "submitted_at": at + timedelta(hours=n % 20),
    }
    values.update(kw)
    return SurveyResponse(**values)  # type: ignore[arg-type]


@pytest.fixture
def report() -> Report:
    rows = [survey(i, "fed-dri") for i in range(30)]
    rows += [survey(100 + i, "local-namur") for i in range(10)]
    rows.append(survey(200, "fed-dri", works=EVIL, obstacles=FORMULA))
    rows.append(survey(201, "fed-dri", works=PERSONAL))
    rows.append(survey(202, "fed-dri", works=CONSENTED, contact_ok=True, contact_id="aad-202"))
    rows += [survey(300 + i, "local-arlon", works="Only Arlon has this VPN box") for i in range(2)]
    rows += [survey(400 + i, "local-eupen") for i in range(3)]
    september = [survey(500 + i, "fed-dri", at=datetime(2026, 9, 10, tzinfo=UTC)) for i in range(12)]
    questions = [
        UnansweredQuestion(f"q{i}", EVIL if i == 0 else "Waar is mijn badge?", "nl", T0) for i in range(4)
    ]
    votes = [Vote(f"v{i}", f"u{i}", "vpn-setup", f"a{i}", i % 3 == 0, "fr", T0) for i in range(9)]
    labels = {
        "tool:teams": "Teams",
        "tool:besecure": "BeSecure",
        "unit:fed-dri": "Federale Politie — DRI",
        "unit:local-arlon": "Lokale Politie — Arlon",
    }
    figures = [
        compute_month(OCTOBER, rows, votes, min_group_size=5, frozen_at=NOW),
        compute_month(SEPTEMBER, september, [], min_group_size=5, frozen_at=NOW),
    ]
    return compose_report(figures, rows + september, questions, weeks=OCTOBER.weeks(), labels=labels, now=NOW)


def test_report_text_has_every_language_and_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == {"nl", "fr", "de", "en"}, key
        fields = {lang: sorted(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert len({tuple(v) for v in fields.values()}) == 1, key
    assert all(len(names) == 12 for names in MONTH_NAMES.values())


def test_markdown_has_a_section_per_month_and_escapes_free_text(report: Report) -> None:
    text = render_markdown(report, "en")
    for heading in (
        "## Overview",
        "## 2026-10 · October 2026",
        "## 2026-09 · September 2026",
        "### By tool",
        "### By unit",
        "## Top unanswered questions",
    ):
        assert heading in text
    assert "Period: 2026-09 to 2026-10 (closed calendar months)" in text
    assert "| Other units together |" in text
    assert "Arlon" not in text, "a unit that is not shown is not named either"
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "\\*\\*bold\\*\\*" in text and "\\[link\\]" in text
    assert "\\|" in text  # the user's pipe does not split the table cell
    assert text.index("## 2026-10") < text.index("## 2026-09"), "the latest month first"
    assert "Weeks 2026-W40 to 2026-W44: 4 unanswered questions" in text


@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
def test_comments_and_questions_are_scrubbed_of_personal_data(report: Report, fmt: str) -> None:
    text = render(report, fmt, "en").decode("utf-8-sig")
    assert "0470" not in text and "jan.peeters" not in text
    assert "Bel me op [phone] of mail [e-mail]" in text.replace("\\", "")  # Markdown escapes the brackets


@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
def test_the_comment_of_someone_who_agreed_to_be_contacted_is_shown_as_written(
    report: Report, fmt: str
) -> None:
    text = render(report, fmt, "en").decode("utf-8-sig").replace("\\", "")
    assert "bel An Claes op 0471 98 76 54" in text
    assert "0470" not in text  # the others' still are not


def test_md_escape_keeps_one_line() -> None:
    assert md_escape("a\nb\r\nc|d") == "a b c\\|d"


def test_csv_is_utf8_with_bom_one_table_and_excel_safe(report: Report) -> None:
    data = render_csv(report, "nl")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len({len(r) for r in rows}) == 1, "every row has the same columns"
    sections = {r[0] for r in rows[1:]}
    assert {"overall", "tool", "unit", "votes", "unanswered", "comment", "min_group_size"} <= sections
    overall = [r for r in rows if r[0] == "overall"]
    assert [r[3] for r in overall] == ["2026-09", "2026-10"]
    assert re.fullmatch(r"\d+,\d", overall[0][6]), "Dutch CSV uses a decimal comma"
    comment_cells = [cell for r in rows if r[0] == "comment" for cell in r]
    assert "'" + FORMULA in comment_cells
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)
    assert all("Arlon" not in cell for r in rows for cell in r)


def test_english_csv_uses_commas_and_decimal_points(report: Report) -> None:
    rows = list(csv.reader(io.StringIO(render_csv(report, "en").decode("utf-8-sig"))))
    overall = next(r for r in rows if r[0] == "overall")
    assert re.fullmatch(r"\d+\.\d", overall[6])


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
    assert "Autres unités ensemble" in text and "octobre 2026" in text
    assert "Arlon" not in html
    assert html.startswith("<!DOCTYPE html>") and "<html lang='fr'>" in html


def test_every_chart_point_says_its_month_and_number_of_answers(report: Report) -> None:
    html = render_html(report, "en")
    tooltips = re.findall(r"<(?:circle|rect)[^>]*><title>([^<]*)</title>", html)
    assert tooltips and all(re.fullmatch(r".+ 2026-(09|10): \d\.\d \(n=\d+\)", t) for t in tooltips), tooltips
    assert "All responses 2026-09: 2.8 (n=12)" in tooltips


def test_render_dispatches_and_refuses_unknown_formats(report: Report) -> None:
    assert render(report, "md", "de").startswith(b"# NWOW-Feedback: Bericht")
    assert render(report, "html", "en").startswith(b"<!DOCTYPE html>")
    with pytest.raises(ValueError, match="xlsx"):
        render(report, "xlsx")


def test_an_empty_month_renders_in_every_format() -> None:
    empty = compose_report(
        [compute_month(OCTOBER, [], [], min_group_size=5, frozen_at=NOW)], [], [], weeks=(), now=NOW
    )
    assert "no figures (fewer than 5 respondents)" in render_markdown(empty, "en")
    assert "pas de chiffres" in render_html(empty, "fr")
    assert "keine Zahlen" in render_csv(empty, "de").decode("utf-8-sig")


def test_a_tool_has_the_same_colour_in_both_charts(report: Report) -> None:
    html = render_html(report, "en")
    line_svg, bar_svg = re.findall(r"<svg.*?</svg>", html)
    colors: dict[str, str] = {}
    for tool in ("Teams", "BeSecure"):
        bar_color = re.search(rf"fill='(#[0-9a-f]{{6}})'><title>{tool} ", bar_svg)
        legend_color = re.search(rf"fill='(#[0-9a-f]{{6}})'/><text[^>]*>{tool}</text>", line_svg)
        assert bar_color and legend_color, tool
        assert bar_color.group(1) == legend_color.group(1)
        colors[tool] = bar_color.group(1)
    overall = re.search(r"fill='(#[0-9a-f]{6})'/><text[^>]*>All responses</text>", line_svg)
    assert overall and overall.group(1) not in colors.values()
    assert len(set(colors.values())) == 2
