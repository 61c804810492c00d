"""Cards for DRI (the feedback summary) and the ambassadors (unanswered questions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from bot.cards.base import adaptive_card, text_block
from bot.cards.escape import user_text
from bot.strings import t
from nwow.feedback.report import QuestionCluster, SummaryNumbers
from nwow.feedback.report_text import month_name
from nwow.feedback.survey import TOOLS
from nwow.language import Lang

# What a card shows at most: rows, and characters of each text that did not come from us.
MAX_TOOL_ROWS: Final = 20
MAX_UNANSWERED_ROWS: Final = 10
QUESTION_CHARS: Final = 300
LABEL_CHARS: Final = 60


def _tool_label(tool: str, fallback: str, lang: Lang) -> str:
    return t(f"tool.{tool}", lang) if tool in TOOLS else user_text(fallback, LABEL_CHARS)


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


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
                    mean=_mean(numbers.mean),
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
                        "value": t("summary.row", lang, responses=count, mean=_mean(mean)),
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


def unanswered_rows(clusters: Sequence[QuestionCluster], limit: int) -> list[tuple[str, int, str]]:
    """The rows of the unanswered-questions card: the `limit` most asked, as `render_unanswered` takes them."""
    return [(c.text, c.count, ", ".join(c.langs)) for c in clusters[:limit]]


def render_unanswered(
    questions: Sequence[tuple[str, int, str]], lang: Lang, *, period: str
) -> dict[str, Any]:
    """`questions` is (most frequent wording, times asked, languages) for the most asked ones of `period`
    (closed ISO weeks, e.g. "weeks 2026-W41 to 2026-W44"); the first `MAX_UNANSWERED_ROWS` are shown, each
    wording as the user typed it (escaped and clipped)."""
    body: list[dict[str, Any]] = [
        text_block(
            t("unanswered.title", lang, period=period), size="Medium", weight="Bolder", style="heading"
        )
    ]
    if not questions:
        body.append(text_block(t("unanswered.none", lang, period=period)))
    else:
        body.append(
            {
                "type": "FactSet",
                "facts": [
                    {
                        "title": t("unanswered.row", lang, count=count, lang=user_text(langs, LABEL_CHARS)),
                        "value": user_text(text, QUESTION_CHARS),
                    }
                    for text, count, langs in questions[:MAX_UNANSWERED_ROWS]
                ],
            }
        )
        body.append(text_block(t("unanswered.hint", lang), isSubtle=True, size="Small"))
    return adaptive_card(body, lang=lang)


def render_digest(
    numbers: SummaryNumbers, questions: Sequence[tuple[str, int, str]], questions_period: str, lang: Lang
) -> dict[str, Any]:
    """The weekly digest: the last closed month's figures, then the last closed week's most asked
    unanswered questions."""
    summary = render_summary(numbers, lang)
    unanswered = render_unanswered(questions, lang, period=questions_period)
    body = [
        text_block(t("digest.title", lang), size="Large", weight="Bolder", style="heading"),
        *summary["body"],
        *unanswered["body"],
    ]
    return adaptive_card(body, lang=lang)
