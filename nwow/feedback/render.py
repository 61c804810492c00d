"""The report as Markdown, CSV (Excel-friendly) or one self-contained HTML file.

Every figure shown is one of the published monthly figures (nwow/feedback/figures.py), never a sum over
months: a total over several months would let a reader subtract the months' shown rows from it. Means and
spreads are shown with one decimal (the precision a 1–5 scale over a handful of people supports; it is not
what protects anyone, see docs/anonymity.md).

Free text (comments, questions) is scrubbed of personal data (nwow.privacy) and escaped for each format:
HTML-escaped in HTML and Markdown, Markdown punctuation backslash-escaped, and CSV cells that Excel would run
as a formula are prefixed with '.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from html import escape
from typing import Final, Protocol

from nwow.feedback.charts import OVERALL_COLOR, PALETTE, Bar, Series, bar_chart, line_chart
from nwow.feedback.figures import REST, GroupFigure, MonthFigures, RatingStats, VoteFigure
from nwow.feedback.report import TOP_THUMBS_DOWN, Report
from nwow.feedback.report_text import month_name, rt, weeks_label
from nwow.language import Lang
from nwow.numbers import format_number
from nwow.privacy import scrub_personal_data
from nwow.schedule import BRUSSELS

FORMATS: Final = ("md", "csv", "html")


class ReportSection(Protocol):
    """A section another feature adds at the end of the report (e.g. the question outcomes of nwow/tickets),
    in each format; it escapes and scrubs its own texts."""

    def markdown(self, lang: Lang) -> list[str]: ...

    def csv_rows(self, lang: Lang) -> Iterable[Mapping[str, str]]:
        """Rows as cells by the report's CSV column names (`section` first)."""
        ...

    def html(self, lang: Lang) -> list[str]: ...


_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]|~])")
TREND_TOOLS: Final = 5  # tools drawn in the monthly chart besides the overall line (the busiest ones)
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _period(report: Report, lang: Lang) -> str:
    return rt("period", lang, since=report.months[0].month.key, until=report.months[-1].month.key)


def _generated(report: Report, lang: Lang) -> str:
    return rt("generated", lang, at=report.generated_at.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M"))


def number(lang: Lang) -> Callable[[float], str]:
    """Means and spreads: one decimal, as readers of `lang` write it (3,6 or 3.6)."""
    return lambda v: format_number(v, lang, 1)


def free_text(text: str, lang: Lang, *, consented: bool = False) -> str:
    """A comment or question as shown: e-mail addresses, phone and long numbers, names replaced, unless its
    author agreed to be contacted (`consented`)."""
    return text if consented else scrub_personal_data(text, lang).text


def _group_label(report: Report, kind: str, row: GroupFigure | VoteFigure, lang: Lang) -> str:
    return rt(f"others.{kind}", lang) if row.key == REST else report.label(kind, row.key)


def _heading(figures: MonthFigures, lang: Lang) -> str:
    return f"{figures.month.key} · {month_name(figures.month, lang)}"


def _stat_cells(stats: RatingStats, lang: Lang) -> list[str]:
    n = number(lang)
    return [str(stats.respondents), str(stats.responses), n(stats.mean), n(stats.stdev)]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _unanswered_intro(report: Report, lang: Lang) -> str:
    if not report.question_weeks:
        return rt("no_weeks", lang)
    weeks = _sentence(weeks_label(report.question_weeks, lang))
    return rt("unanswered_total", lang, weeks=weeks, count=report.unanswered_total)


def _by_responses(rows: Sequence[GroupFigure], report: Report, kind: str) -> list[GroupFigure]:
    """Rows with most answers first, "others together" last."""
    shown = sorted(
        (r for r in rows if r.key != REST),
        key=lambda r: (-r.stats.responses, report.label(kind, r.key).casefold()),
    )
    return shown + [r for r in rows if r.key == REST]


# ---------------------------------------------------------------- Markdown


def md_escape(text: str) -> str:
    """Free text for a Markdown table cell: no HTML, no Markdown syntax, on one line."""
    one_line = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", escape(one_line, quote=False))


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def render_markdown(report: Report, lang: Lang = "nl", sections: Sequence[ReportSection] = ()) -> str:
    cols = [rt(k, lang) for k in ("col.respondents", "col.responses", "col.mean", "col.stdev")]
    lines = [f"# {rt('title', lang)}", "", _period(report, lang) + "  ", _generated(report, lang), ""]
    lines += [f"> {rt('privacy_note', lang, n=report.min_group_size)}", ""]

    def table(header: list[str], cells: list[list[str]]) -> None:
        lines.extend([*_md_table(header, cells), ""])

    def paragraph(text: str) -> None:
        lines.extend([text, ""])

    paragraph(f"## {rt('overview', lang)}")
    overview: list[list[str]] = []
    for month in report.months:
        if month.overall is None:
            overview.append([month.month.key, rt("no_figures", lang, n=month.min_group_size), "", "", ""])
        else:
            overview.append([month.month.key, *_stat_cells(month.overall, lang)])
    table([rt("col.month", lang), *cols], overview)

    for month in reversed(report.months):
        paragraph(f"## {_heading(month, lang)}")
        if month.overall is None:
            paragraph(rt("no_figures", lang, n=month.min_group_size))
        for kind, rows in (("tool", month.tools), ("unit", month.units)):
            if not rows:
                continue
            paragraph(f"### {rt(f'by_{kind}', lang)}")
            table(
                [rt(f"col.{kind}", lang), *cols],
                [
                    [md_escape(_group_label(report, kind, r, lang)), *_stat_cells(r.stats, lang)]
                    for r in _by_responses(rows, report, kind)
                ],
            )
        paragraph(f"### {rt('thumbs_down', lang)}")
        if month.votes is None:
            paragraph(rt("no_votes", lang))
        else:
            paragraph(
                rt("votes_total", lang, up=month.votes.up, down=month.votes.down, voters=month.votes.voters)
            )
            if month.entries:
                table(
                    [rt(k, lang) for k in ("col.entry", "col.down", "col.up")],
                    [
                        [md_escape(_group_label(report, "entry", e, lang)), str(e.down), str(e.up)]
                        for e in _top_entries(month.entries)
                    ],
                )

    paragraph(f"## {rt('comments', lang)}")
    if report.comments:
        for month in report.months:
            comments = [c for c in report.comments if c.month == month.month]
            if comments:
                paragraph(f"### {_heading(month, lang)}")
                table(
                    [rt(k, lang) for k in ("col.tool", "col.works", "col.obstacles")],
                    [
                        [
                            md_escape(report.label("tool", c.tool)),
                            md_escape(free_text(c.works, lang, consented=c.consented)),
                            md_escape(free_text(c.obstacles, lang, consented=c.consented)),
                        ]
                        for c in comments
                    ],
                )
    else:
        paragraph(rt("none", lang))
    paragraph(rt("comments_note", lang))

    paragraph(f"## {rt('unanswered', lang)}")
    paragraph(_unanswered_intro(report, lang))
    if report.unanswered:
        table(
            [rt(k, lang) for k in ("col.question", "col.count", "col.variants", "col.langs")],
            [
                [
                    md_escape(free_text(c.text, lang)),
                    str(c.count),
                    md_escape(" / ".join(free_text(v, lang) for v in c.variants)),
                    ", ".join(c.langs),
                ]
                for c in report.unanswered
            ],
        )
    for section in sections:
        lines.extend(section.markdown(lang))
    return "\n".join(lines)


def _top_entries(entries: Sequence[VoteFigure]) -> list[VoteFigure]:
    shown = [e for e in entries if e.key != REST]
    return shown[:TOP_THUMBS_DOWN] + [e for e in entries if e.key == REST]


# ---------------------------------------------------------------- CSV


def csv_cell(value: str) -> str:
    """A text cell Excel will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


# The CSV's one table: every section fills the columns it has and leaves the others empty.
_CSV_COLUMNS: Final = (
    "section", "key", "label", "period", "respondents", "responses", "mean", "stdev", "r1", "r2", "r3", "r4",
    "r5", "count", "up", "down", "text", "variants", "note", "previous", "change",
)  # fmt: skip


def _csv_row(section: str, **cells: str) -> list[str]:
    unknown = set(cells) - set(_CSV_COLUMNS)
    if unknown:
        raise ValueError(f"not CSV columns: {sorted(unknown)}")
    return [section, *(cells.get(column, "") for column in _CSV_COLUMNS[1:])]


def _csv_rows(report: Report, lang: Lang) -> Iterator[list[str]]:
    n = number(lang)

    def group(section: str, period: str, key: str, label: str, s: RatingStats) -> list[str]:
        ratings = {f"r{v}": str(count) for v, count in enumerate(s.distribution, 1)}
        return _csv_row(
            section, key=key, label=csv_cell(label), period=period, respondents=str(s.respondents),
            responses=str(s.responses), mean=n(s.mean), stdev=n(s.stdev), **ratings,
        )  # fmt: skip

    yield [
        rt("col.section", lang), "key", rt("col.group", lang), "period", rt("col.respondents", lang),
        rt("col.responses", lang), rt("col.mean", lang), rt("col.stdev", lang),
        "1", "2", "3", "4", "5", rt("col.count", lang), rt("col.up", lang), rt("col.down", lang),
        rt("col.works", lang) + " / " + rt("col.question", lang), rt("col.obstacles", lang) + " / "
        + rt("col.variants", lang), "note", "previous", "change",
    ]  # fmt: skip
    yield _csv_row("period", label=csv_cell(_period(report, lang)))
    for month in report.months:
        period = month.month.key
        yield _csv_row("min_group_size", period=period, label=str(month.min_group_size))
        if month.overall is None:
            yield _csv_row(
                "overall", key="all", period=period, note=rt("no_figures", lang, n=month.min_group_size)
            )
        else:
            yield group("overall", period, "all", rt("all", lang), month.overall)
        for kind, rows in (("tool", month.tools), ("unit", month.units)):
            for r in _by_responses(rows, report, kind):
                yield group(kind, period, r.key, _group_label(report, kind, r, lang), r.stats)
        for e in [*([month.votes] if month.votes else []), *month.entries]:
            label = rt("all", lang) if e.key == "all" else _group_label(report, "entry", e, lang)
            yield _csv_row(
                "votes", key=e.key, label=csv_cell(label), period=period, count=str(e.voters), up=str(e.up),
                down=str(e.down),
            )  # fmt: skip
    for comment in report.comments:
        yield _csv_row(
            "comment", key=comment.tool, label=csv_cell(report.label("tool", comment.tool)),
            period=comment.month.key, text=csv_cell(free_text(comment.works, lang, consented=comment.consented)),
            variants=csv_cell(free_text(comment.obstacles, lang, consented=comment.consented)),
        )  # fmt: skip
    if report.question_weeks:
        yield _csv_row("unanswered_weeks", label=csv_cell(weeks_label(report.question_weeks, lang)))
    for cluster in report.unanswered:
        yield _csv_row(
            "unanswered", count=str(cluster.count), text=csv_cell(free_text(cluster.text, lang)),
            variants=csv_cell(" / ".join(free_text(v, lang) for v in cluster.variants)),
            note=", ".join(cluster.langs),
        )  # fmt: skip


def render_csv(report: Report, lang: Lang = "nl", sections: Sequence[ReportSection] = ()) -> bytes:
    """One table with a section column, UTF-8 with BOM. Dutch, French and German reports use ';' and a
    decimal comma (what Excel expects with Belgian settings); English uses ',' and a decimal point."""
    buffer = io.StringIO()
    delimiter = ";" if lang in ("nl", "fr", "de") else ","
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in _csv_rows(report, lang):
        writer.writerow(row)
    for section in sections:
        for cells in section.csv_rows(lang):
            named = dict(cells)
            writer.writerow(_csv_row(named.pop("section"), **named))
    return buffer.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------- HTML

_CSS: Final = """
body{font-family:'Segoe UI',Arial,sans-serif;margin:2rem auto;max-width:60rem;color:#222;padding:0 1rem}
h1{color:#1f4e79}h2{color:#1f4e79;border-bottom:2px solid #1f4e79;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#eef3f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff8e1;border-left:4px solid #bf9000;padding:.5rem 1rem}.muted{color:#777;font-style:italic}
tr.rest td{color:#555;font-style:italic}figure{margin:1rem 0}svg{max-width:100%;height:auto}
"""


def _html_table(head_keys: Sequence[str], rows: Iterable[str], lang: Lang) -> str:
    """A table with the report texts `head_keys` as headings; each row is its cells' HTML, escaped already."""
    heads = "".join(f"<th>{escape(rt(key, lang))}</th>" for key in head_keys)
    body = "".join(f"<tr>{cells}</tr>" for cells in rows)
    return f"<table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>"


def _html_stats(stats: RatingStats, lang: Lang) -> str:
    return "".join(f"<td class='n'>{cell}</td>" for cell in _stat_cells(stats, lang))


def _html_groups(report: Report, kind: str, rows: Sequence[GroupFigure], lang: Lang) -> str:
    body = "".join(
        ("<tr class='rest'>" if r.key == REST else "<tr>")
        + f"<td>{escape(_group_label(report, kind, r, lang))}</td>{_html_stats(r.stats, lang)}</tr>"
        for r in _by_responses(rows, report, kind)
    )
    heads = "".join(
        f"<th>{escape(rt(key, lang))}</th>"
        for key in (f"col.{kind}", "col.respondents", "col.responses", "col.mean", "col.stdev")
    )
    return f"<table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>"


def _tool_colors(report: Report) -> dict[str, str]:
    """The same colour for a tool in every chart: tools by their answers in the latest month, then the rest."""
    order: list[str] = []
    for month in reversed(report.months):
        order += [
            r.key for r in _by_responses(month.tools, report, "tool") if r.key != REST and r.key not in order
        ]
    return {tool: PALETTE[i % len(PALETTE)] for i, tool in enumerate(order)}


def _charts(report: Report, lang: Lang) -> list[str]:
    n = number(lang)
    colors = _tool_colors(report)
    months = [m.month.key for m in report.months]
    figures: list[str] = []
    if any(m.overall for m in report.months):
        series = [
            Series(
                rt("all", lang),
                tuple(m.overall.mean if m.overall else None for m in report.months),
                OVERALL_COLOR,
                tuple(m.overall.responses if m.overall else None for m in report.months),
            )
        ]
        for tool in list(colors)[:TREND_TOOLS]:
            cells = [next((r.stats for r in m.tools if r.key == tool), None) for m in report.months]
            series.append(
                Series(
                    report.label("tool", tool),
                    tuple(s.mean if s else None for s in cells),
                    colors[tool],
                    tuple(s.responses if s else None for s in cells),
                )
            )
        figures.append(line_chart(rt("trend_chart", lang), months, series, format_value=n))
    latest = report.months[-1]
    tools = [r for r in _by_responses(latest.tools, report, "tool") if r.key != REST]
    if tools:
        bars = [
            Bar(
                report.label("tool", r.key),
                r.stats.mean,
                r.stats.stdev,
                r.stats.responses,
                latest.month.key,
                colors[r.key],
            )
            for r in tools
        ]
        title = rt("ratings_chart", lang, month=month_name(latest.month, lang))
        figures.append(bar_chart(title, bars, format_value=n))
    return [f"<figure>{svg}</figure>" for svg in figures]


def render_html(report: Report, lang: Lang = "nl", sections: Sequence[ReportSection] = ()) -> str:
    """One self-contained HTML file: inline CSS and inline SVG charts, no scripts, no external resources."""
    e = escape
    body: list[str] = [
        f"<h1>{e(rt('title', lang))}</h1>",
        f"<p>{e(_period(report, lang))}<br>{e(_generated(report, lang))}</p>",
        f"<p class='note'>{e(rt('privacy_note', lang, n=report.min_group_size))}</p>",
        f"<h2>{e(rt('overview', lang))}</h2>",
    ]
    overview = []
    for month in report.months:
        if month.overall is None:
            overview.append(
                f"<td>{e(month.month.key)}</td>"
                f"<td colspan='4' class='muted'>{e(rt('no_figures', lang, n=month.min_group_size))}</td>"
            )
        else:
            overview.append(f"<td>{e(month.month.key)}</td>{_html_stats(month.overall, lang)}")
    body.append(
        _html_table(
            ("col.month", "col.respondents", "col.responses", "col.mean", "col.stdev"), overview, lang
        )
    )
    body += _charts(report, lang)

    for month in reversed(report.months):
        body.append(f"<h2>{e(_heading(month, lang))}</h2>")
        if month.overall is None:
            body.append(f"<p class='muted'>{e(rt('no_figures', lang, n=month.min_group_size))}</p>")
        for kind, rows in (("tool", month.tools), ("unit", month.units)):
            if rows:
                body.append(f"<h3>{e(rt(f'by_{kind}', lang))}</h3>")
                body.append(_html_groups(report, kind, rows, lang))
        body.append(f"<h3>{e(rt('thumbs_down', lang))}</h3>")
        if month.votes is None:
            body.append(f"<p class='muted'>{e(rt('no_votes', lang))}</p>")
        else:
            votes = month.votes
            body.append(
                f"<p>{e(rt('votes_total', lang, up=votes.up, down=votes.down, voters=votes.voters))}</p>"
            )
            if month.entries:
                rows_html = (
                    f"<td>{e(_group_label(report, 'entry', x, lang))}</td><td class='n'>{x.down}</td>"
                    f"<td class='n'>{x.up}</td>"
                    for x in _top_entries(month.entries)
                )
                body.append(_html_table(("col.entry", "col.down", "col.up"), rows_html, lang))

    body.append(f"<h2>{e(rt('comments', lang))}</h2>")
    if report.comments:
        for month in report.months:
            comments = [c for c in report.comments if c.month == month.month]
            if comments:
                body.append(f"<h3>{e(_heading(month, lang))}</h3>")
                rows_html = (
                    f"<td>{e(report.label('tool', c.tool))}</td><td>{e(free_text(c.works, lang, consented=c.consented))}</td>"
                    f"<td>{e(free_text(c.obstacles, lang, consented=c.consented))}</td>"
                    for c in comments
                )
                body.append(_html_table(("col.tool", "col.works", "col.obstacles"), rows_html, lang))
    else:
        body.append(f"<p class='muted'>{e(rt('none', lang))}</p>")
    body.append(f"<p class='muted'>{e(rt('comments_note', lang))}</p>")

    body.append(f"<h2>{e(rt('unanswered', lang))}</h2>")
    body.append(f"<p>{e(_unanswered_intro(report, lang))}</p>")
    if report.unanswered:
        rows_html = (
            f"<td>{e(free_text(c.text, lang))}</td><td class='n'>{c.count}</td>"
            f"<td>{'<br>'.join(e(free_text(v, lang)) for v in c.variants)}</td><td>{e(', '.join(c.langs))}</td>"
            for c in report.unanswered
        )
        body.append(_html_table(("col.question", "col.count", "col.variants", "col.langs"), rows_html, lang))
    for section in sections:
        body.extend(section.html(lang))
    return (
        f"<!DOCTYPE html>\n<html lang='{e(lang)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{e(rt('title', lang))}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def render(report: Report, fmt: str, lang: Lang = "nl", sections: Sequence[ReportSection] = ()) -> bytes:
    """The report in `fmt` (md, csv or html) as bytes ready to write to a file, with `sections` at its end."""
    if fmt == "md":
        return render_markdown(report, lang, sections).encode("utf-8")
    if fmt == "csv":
        return render_csv(report, lang, sections)
    if fmt == "html":
        return render_html(report, lang, sections).encode("utf-8")
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
