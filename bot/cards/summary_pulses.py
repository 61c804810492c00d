"""DRI's summary card, the pulses: the latest pulses with their counts, and for a closed one the headline of
each question as published (a rating's mean, the share of yes, the most chosen shown option) with the
previous pulse's figure. The tables by unit and the comments are in the report (`nwow feedback report`):
the card stays small."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from bot.cards.base import text_block
from bot.cards.escape import user_text
from bot.strings import t
from nwow.language import Lang
from nwow.numbers import format_number, format_percent
from nwow.pulses.compare import MEAN, Change, headline
from nwow.pulses.model import Pulse, QuestionKind
from nwow.pulses.published import PulseReport
from nwow.pulses.results_render import answer_label, rate_text
from nwow.pulses.results_text import pt

__all__ = ["MAX_PULSES", "pulse_elements"]

MAX_PULSES: Final = 2
TITLE_CHARS: Final = 120
QUESTION_CHARS: Final = 100


def _figure(pulse: Pulse, figure: str, value: float, kind: QuestionKind, question_id: str, lang: Lang) -> str:
    if figure == MEAN:
        return t("pulse_results.mean", lang, mean=format_number(value, lang, 1))
    question = pulse.question(question_id)
    assert question is not None
    answer = user_text(answer_label(question, figure, lang), QUESTION_CHARS)
    return t("pulse_results.share", lang, answer=answer, share=format_percent(value, lang))


def _previous(change: Change, lang: Lang) -> str:
    if change.figure == MEAN:
        return format_number(change.previous, lang, 1)
    return format_percent(change.previous, lang)


def _facts(report: PulseReport, lang: Lang) -> list[dict[str, str]]:
    pulse = report.started.pulse
    facts: list[dict[str, str]] = []
    for result in report.results.questions:
        question = pulse.question(result.question_id)
        if question is None or result.kind is QuestionKind.TEXT:
            continue
        figures = headline(pulse, result)
        if result.kind is QuestionKind.CHOICE and figures:
            top = max(figures, key=lambda c: (figures[c], c))
            figures = {top: figures[top]}
        if not figures:
            value = t("pulse_results.not_shown", lang)
        else:
            [(figure, current)] = figures.items()
            value = _figure(pulse, figure, current, result.kind, result.question_id, lang)
            comparison = next((c for c in report.comparisons if c.question_id == question.id), None)
            change = next((c for c in comparison.changes if c.figure == figure), None) if comparison else None
            if change is not None:
                value = t("pulse_results.change", lang, figure=value, previous=_previous(change, lang))
        facts.append({"title": user_text(question.prompt(lang), QUESTION_CHARS), "value": value})
    return facts


def pulse_elements(reports: Sequence[PulseReport], lang: Lang) -> list[dict[str, Any]]:
    """The card elements appended to the summary card (nothing when there is no pulse yet)."""
    if not reports:
        return []
    body: list[dict[str, Any]] = [
        text_block(
            t("pulse_results.title", lang), size="Medium", weight="Bolder", style="heading", spacing="Large"
        )
    ]
    for report in reports[:MAX_PULSES]:
        pulse, results = report.started.pulse, report.results
        body.append(
            text_block(user_text(pulse.heading(lang), TITLE_CHARS), weight="Bolder", spacing="Medium")
        )
        state = pt("state.closed" if results.closed else "state.running", lang)
        counts = t(
            "pulse_results.counts",
            lang,
            state=state,
            delivered=format_number(results.delivered, lang),
            respondents=format_number(results.respondents, lang),
            rate=rate_text(results.response_rate, lang),
        )
        body.append(text_block(counts, spacing="Small"))
        if not results.closed:
            body.append(text_block(t("pulse_results.running", lang, closes=pulse.closes), isSubtle=True))
        elif not results.shown:
            body.append(text_block(t("pulse_results.too_few", lang, n=results.min_group), isSubtle=True))
        else:
            body.append({"type": "FactSet", "facts": _facts(report, lang)})
    body.append(text_block(t("pulse_results.more", lang), isSubtle=True, size="Small"))
    return body
