"""The pulses as a section of the DRI report (`nwow feedback report`), in Markdown, CSV and HTML.

Every figure is one of the published results (nwow/pulses/results.py); a count that is not published is
shown as "–". Numbers are written the way the reader's language writes them (nwow.numbers); comments are
scrubbed of personal data (`free_text`, as the survey's comments) and escaped for each format.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from html import escape
from typing import Final

from nwow.feedback.render import csv_cell, free_text, md_escape
from nwow.language import Lang
from nwow.numbers import format_number, format_percent
from nwow.pulses.compare import MEAN, Change, Comparison
from nwow.pulses.model import PulseQuestion, QuestionKind
from nwow.pulses.published import PulseReport
from nwow.pulses.results import OTHER_UNITS, Distribution, QuestionResult, categories
from nwow.pulses.results_text import pt

__all__ = ["PulseSection", "answer_label", "change_text", "group_label", "rate_text"]

NOT_SHOWN: Final = "–"
ALL: Final = "all"
OTHERS: Final = "others"


def answer_label(question: PulseQuestion, category: str, lang: Lang) -> str:
    if question.kind is QuestionKind.YES_NO:
        return pt(f"answer.{category}", lang)
    choice = next((c for c in question.choices if c.id == category), None)
    return choice.text(lang) if choice is not None else category


def group_label(key: str, labels: Mapping[str, str], lang: Lang) -> str:
    if key == ALL:
        return pt("all", lang)
    if key == OTHER_UNITS:
        return pt("other_units", lang)
    if key == "":
        return pt("unit_not_given", lang)
    return labels.get(f"unit:{key}", key)


def rate_text(rate: float | None, lang: Lang) -> str:
    return NOT_SHOWN if rate is None else format_percent(rate, lang)


def _signed(value: float, lang: Lang, decimals: int) -> str:
    text = format_number(abs(value), lang, decimals)
    if text.strip("0,.\u202f") == "":
        return text
    return ("+" if value > 0 else "−") + text


def change_text(question: PulseQuestion, change: Change, lang: Lang) -> str:
    """ "mean 3,4 → 3,8 (+0,4)", "Yes 62 % → 70 % (+8 percentage points)"."""
    if change.figure == MEAN:
        return pt(
            "change.mean",
            lang,
            previous=format_number(change.previous, lang, 1),
            current=format_number(change.current, lang, 1),
            delta=_signed(change.delta, lang, 1),
        )
    return pt(
        "change.share",
        lang,
        answer=answer_label(question, change.figure, lang),
        previous=format_percent(change.previous, lang),
        current=format_percent(change.current, lang),
        delta=_signed(change.delta * 100, lang, 0),
    )


def _groups(result: QuestionResult) -> list[tuple[str, Distribution]]:
    assert result.overall is not None
    return [(ALL, result.overall), *result.units]


def _head(question: PulseQuestion, lang: Lang) -> list[str]:
    head = [pt("col.group", lang), pt("col.respondents", lang)]
    head += [answer_label(question, c, lang) for c in categories(question)]
    head.append(pt("col.others", lang))
    if question.kind is QuestionKind.RATING:
        head.append(pt("col.mean", lang))
    return head


def _cells(question: PulseQuestion, d: Distribution, lang: Lang) -> list[str]:
    cells = [format_number(d.respondents, lang)]
    for category in categories(question):
        count = d.count(category)
        cells.append(NOT_SHOWN if count is None else format_number(count, lang))
    cells.append(format_number(d.others, lang))
    if question.kind is QuestionKind.RATING:
        cells.append(NOT_SHOWN if d.mean is None else format_number(d.mean, lang, 1))
    return cells


class PulseSection:
    """The report section of the pulses (nwow.feedback.render's `ReportSection`)."""

    def __init__(self, reports: Sequence[PulseReport], labels: Mapping[str, str] | None = None) -> None:
        self.reports = reports
        self.labels = dict(labels or {})

    def _title(self, report: PulseReport, lang: Lang) -> str:
        pulse = report.started.pulse
        return f"{pulse.heading(lang)} ({pulse.id})"

    def _lines(self, report: PulseReport, lang: Lang) -> list[str]:
        """The sentences under a pulse's heading: dates and state, counts, why there are no answers."""
        pulse, results = report.started.pulse, report.results
        state = pt("state.closed" if results.closed else "state.running", lang)
        lines = [
            pt("dates", lang, opens=pulse.opens, closes=pulse.closes, state=state, n=results.min_group),
            pt(
                "counts",
                lang,
                delivered=format_number(results.delivered, lang),
                respondents=format_number(results.respondents, lang),
                rate=rate_text(results.response_rate, lang),
            ),
        ]
        if not results.closed:
            lines.append(pt("running", lang))
        elif not results.shown:
            lines.append(pt("too_few", lang, n=results.min_group))
        return lines

    def _rates(self, report: PulseReport, lang: Lang) -> list[list[str]]:
        return [
            [
                group_label(r.unit, self.labels, lang),
                format_number(r.delivered, lang),
                format_number(r.respondents, lang),
                rate_text(r.rate, lang),
            ]
            for r in report.results.unit_rates
        ]

    def _questions(self, report: PulseReport) -> Iterator[tuple[int, PulseQuestion, QuestionResult]]:
        for number, question in enumerate(report.started.pulse.questions, 1):
            result = report.results.question(question.id)
            if result is not None and report.results.shown:
                yield number, question, result

    def _comparison(self, report: PulseReport, question_id: str) -> Comparison | None:
        return next((c for c in report.comparisons if c.question_id == question_id), None)

    def _change_line(self, report: PulseReport, question: PulseQuestion, lang: Lang) -> str | None:
        comparison = self._comparison(report, question.id)
        if comparison is None:
            return None
        before = pt("previous", lang, title=comparison.previous.heading(lang), id=comparison.previous.id)
        return before + " " + "; ".join(change_text(question, c, lang) for c in comparison.changes)

    # ---------------------------------------------------------------- Markdown

    def markdown(self, lang: Lang) -> list[str]:
        lines = [f"## {pt('pulses', lang)}", "", f"> {pt('note', lang)}", ""]

        def table(head: list[str], rows: list[list[str]]) -> None:
            lines.append("| " + " | ".join(head) + " |")
            lines.append("|" + "---|" * len(head))
            lines.extend("| " + " | ".join(r) + " |" for r in rows)
            lines.append("")

        if not self.reports:
            lines += [pt("none", lang), ""]
        for report in self.reports:
            lines += [f"### {md_escape(self._title(report, lang))}", ""]
            for line in self._lines(report, lang):
                lines += [md_escape(line), ""]
            if report.results.unit_rates:
                lines += [f"#### {pt('rate_by_unit', lang)}", ""]
                head = [pt(k, lang) for k in ("col.unit", "col.delivered", "col.respondents", "col.rate")]
                table(head, [[md_escape(r[0]), *r[1:]] for r in self._rates(report, lang)])
            for number, question, result in self._questions(report):
                text = pt("question", lang, number=number, text=question.prompt(lang))
                lines += [f"#### {md_escape(text)}", ""]
                if result.kind is QuestionKind.TEXT:
                    comments = report.comments.get(question.id, ())
                    if not result.comments_shown:
                        lines += [pt("comments_hidden", lang, n=report.results.min_group), ""]
                    elif not comments:
                        lines += [pt("no_comments", lang), ""]
                    else:
                        lines += [f"- {md_escape(free_text(c, lang))}" for c in comments] + [""]
                    continue
                if result.overall is not None:
                    table(
                        [md_escape(h) for h in _head(question, lang)],
                        [
                            [md_escape(group_label(key, self.labels, lang)), *_cells(question, d, lang)]
                            for key, d in _groups(result)
                        ],
                    )
                change = self._change_line(report, question, lang)
                if change:
                    lines += [md_escape(change), ""]
        return lines

    # ---------------------------------------------------------------- CSV

    def csv_rows(self, lang: Lang) -> Iterator[Mapping[str, str]]:
        """Rows by the report's CSV column names: a pulse, its rates by unit, one row per question and group
        (respondents, mean) and per answer (count), the comments, the changes."""
        for report in self.reports:
            pulse, results = report.started.pulse, report.results
            yield {
                "section": "pulse",
                "key": pulse.id,
                "label": csv_cell(pulse.heading(lang)),
                "period": f"{pulse.opens}/{pulse.closes}",
                "respondents": str(results.respondents),
                "count": str(results.delivered),
                "mean": ""
                if results.response_rate is None
                else format_number(results.response_rate * 100, lang, 1),
                "note": ("closed" if results.closed else "running") + f"; min_group_size={results.min_group}",
            }
            for r in results.unit_rates:
                yield {
                    "section": "pulse_unit_rate",
                    "key": r.unit,
                    "label": csv_cell(group_label(r.unit, self.labels, lang)),
                    "period": pulse.id,
                    "respondents": str(r.respondents),
                    "count": str(r.delivered),
                    "mean": "" if r.rate is None else format_number(r.rate * 100, lang, 1),
                }
            for _, question, result in self._questions(report):
                key = f"{pulse.id}/{question.id}"
                if result.kind is QuestionKind.TEXT:
                    for comment in report.comments.get(question.id, ()) if result.comments_shown else ():
                        yield {
                            "section": "pulse_comment",
                            "key": key,
                            "period": pulse.id,
                            "text": csv_cell(free_text(comment, lang)),
                        }
                    continue
                if result.overall is None:
                    continue
                for group, d in _groups(result):
                    label = csv_cell(group_label(group, self.labels, lang))
                    group_key = OTHERS if group == OTHER_UNITS else group
                    yield {
                        "section": "pulse_group",
                        "key": f"{key}/{group_key}",
                        "label": label,
                        "period": pulse.id,
                        "respondents": str(d.respondents),
                        "mean": "" if d.mean is None else format_number(d.mean, lang, 1),
                        "text": csv_cell(question.prompt(lang)),
                    }
                    # Each shown answer (hidden ones are left out), then the other answers together.
                    answers = [(d.count(c), answer_label(question, c, lang), c) for c in categories(question)]
                    answers.append((d.others, pt("col.others", lang), OTHERS))
                    for count, text, note in answers:
                        if count is None:
                            continue
                        yield {
                            "section": "pulse_answer",
                            "key": f"{key}/{group_key}",
                            "label": label,
                            "period": pulse.id,
                            "respondents": str(d.respondents),
                            "count": str(count),
                            "text": csv_cell(text),
                            "note": note,
                        }
                comparison = self._comparison(report, question.id)
                for change in comparison.changes if comparison else ():
                    assert comparison is not None
                    share = change.figure != MEAN
                    scale, decimals = (100, 1) if share else (1, 2)
                    yield {
                        "section": "pulse_change",
                        "key": key,
                        "label": csv_cell(comparison.previous.heading(lang)),
                        "period": comparison.previous.id,
                        "text": csv_cell(
                            answer_label(question, change.figure, lang) if share else pt("col.mean", lang)
                        ),
                        "note": change.figure,
                        "mean": format_number(change.current * scale, lang, decimals),
                        "previous": format_number(change.previous * scale, lang, decimals),
                        "change": format_number(change.delta * scale, lang, decimals),
                    }

    # ---------------------------------------------------------------- HTML

    def html(self, lang: Lang) -> list[str]:
        e = escape
        parts = [f"<h2>{e(pt('pulses', lang))}</h2>", f"<p class='note'>{e(pt('note', lang))}</p>"]

        def table(head: list[str], rows: list[list[str]]) -> str:
            heads = "".join(f"<th>{e(h)}</th>" for h in head)
            body = "".join(
                f"<tr><td>{e(row[0])}</td>" + "".join(f"<td class='n'>{e(c)}</td>" for c in row[1:]) + "</tr>"
                for row in rows
            )
            return f"<table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>"

        if not self.reports:
            parts.append(f"<p class='muted'>{e(pt('none', lang))}</p>")
        for report in self.reports:
            parts.append(f"<h3>{e(self._title(report, lang))}</h3>")
            parts.append("<p>" + "<br>".join(e(line) for line in self._lines(report, lang)) + "</p>")
            if report.results.unit_rates:
                parts.append(f"<h4>{e(pt('rate_by_unit', lang))}</h4>")
                head = [pt(k, lang) for k in ("col.unit", "col.delivered", "col.respondents", "col.rate")]
                parts.append(table(head, self._rates(report, lang)))
            for number, question, result in self._questions(report):
                parts.append(f"<h4>{e(pt('question', lang, number=number, text=question.prompt(lang)))}</h4>")
                if result.kind is QuestionKind.TEXT:
                    comments = report.comments.get(question.id, ())
                    if not result.comments_shown:
                        parts.append(
                            f"<p class='muted'>{e(pt('comments_hidden', lang, n=report.results.min_group))}</p>"
                        )
                    elif not comments:
                        parts.append(f"<p class='muted'>{e(pt('no_comments', lang))}</p>")
                    else:
                        parts.append(
                            "<ul>" + "".join(f"<li>{e(free_text(c, lang))}</li>" for c in comments) + "</ul>"
                        )
                    continue
                if result.overall is not None:
                    rows = [
                        [group_label(key, self.labels, lang), *_cells(question, d, lang)]
                        for key, d in _groups(result)
                    ]
                    parts.append(table(_head(question, lang), rows))
                change = self._change_line(report, question, lang)
                if change:
                    parts.append(f"<p>{e(change)}</p>")
        return parts
