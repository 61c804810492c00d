"""The question outcomes as a section of the DRI report (nwow feedback report), in Markdown, CSV and HTML.

Numbers are written as the reader's language writes them (nwow.numbers); the open questions are scrubbed of
personal data unless their asker agreed to be contacted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from html import escape
from typing import Final

from nwow.feedback.render import csv_cell, free_text, md_escape
from nwow.feedback.report_text import month_name, rt
from nwow.language import Lang
from nwow.numbers import format_number, format_percent
from nwow.tickets.figures import CATEGORIES, REST, UNKNOWN_UNIT, MonthOutcomes, OutcomeCounts, OutcomeReport

__all__ = ["OutcomeSection", "answer_times_text"]

_CATEGORY_COLUMNS: Final = CATEGORIES


def _group(report: OutcomeReport, kind: str, key: str, lang: Lang) -> str:
    if key == REST:
        return rt("outcome.others", lang)
    if kind == "topic" and key == "none":
        return rt("outcome.no_topic", lang)
    if kind == "unit" and key == UNKNOWN_UNIT:
        return rt("outcome.unknown_unit", lang)
    return report.label(kind, key)


def _cells(counts: OutcomeCounts, lang: Lang) -> list[str]:
    """Questions, askers, then each outcome as "n (share)"."""
    return [
        format_number(counts.questions, lang),
        format_number(counts.askers, lang),
        *(
            f"{format_number(counts.counts.get(c, 0), lang)} ({format_percent(counts.share(c), lang)})"
            for c in _CATEGORY_COLUMNS
        ),
    ]


def _head(first: str, lang: Lang) -> list[str]:
    return [
        first,
        rt("outcome.questions", lang),
        rt("outcome.askers", lang),
        *(rt(f"outcome.{c}", lang) for c in _CATEGORY_COLUMNS),
    ]


def _times(month: MonthOutcomes, lang: Lang) -> str:
    times = month.answer_times
    if times is None:
        return rt("outcome.no_times", lang, n=month.min_group_size)
    return rt(
        "outcome.times_row",
        lang,
        tickets=format_number(times.tickets, lang),
        median=format_number(times.median_working_hours, lang, 1),
        calendar=format_number(times.median_hours, lang, 1),
        p90=format_number(times.p90_working_hours, lang, 1),
    )


def _period_rows(report: OutcomeReport, kind: str, lang: Lang) -> list[list[str]]:
    """A row per month (`kind` "month") or week: its key and its cells, or why it has none."""
    periods: list[tuple[str, OutcomeCounts | None, int]] = (
        [(m.month.key, m.overall, m.min_group_size) for m in report.months]
        if kind == "month"
        else [(w.week.key, w.overall, w.min_group_size) for w in report.weeks]
    )
    return [
        [key, *(_cells(counts, lang) if counts else [rt("outcome.no_figures", lang, n=k)])]
        for key, counts, k in periods
    ]


def answer_times_text(month: MonthOutcomes, lang: Lang) -> str:
    """The time to an ambassador's answer in a sentence (or why there is no figure)."""
    return _times(month, lang)


def _breakdowns(month: MonthOutcomes) -> tuple[tuple[str, tuple[tuple[str, OutcomeCounts], ...]], ...]:
    return (("topic", month.topics), ("unit", month.units))


class OutcomeSection:
    """The report section of an `OutcomeReport` (nwow.feedback.render's `ReportSection`)."""

    def __init__(self, report: OutcomeReport) -> None:
        self.report = report

    # ---------------------------------------------------------------- Markdown

    def markdown(self, lang: Lang) -> list[str]:
        report = self.report
        lines = [f"## {rt('outcomes', lang)}", ""]
        n = min((m.min_group_size for m in report.months), default=0)
        lines += [f"> {rt('outcomes_note', lang, n=n)}", ""]

        def table(head: list[str], rows: list[list[str]]) -> None:
            lines.append("| " + " | ".join(head) + " |")
            lines.append("|" + "---|" * len(head))
            lines.extend("| " + " | ".join(r) + " |" for r in rows)
            lines.append("")

        table(_head(rt("col.month", lang), lang), _period_rows(report, "month", lang))
        if report.weeks:
            lines += [f"### {rt('outcome.trend', lang)}", ""]
            table(_head(rt("col.week", lang), lang), _period_rows(report, "week", lang))
        for month in reversed(report.months):
            lines += [f"### {month.month.key} · {month_name(month.month, lang)}", ""]
            if month.overall is not None:
                lines += [rt("outcome.votes", lang, up=month.overall.up, down=month.overall.down), ""]
            for kind, rows in _breakdowns(month):
                if rows:
                    lines += [f"#### {rt(f'outcome.by_{kind}', lang)}", ""]
                    table(
                        _head(
                            rt(f"col.{kind}", lang) if kind == "unit" else rt("outcome.by_topic", lang), lang
                        ),
                        [[md_escape(_group(report, kind, key, lang)), *_cells(c, lang)] for key, c in rows],
                    )
            lines += [f"#### {rt('outcome.times', lang)}", "", _times(month, lang), ""]
        lines += [f"### {rt('outcome.open', lang)}", ""]
        if report.open_questions:
            table(
                ["#", rt("col.question", lang), rt("outcome.waiting", lang)],
                [
                    [
                        str(q.number),
                        md_escape(free_text(q.text, lang, consented=q.consented)),
                        format_number(q.waiting_working_hours, lang, 1),
                    ]
                    for q in report.open_questions
                ],
            )
        else:
            lines += [rt("none", lang), ""]
        return lines

    # ---------------------------------------------------------------- CSV

    def csv_rows(self, lang: Lang) -> Iterator[Mapping[str, str]]:
        """Rows by the report's CSV column names: one per period, group and outcome."""
        report = self.report

        def rows(
            section: str, period: str, key: str, label: str, counts: OutcomeCounts
        ) -> Iterator[Mapping[str, str]]:
            yield {
                "section": section,
                "key": key,
                "label": csv_cell(label),
                "period": period,
                "respondents": str(counts.askers),
                "count": str(counts.questions),
                "up": str(counts.up),
                "down": str(counts.down),
                "note": "questions",
            }
            for c in _CATEGORY_COLUMNS:
                yield {
                    "section": section,
                    "key": key,
                    "label": csv_cell(label),
                    "period": period,
                    "count": str(counts.counts.get(c, 0)),
                    "mean": format_number(counts.share(c) * 100, lang, 1),
                    "note": c,
                }

        for month in report.months:
            period = month.month.key
            if month.overall is None:
                yield {
                    "section": "outcome",
                    "key": "all",
                    "period": period,
                    "note": rt("outcome.no_figures", lang, n=month.min_group_size),
                }
                continue
            yield from rows("outcome", period, "all", rt("all", lang), month.overall)
            for kind, groups in _breakdowns(month):
                for key, counts in groups:
                    yield from rows(f"outcome_{kind}", period, key, _group(report, kind, key, lang), counts)
            times = month.answer_times
            if times is not None:
                yield {
                    "section": "outcome_time",
                    "key": "working_hours",
                    "period": period,
                    "count": str(times.tickets),
                    "mean": format_number(times.median_working_hours, lang, 1),
                    "stdev": format_number(times.p90_working_hours, lang, 1),
                    "note": "median / p90 working hours; calendar median "
                    + format_number(times.median_hours, lang, 1),
                }
        for week in report.weeks:
            if week.overall is not None:
                yield from rows("outcome_week", week.week.key, "all", rt("all", lang), week.overall)
        for q in report.open_questions:
            text = free_text(q.text, lang, consented=q.consented)
            yield {
                "section": "open_question",
                "key": str(q.number),
                "text": csv_cell(text),
                "mean": format_number(q.waiting_working_hours, lang, 1),
            }

    # ---------------------------------------------------------------- HTML

    def html(self, lang: Lang) -> list[str]:
        report = self.report
        e = escape
        n = min((m.min_group_size for m in report.months), default=0)
        parts = [
            f"<h2>{e(rt('outcomes', lang))}</h2>",
            f"<p class='note'>{e(rt('outcomes_note', lang, n=n))}</p>",
        ]

        def table(head: list[str], rows: list[list[str]]) -> str:
            heads = "".join(f"<th>{e(h)}</th>" for h in head)
            body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
            return f"<table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>"

        parts.append(
            table(
                _head(rt("col.month", lang), lang),
                _period_rows(report, "month", lang),
            )
        )
        if report.weeks:
            parts.append(f"<h3>{e(rt('outcome.trend', lang))}</h3>")
            parts.append(
                table(
                    _head(rt("col.week", lang), lang),
                    _period_rows(report, "week", lang),
                )
            )
        for month in reversed(report.months):
            parts.append(f"<h3>{e(month.month.key)} · {e(month_name(month.month, lang))}</h3>")
            for kind, rows in _breakdowns(month):
                if rows:
                    parts.append(f"<h4>{e(rt(f'outcome.by_{kind}', lang))}</h4>")
                    parts.append(
                        table(
                            _head(rt(f"outcome.by_{kind}", lang), lang),
                            [[_group(report, kind, key, lang), *_cells(c, lang)] for key, c in rows],
                        )
                    )
            parts.append(f"<p>{e(rt('outcome.times', lang))}: {e(_times(month, lang))}</p>")
        parts.append(f"<h3>{e(rt('outcome.open', lang))}</h3>")
        if report.open_questions:
            parts.append(
                table(
                    ["#", rt("col.question", lang), rt("outcome.waiting", lang)],
                    [
                        [
                            str(q.number),
                            free_text(q.text, lang, consented=q.consented),
                            format_number(q.waiting_working_hours, lang, 1),
                        ]
                        for q in report.open_questions
                    ],
                )
            )
        else:
            parts.append(f"<p class='muted'>{e(rt('none', lang))}</p>")
        return parts
