"""DRI's summary card, part two: where the questions of the last closed month ended (Copilot Studio's
outcomes), the trend of the last closed weeks, by topic and by unit as published (nwow/tickets/figures.py),
the time to an ambassador's answer, and the questions waiting longest (scrubbed unless their asker agreed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from bot.cards.base import text_block
from bot.cards.escape import user_text
from bot.strings import t
from nwow.feedback.render import free_text
from nwow.feedback.report_text import month_name, rt
from nwow.language import Lang
from nwow.numbers import format_number, format_percent
from nwow.tickets.figures import REST, UNKNOWN_UNIT, MonthOutcomes, OpenQuestion, OutcomeCounts, WeekOutcomes
from nwow.tickets.outcome_render import answer_times_text

__all__ = ["outcome_elements"]

SHOWN_GROUPS: Final = 5
QUESTION_CHARS: Final = 300
_HEADLINE: Final = (
    "answered",
    "resolved",
    "escalated_total",
    "ambassador_answered",
    "abandoned",
    "out_of_scope",
)


def _count(counts: OutcomeCounts, key: str) -> int:
    return counts.escalated if key == "escalated_total" else counts.counts.get(key, 0)


def _share(counts: OutcomeCounts, key: str, lang: Lang) -> str:
    n = _count(counts, key)
    return f"{format_number(n, lang)} ({format_percent(n / counts.questions if counts.questions else 0.0, lang)})"


def _groups(
    rows: Sequence[tuple[str, OutcomeCounts]], label: Callable[[str], str], lang: Lang
) -> list[dict[str, str]]:
    shown = sorted((r for r in rows if r[0] != REST), key=lambda r: -r[1].questions)[:SHOWN_GROUPS]
    rest = [r for r in rows if r[0] == REST]
    return [
        {
            "title": label(key),
            "value": t(
                "outcomes.group_row",
                lang,
                questions=format_number(c.questions, lang),
                answered=format_percent(c.share("answered") + c.share("resolved"), lang),
                escalated=format_percent(c.escalated / c.questions if c.questions else 0.0, lang),
            ),
        }
        for key, c in [*shown, *rest]
    ]


def outcome_elements(
    month: MonthOutcomes,
    weeks: Sequence[WeekOutcomes],
    waiting: Sequence[OpenQuestion],
    labels: dict[str, str],
    lang: Lang,
) -> list[dict[str, Any]]:
    """The card elements (appended to the summary card): `month` is the last closed month's published
    figures, `weeks` the last closed weeks', `waiting` the questions waiting longest now."""
    title = t("outcomes.title", lang, period=month_name(month.month, lang))
    body: list[dict[str, Any]] = [
        text_block(title, size="Medium", weight="Bolder", style="heading", spacing="Large")
    ]
    overall = month.overall
    if overall is None:
        body.append(text_block(rt("outcome.no_figures", lang, n=month.min_group_size)))
    else:
        facts = [{"title": rt("outcome.questions", lang), "value": format_number(overall.questions, lang)}]
        facts += [
            {"title": rt(f"outcome.{key}", lang), "value": _share(overall, key, lang)} for key in _HEADLINE
        ]
        facts.append(
            {
                "title": "👍 / 👎",
                "value": f"{format_number(overall.up, lang)} / {format_number(overall.down, lang)}",
            }
        )
        body.append({"type": "FactSet", "facts": facts})

        def label(kind: str) -> Callable[[str], str]:
            def name(key: str) -> str:
                if key == REST:
                    return rt("outcome.others", lang)
                if kind == "unit" and key == UNKNOWN_UNIT:
                    return rt("outcome.unknown_unit", lang)
                if kind == "topic" and key == "none":
                    return rt("outcome.no_topic", lang)
                return labels.get(f"{kind}:{key}", key)

            return name

        for kind, rows in (("topic", month.topics), ("unit", month.units)):
            if rows:
                body.append(text_block(rt(f"outcome.by_{kind}", lang), weight="Bolder", spacing="Medium"))
                body.append({"type": "FactSet", "facts": _groups(rows, label(kind), lang)})
    if weeks:
        body.append(text_block(rt("outcome.trend", lang), weight="Bolder", spacing="Medium"))
        body.append(
            {
                "type": "FactSet",
                "facts": [
                    {
                        "title": w.week.key,
                        "value": (
                            t(
                                "outcomes.week_row",
                                lang,
                                questions=format_number(w.overall.questions, lang),
                                answered=format_percent(
                                    w.overall.share("answered") + w.overall.share("resolved"), lang
                                ),
                                abandoned=format_percent(w.overall.share("abandoned"), lang),
                            )
                            if w.overall is not None
                            else "–"
                        ),
                    }
                    for w in weeks
                ],
            }
        )
    body.append(text_block(rt("outcome.times", lang), weight="Bolder", spacing="Medium"))
    body.append(text_block(answer_times_text(month, lang), isSubtle=month.answer_times is None))
    body.append(text_block(rt("outcome.open", lang), weight="Bolder", spacing="Medium"))
    if not waiting:
        body.append(text_block(rt("none", lang), isSubtle=True))
    for question in waiting:
        text = free_text(question.text, lang, consented=question.consented)
        body += [
            text_block(
                t(
                    "outcomes.open_row",
                    lang,
                    number=question.number,
                    hours=format_number(question.waiting_working_hours, lang, 1),
                ),
                isSubtle=True,
                size="Small",
                spacing="Small",
            ),
            text_block(user_text(text, QUESTION_CHARS), spacing="None"),
        ]
    return body
