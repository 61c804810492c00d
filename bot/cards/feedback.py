"""The feedback survey card."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from bot.cards.actions import CardAction
from bot.cards.base import adaptive_card, submit_action, text_block
from bot.strings import t
from nwow.feedback.survey import TOOLS
from nwow.language import Lang

MAX_TEXT: Final = 500


def render_survey(
    lang: Lang,
    units: Sequence[tuple[str, str]],
    *,
    min_group: int,
    values: Mapping[str, Any] | None = None,
    problems: Sequence[str] = (),
) -> dict[str, Any]:
    """The survey form. `values` pre-fills a form sent back with `problems` (keys of missing answers)."""
    filled = dict(values or {})
    body: list[dict[str, Any]] = [
        text_block(t("survey.title", lang), size="Medium", weight="Bolder", style="heading"),
        text_block(t("survey.intro", lang, min_group=min_group), isSubtle=True, size="Small"),
    ]
    if problems:
        listed = " ".join(t(f"survey.{p}_missing", lang) for p in problems)
        body.append(text_block(t("survey.fix", lang, problems=listed), color="Attention", weight="Bolder"))
    body += [
        {
            "type": "Input.ChoiceSet",
            "id": "tool",
            "label": t("survey.tool", lang),
            "style": "compact",
            "isRequired": True,
            "errorMessage": t("survey.tool_missing", lang),
            "choices": [{"title": t(f"tool.{tool}", lang), "value": tool} for tool in TOOLS],
            **_value(filled, "tool"),
        },
        {
            "type": "Input.ChoiceSet",
            "id": "rating",
            "label": t("survey.rating", lang),
            "style": "expanded",
            "isRequired": True,
            "errorMessage": t("survey.rating_missing", lang),
            "choices": [{"title": str(n), "value": str(n)} for n in range(1, 6)],
            **_value(filled, "rating"),
        },
        {
            "type": "Input.Text",
            "id": "works",
            "label": t("survey.works", lang),
            "placeholder": t("survey.optional", lang, max=MAX_TEXT),
            "isMultiline": True,
            "maxLength": MAX_TEXT,
            **_value(filled, "works"),
        },
        {
            "type": "Input.Text",
            "id": "obstacles",
            "label": t("survey.obstacles", lang),
            "placeholder": t("survey.optional", lang, max=MAX_TEXT),
            "isMultiline": True,
            "maxLength": MAX_TEXT,
            **_value(filled, "obstacles"),
        },
        {
            "type": "Input.ChoiceSet",
            "id": "unit",
            "label": t("survey.unit", lang),
            "style": "compact",
            "isRequired": True,
            "errorMessage": t("survey.unit_missing", lang),
            "choices": [{"title": name, "value": unit_id} for unit_id, name in units],
            **_value(filled, "unit"),
        },
        {
            "type": "Input.Toggle",
            "id": "contact",
            "title": t("survey.contact", lang),
            "valueOn": "true",
            "valueOff": "false",
            "value": "true" if str(filled.get("contact", "false")) == "true" else "false",
        },
    ]
    actions = [
        submit_action(
            t("survey.submit", lang),
            {"action": CardAction.FEEDBACK_SUBMIT.value},
            style="positive",
        )
    ]
    return adaptive_card(body, actions, lang=lang)


def _value(filled: Mapping[str, Any], key: str) -> dict[str, str]:
    value = filled.get(key)
    return {"value": str(value)} if value not in (None, "") else {}
