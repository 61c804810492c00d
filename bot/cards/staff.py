"""Cards for DRI (the feedback summary) and the ambassadors (unanswered questions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from bot.cards.base import adaptive_card, text_block
from bot.cards.escape import user_text
from bot.strings import t
from nwow.feedback.report import QuestionCluster, SummaryNumbers
from nwow.feedback.report_text import month_name
from nwow.feedback.survey import TOOLS
from nwow.language import Lang
from nwow.numbers import format_number
from nwow.schedule import BRUSSELS

# What a card shows at most: rows, and characters of each text that did not come from us.
MAX_TOOL_ROWS: Final = 20
MAX_UNANSWERED_ROWS: Final = 10
QUESTION_CHARS: Final = 300
LABEL_CHARS: Final = 60


def _tool_label(tool: str, fallback: str, lang: Lang) -> str:
    return t(f"tool.{tool}", lang) if tool in TOOLS else user_text(fallback, LABEL_CHARS)


def _mean(value: float | None, lang: Lang) -> str:
    """A mean score as the reader writes numbers (3,7 in nl/fr/de, 3.7 in en)."""
    return "–" if value is None else format_number(value, lang, 1)


def render_summary(numbers: SummaryNumbers, lang: Lang) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        text_block(
            t("summary.title", lang, period=month_name(numbers.month, lang)),
            size="Medium",
            weight="Bolder",
            style="heading",
        )
    ]
    if numbers.responses is None:
        body.append(text_block(t("summary.none", lang)))
    else:
        body.append(
            text_block(
                t(
                    "summary.totals",
                    lang,
                    responses=numbers.responses,
                    mean=_mean(numbers.mean, lang),
                    unanswered=numbers.unanswered,
                )
            )
        )
    if numbers.tools:
        body.append(text_block(t("summary.by_tool", lang), weight="Bolder", spacing="Medium"))
        body.append(
            {
                "type": "FactSet",
                "facts": [
                    {
                        "title": _tool_label(tool, label, lang),
                        "value": t("summary.row", lang, responses=count, mean=_mean(mean, lang)),
                    }
                    for tool, label, count, mean in numbers.tools[:MAX_TOOL_ROWS]
                ],
            }
        )
    body.append(
        text_block(
            t("summary.suppressed", lang, min_group=numbers.min_group_size), isSubtle=True, size="Small"
        )
    )
    return adaptive_card(body, lang=lang)


@dataclass(frozen=True)
class UnansweredRow:
    """A group of near-duplicate questions the FAQ still cannot answer."""

    text: str  # the most frequent wording (as the user typed it)
    count: int
    langs: str
    last_asked: datetime | None = None


@dataclass(frozen=True)
class WaitingGroup:
    """Questions waiting for an ambassador, under one heading (their topic): (number, asked, status,
    question text), newest first."""

    heading: str
    tickets: Sequence[tuple[int, datetime, str, str]]


def unanswered_rows(clusters: Sequence[QuestionCluster], limit: int) -> list[UnansweredRow]:
    """The rows of the unanswered-questions card: the first `limit` clusters."""
    return [UnansweredRow(c.text, c.count, ", ".join(c.langs)) for c in clusters[:limit]]


def _when(moment: datetime) -> str:
    return moment.astimezone(BRUSSELS).strftime("%d/%m %H:%M")


def render_unanswered(
    questions: Sequence[UnansweredRow],
    lang: Lang,
    *,
    period: str,
    waiting: Sequence[WaitingGroup] | None = None,
) -> dict[str, Any]:
    """For the ambassadors: the questions waiting for one of them (grouped, newest first), then the
    questions of `period` (closed ISO weeks) the FAQ still cannot answer, newest first. The first
    `MAX_UNANSWERED_ROWS` of each are shown, each wording as the user typed it (escaped and clipped)."""
    body: list[dict[str, Any]] = []
    if waiting is not None:
        count = sum(len(group.tickets) for group in waiting)
        body.append(
            text_block(
                t("unanswered.waiting_title", lang, count=count),
                size="Medium",
                weight="Bolder",
                style="heading",
            )
        )
        if not waiting:
            body.append(text_block(t("unanswered.waiting_none", lang), isSubtle=True))
        shown = 0
        for group in waiting:
            rows = group.tickets[: max(0, MAX_UNANSWERED_ROWS - shown)]
            if not rows:
                break
            shown += len(rows)
            heading = t(
                "unanswered.group",
                lang,
                group=user_text(group.heading, LABEL_CHARS),
                count=len(group.tickets),
            )
            body.append(text_block(heading, weight="Bolder", spacing="Medium"))
            for number, asked, status, text in rows:
                line = t("unanswered.waiting_row", lang, number=number, when=_when(asked), status=status)
                body += [
                    text_block(line, isSubtle=True, size="Small", spacing="Small"),
                    text_block(user_text(text, QUESTION_CHARS), spacing="None"),
                ]
    spacing = {"spacing": "Large"} if body else {}
    body.append(
        text_block(
            t("unanswered.title", lang, period=period),
            size="Medium",
            weight="Bolder",
            style="heading",
            **spacing,
        )
    )
    if not questions:
        body.append(text_block(t("unanswered.none", lang, period=period)))
    else:
        for row in questions[:MAX_UNANSWERED_ROWS]:
            langs = user_text(row.langs, LABEL_CHARS)
            meta = t("unanswered.row", lang, count=row.count, lang=langs)
            if row.last_asked is not None:
                meta = t("unanswered.kb_row", lang, count=row.count, langs=langs, when=_when(row.last_asked))
            body += [
                text_block(meta, isSubtle=True, size="Small", spacing="Small"),
                text_block(user_text(row.text, QUESTION_CHARS), spacing="None"),
            ]
        body.append(text_block(t("unanswered.hint", lang), isSubtle=True, size="Small"))
    return adaptive_card(body, lang=lang)


@dataclass(frozen=True)
class TicketWeek:
    """The ambassadors' week in the digest: questions asked and answered in it, waiting now, and the median
    working time to the first answer of those answered (None when none were)."""

    asked: int
    answered: int
    waiting: int
    median_working_hours: float | None


def render_digest(
    numbers: SummaryNumbers,
    questions: Sequence[UnansweredRow],
    questions_period: str,
    lang: Lang,
    tickets: TicketWeek | None = None,
) -> dict[str, Any]:
    """The weekly digest: the last closed month's figures, the ambassadors' week (questions asked, answered,
    waiting, median time to answer), then the last closed week's unanswered questions."""
    summary = render_summary(numbers, lang)
    unanswered = render_unanswered(questions, lang, period=questions_period)
    body = [
        text_block(t("digest.title", lang), size="Large", weight="Bolder", style="heading"),
        *summary["body"],
    ]
    if tickets is not None:
        median = (
            "–"
            if tickets.median_working_hours is None
            else format_number(tickets.median_working_hours, lang, 1)
        )
        body += [
            text_block(t("digest.tickets_title", lang), weight="Bolder", spacing="Medium"),
            text_block(
                t(
                    "digest.tickets",
                    lang,
                    asked=tickets.asked,
                    answered=tickets.answered,
                    open=tickets.waiting,
                    median=median,
                )
            ),
        ]
    body += unanswered["body"]
    return adaptive_card(body, lang=lang)
