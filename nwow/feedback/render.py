"""The report as Markdown, CSV (Excel-friendly) or one self-contained HTML file.

Free text (comments, questions) is escaped for each format: HTML-escaped in HTML and Markdown, Markdown
punctuation backslash-escaped, and CSV cells that Excel would run as a formula are prefixed with '.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from html import escape
from typing import Final

from nwow.feedback.charts import OVERALL_COLOR, PALETTE, Bar, Series, bar_chart, line_chart
from nwow.feedback.report import REPORT_TZ, SUPPRESSED_SMALL, GroupRow, Report
from nwow.feedback.report_text import rt

FORMATS: Final = ("md", "csv", "html")
_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]|~])")
TREND_TOOLS: Final = 5  # tools drawn in the weekly chart besides the overall line (the busiest ones)
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _period(report: Report, lang: str) -> str:
    since = report.since.astimezone(REPORT_TZ).date().isoformat()
    until = (report.until - timedelta(microseconds=1)).astimezone(REPORT_TZ).date().isoformat()
    return rt("period", lang, since=since, until=until)


def _generated(report: Report, lang: str) -> str:
    return rt("generated", lang, at=report.generated_at.astimezone(REPORT_TZ).strftime("%Y-%m-%d %H:%M"))


def _decimal(lang: str) -> Callable[[float], str]:
    comma = lang in ("nl", "fr", "de")
    return lambda v: f"{v:.2f}".replace(".", ",") if comma else f"{v:.2f}"


def _suppressed_text(row: GroupRow, report: Report, lang: str) -> str:
    if row.suppressed == SUPPRESSED_SMALL:
        return rt("suppressed_small", lang, n=report.min_group_size)
    return rt("suppressed_complementary", lang)


def _overall_label(report: Report, lang: str) -> GroupRow:
    return GroupRow(report.overall.key, rt("all", lang), report.overall.stats, report.overall.suppressed)


# ---------------------------------------------------------------- Markdown


def md_escape(text: str) -> str:
    """Free text for a Markdown table cell: no HTML, no Markdown syntax, on one line."""
    one_line = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", escape(one_line, quote=False))


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def _md_group_rows(rows: tuple[GroupRow, ...], report: Report, lang: str) -> list[list[str]]:
    number = _decimal(lang)
    out: list[list[str]] = []
    for row in rows:
        if row.stats is None:
            out.append([md_escape(row.label), _suppressed_text(row, report, lang), "", "", ""])
        else:
            s = row.stats
            out.append(
                [md_escape(row.label), str(s.respondents), str(s.responses), number(s.mean), number(s.stdev)]
            )
    return out


def render_markdown(report: Report, lang: str = "nl") -> str:
    cols = [rt(k, lang) for k in ("col.respondents", "col.responses", "col.mean", "col.stdev")]
    lines = [f"# {rt('title', lang)}", "", _period(report, lang) + "  ", _generated(report, lang), ""]
    lines += [f"> {rt('privacy_note', lang, n=report.min_group_size)}", ""]

    def table(header: list[str], cells: list[list[str]]) -> None:
        lines.extend([*_md_table(header, cells), ""])

    def paragraph(text: str) -> None:
        lines.extend([text, ""])

    paragraph(f"## {rt('overview', lang)}")
    if report.overall.stats is None and report.overall.suppressed is None:
        paragraph(rt("no_responses", lang))
    else:
        overall = _overall_label(report, lang)
        table([rt("col.group", lang), *cols], _md_group_rows((overall,), report, lang))
    for key, group_rows in (("by_tool", report.by_tool), ("by_unit", report.by_unit)):
        paragraph(f"## {rt(key, lang)}")
        if group_rows:
            head = rt("col.tool" if key == "by_tool" else "col.unit", lang)
            table([head, *cols], _md_group_rows(group_rows, report, lang))
        else:
            paragraph(rt("none", lang))
    paragraph(f"## {rt('weekly', lang)}")
    week_rows = tuple(w.row for w in report.weeks if w.row.stats is not None or w.row.suppressed)
    if week_rows:
        table([rt("col.week", lang), *cols], _md_group_rows(week_rows, report, lang))
    else:
        paragraph(rt("none", lang))

    paragraph(f"## {rt('unanswered', lang)}")
    paragraph(rt("unanswered_total", lang, count=report.unanswered_total))
    if report.unanswered:
        table(
            [rt(k, lang) for k in ("col.question", "col.count", "col.variants", "col.langs")],
            [
                [md_escape(c.text), str(c.count), md_escape(" / ".join(c.variants)), ", ".join(c.langs)]
                for c in report.unanswered
            ],
        )

    paragraph(f"## {rt('thumbs_down', lang)}")
    paragraph(rt("votes_total", lang, up=report.votes_up, down=report.votes_down))
    if report.thumbs_down:
        table(
            [rt(k, lang) for k in ("col.entry", "col.down", "col.up")],
            [[md_escape(x.label), str(x.down), str(x.up)] for x in report.thumbs_down],
        )

    paragraph(f"## {rt('comments', lang)}")
    if report.comments:
        table(
            [rt(k, lang) for k in ("col.tool", "col.works", "col.obstacles")],
            [[md_escape(c.tool_label), md_escape(c.works), md_escape(c.obstacles)] for c in report.comments],
        )
    else:
        paragraph(rt("none", lang))
    if report.withheld_comments:
        paragraph(rt("withheld", lang, count=report.withheld_comments))
    return "\n".join(lines)


# ---------------------------------------------------------------- CSV


def csv_cell(value: str) -> str:
    """A text cell Excel will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


# The CSV's one table: every section fills the columns it has and leaves the others empty.
_CSV_COLUMNS: Final = (
    "section", "key", "label", "respondents", "responses", "mean", "stdev", "r1", "r2", "r3", "r4", "r5",
    "count", "up", "down", "text", "variants", "note",
)  # fmt: skip


def _csv_row(section: str, **cells: str) -> list[str]:
    unknown = set(cells) - set(_CSV_COLUMNS)
    if unknown:
        raise ValueError(f"not CSV columns: {sorted(unknown)}")
    return [section, *(cells.get(column, "") for column in _CSV_COLUMNS[1:])]


def _csv_rows(report: Report, lang: str) -> Iterator[list[str]]:
    number = _decimal(lang)

    def group(section: str, row: GroupRow) -> list[str]:
        label = csv_cell(row.label)
        if row.stats is None:
            return _csv_row(section, key=row.key, label=label, note=_suppressed_text(row, report, lang))
        s = row.stats
        ratings = {f"r{n}": str(count) for n, count in enumerate(s.distribution, 1)}
        return _csv_row(
            section, key=row.key, label=label, respondents=str(s.respondents), responses=str(s.responses),
            mean=number(s.mean), stdev=number(s.stdev), **ratings,
        )  # fmt: skip

    yield [
        rt("col.section", lang), "key", rt("col.group", lang), rt("col.respondents", lang),
        rt("col.responses", lang), rt("col.mean", lang), rt("col.stdev", lang),
        "1", "2", "3", "4", "5", rt("col.count", lang), rt("col.up", lang), rt("col.down", lang),
        rt("col.works", lang) + " / " + rt("col.question", lang), rt("col.obstacles", lang) + " / "
        + rt("col.variants", lang), "note",
    ]  # fmt: skip
    yield _csv_row("period", label=csv_cell(_period(report, lang)))
    yield _csv_row("min_group_size", label=str(report.min_group_size))
    if report.overall.stats is not None or report.overall.suppressed:
        yield group("overall", _overall_label(report, lang))
    for row in report.by_tool:
        yield group("tool", row)
    for row in report.by_unit:
        yield group("unit", row)
    for week in report.weeks:
        if week.row.stats is not None or week.row.suppressed:
            yield group("week", week.row)
    for trend in report.tool_trends:
        for week, mean in zip(report.weeks, trend.means, strict=True):
            if mean is not None:
                yield _csv_row(
                    "tool_week",
                    key=trend.key,
                    label=csv_cell(f"{trend.label} {week.week}"),
                    mean=number(mean),
                )
    for cluster in report.unanswered:
        yield _csv_row(
            "unanswered", count=str(cluster.count), text=csv_cell(cluster.text),
            variants=csv_cell(" / ".join(cluster.variants)), note=", ".join(cluster.langs),
        )  # fmt: skip
    for entry in report.thumbs_down:
        yield _csv_row(
            "thumbs_down",
            key=entry.entry_id,
            label=csv_cell(entry.label),
            up=str(entry.up),
            down=str(entry.down),
        )
    for comment in report.comments:
        yield _csv_row(
            "comment", key=comment.tool, label=csv_cell(comment.tool_label), text=csv_cell(comment.works),
            variants=csv_cell(comment.obstacles),
        )  # fmt: skip
    if report.withheld_comments:
        yield _csv_row("comments_withheld", count=str(report.withheld_comments))


def render_csv(report: Report, lang: str = "nl") -> bytes:
    """One table with a section column, UTF-8 with BOM. Dutch, French and German reports use ';' and a
    decimal comma (what Excel expects with Belgian settings); English uses ',' and a decimal point."""
    buffer = io.StringIO()
    delimiter = ";" if lang in ("nl", "fr", "de") else ","
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in _csv_rows(report, lang):
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------- HTML

_CSS: Final = """
body{font-family:'Segoe UI',Arial,sans-serif;margin:2rem auto;max-width:60rem;color:#222;padding:0 1rem}
h1{color:#1f4e79}h2{color:#1f4e79;border-bottom:2px solid #1f4e79;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#eef3f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff8e1;border-left:4px solid #bf9000;padding:.5rem 1rem}.muted{color:#777;font-style:italic}
figure{margin:1rem 0}svg{max-width:100%;height:auto}
"""


def _html_group_table(head: str, rows: tuple[GroupRow, ...], report: Report, lang: str) -> str:
    number = _decimal(lang)
    cols = [head, *(rt(k, lang) for k in ("col.respondents", "col.responses", "col.mean", "col.stdev"))]
    out = ["<table><thead><tr>", *(f"<th>{escape(c)}</th>" for c in cols), "</tr></thead><tbody>"]
    for row in rows:
        if row.stats is None:
            out.append(
                f"<tr><td>{escape(row.label)}</td>"
                f"<td colspan='4' class='muted'>{escape(_suppressed_text(row, report, lang))}</td></tr>"
            )
        else:
            s = row.stats
            out.append(
                f"<tr><td>{escape(row.label)}</td><td class='n'>{s.respondents}</td><td class='n'>{s.responses}</td>"
                f"<td class='n'>{number(s.mean)}</td><td class='n'>{number(s.stdev)}</td></tr>"
            )
    out.append("</tbody></table>")
    return "".join(out)


def _html_table(head_keys: Sequence[str], rows: Iterable[str], lang: str) -> str:
    """A table with the report texts `head_keys` as headings; each row is its cells' HTML, escaped already."""
    heads = "".join(f"<th>{escape(rt(key, lang))}</th>" for key in head_keys)
    body = "".join(f"<tr>{cells}</tr>" for cells in rows)
    return f"<table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>"


def _tool_color(index: int) -> str:
    """The same colour for a tool in every chart (tools in report order)."""
    return PALETTE[index % len(PALETTE)]


def render_html(report: Report, lang: str = "nl") -> str:
    """One self-contained HTML file: inline CSS and inline SVG charts, no scripts, no external resources."""
    e = escape
    body: list[str] = [
        f"<h1>{e(rt('title', lang))}</h1>",
        f"<p>{e(_period(report, lang))}<br>{e(_generated(report, lang))}</p>",
        f"<p class='note'>{e(rt('privacy_note', lang, n=report.min_group_size))}</p>",
        f"<h2>{e(rt('overview', lang))}</h2>",
    ]
    if report.overall.stats is None and report.overall.suppressed is None:
        body.append(f"<p class='muted'>{e(rt('no_responses', lang))}</p>")
    else:
        body.append(_html_group_table(rt("col.group", lang), (_overall_label(report, lang),), report, lang))

    shown_tools = [r for r in report.by_tool if r.stats is not None]
    if shown_tools:
        bars = [
            Bar(r.label, r.stats.mean, r.stats.stdev, f"n={r.stats.responses}", _tool_color(i))
            for i, r in enumerate(shown_tools)
            if r.stats
        ]
        body.append(f"<figure>{bar_chart(rt('ratings_chart', lang), bars)}</figure>")
    body.append(f"<h2>{e(rt('by_tool', lang))}</h2>")
    body.append(
        _html_group_table(rt("col.tool", lang), report.by_tool, report, lang)
        if report.by_tool
        else f"<p class='muted'>{e(rt('none', lang))}</p>"
    )
    body.append(f"<h2>{e(rt('by_unit', lang))}</h2>")
    body.append(
        _html_group_table(rt("col.unit", lang), report.by_unit, report, lang)
        if report.by_unit
        else f"<p class='muted'>{e(rt('none', lang))}</p>"
    )

    body.append(f"<h2>{e(rt('weekly', lang))}</h2>")
    if any(w.row.stats for w in report.weeks):
        overall = tuple(w.row.stats.mean if w.row.stats else None for w in report.weeks)
        series = [Series(rt("all", lang), overall, OVERALL_COLOR)]
        series += [
            Series(t.label, t.means, _tool_color(i))
            for i, t in enumerate(report.tool_trends)
            if i < TREND_TOOLS and any(m is not None for m in t.means)
        ]
        chart = line_chart(rt("trend_chart", lang), [w.week for w in report.weeks], series)
        body.append(f"<figure>{chart}</figure>")
    week_rows = tuple(w.row for w in report.weeks if w.row.stats is not None or w.row.suppressed)
    body.append(
        _html_group_table(rt("col.week", lang), week_rows, report, lang)
        if week_rows
        else f"<p class='muted'>{e(rt('none', lang))}</p>"
    )

    body.append(f"<h2>{e(rt('unanswered', lang))}</h2>")
    body.append(f"<p>{e(rt('unanswered_total', lang, count=report.unanswered_total))}</p>")
    if report.unanswered:
        rows = (
            f"<td>{e(c.text)}</td><td class='n'>{c.count}</td>"
            f"<td>{'<br>'.join(e(v) for v in c.variants)}</td><td>{e(', '.join(c.langs))}</td>"
            for c in report.unanswered
        )
        body.append(_html_table(("col.question", "col.count", "col.variants", "col.langs"), rows, lang))

    body.append(f"<h2>{e(rt('thumbs_down', lang))}</h2>")
    body.append(f"<p>{e(rt('votes_total', lang, up=report.votes_up, down=report.votes_down))}</p>")
    if report.thumbs_down:
        rows = (
            f"<td>{e(x.label)}</td><td class='n'>{x.down}</td><td class='n'>{x.up}</td>"
            for x in report.thumbs_down
        )
        body.append(_html_table(("col.entry", "col.down", "col.up"), rows, lang))

    body.append(f"<h2>{e(rt('comments', lang))}</h2>")
    if report.comments:
        rows = (
            f"<td>{e(c.tool_label)}</td><td>{e(c.works)}</td><td>{e(c.obstacles)}</td>"
            for c in report.comments
        )
        body.append(_html_table(("col.tool", "col.works", "col.obstacles"), rows, lang))
    else:
        body.append(f"<p class='muted'>{e(rt('none', lang))}</p>")
    if report.withheld_comments:
        body.append(f"<p class='muted'>{e(rt('withheld', lang, count=report.withheld_comments))}</p>")
    return (
        f"<!DOCTYPE html>\n<html lang='{e(lang)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{e(rt('title', lang))}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def render(report: Report, fmt: str, lang: str = "nl") -> bytes:
    """The report in `fmt` (md, csv or html) as bytes ready to write to a file."""
    if fmt == "md":
        return render_markdown(report, lang).encode("utf-8")
    if fmt == "csv":
        return render_csv(report, lang)
    if fmt == "html":
        return render_html(report, lang).encode("utf-8")
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
