"""The feedback survey card, and what its submit button may send."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from bot.cards.actions import CardAction
from bot.cards.base import adaptive_card, submit_action, text_block
from bot.cards.values import (
    TOGGLE_OFF,
    TOGGLE_ON,
    ValueRefused,
    card_parser,
    read_choice,
    read_text,
    read_toggle,
)
from bot.strings import t
from nwow.feedback.models import MAX_RATING, MIN_RATING
from nwow.feedback.survey import MAX_TEXT, TOOLS, SurveyAnswers
from nwow.language import Lang

RATINGS: Final = tuple(str(n) for n in range(MIN_RATING, MAX_RATING + 1))
# A client that ignores maxLength may send a little more (it is clipped); this much is not typing.
REFUSE_TEXT_OVER: Final = 4 * MAX_TEXT
_CARD_ID: Final = re.compile(r"[0-9a-f]{32}")


def new_card_id() -> str:
    """A fresh survey card instance id: one user action (this form, however often it is sent) is one row."""
    return secrets.token_hex(16)


def render_survey(
    lang: Lang,
    units: Sequence[tuple[str, str]],
    *,
    card_id: str,
    min_group: int,
    answers: SurveyAnswers | None = None,
    problems: Sequence[str] = (),
) -> dict[str, Any]:
    """The survey form. `answers` pre-fills a form sent back with `problems` (keys of missing answers).

    `card_id` identifies this form: its submit sends it, and the store keeps one response per user and
    card id, so a double click or a retried turn is one row.
    """
    filled = answers or SurveyAnswers()
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
            **_value(filled.tool),
        },
        {
            "type": "Input.ChoiceSet",
            "id": "rating",
            "label": t("survey.rating", lang),
            "style": "expanded",
            "isRequired": True,
            "errorMessage": t("survey.rating_missing", lang),
            "choices": [{"title": rating, "value": rating} for rating in RATINGS],
            **_value(None if filled.rating is None else str(filled.rating)),
        },
        {
            "type": "Input.Text",
            "id": "works",
            "label": t("survey.works", lang),
            "placeholder": t("survey.optional", lang, max=MAX_TEXT),
            "isMultiline": True,
            "maxLength": MAX_TEXT,
            **_value(filled.works[:MAX_TEXT]),
        },
        {
            "type": "Input.Text",
            "id": "obstacles",
            "label": t("survey.obstacles", lang),
            "placeholder": t("survey.optional", lang, max=MAX_TEXT),
            "isMultiline": True,
            "maxLength": MAX_TEXT,
            **_value(filled.obstacles[:MAX_TEXT]),
        },
        {
            "type": "Input.ChoiceSet",
            "id": "unit",
            "label": t("survey.unit", lang),
            "style": "compact",
            "isRequired": True,
            "errorMessage": t("survey.unit_missing", lang),
            "choices": [{"title": name, "value": unit_id} for unit_id, name in units],
            **_value(filled.unit),
        },
        {
            "type": "Input.Toggle",
            "id": "contact",
            "title": t("survey.contact", lang),
            "valueOn": TOGGLE_ON,
            "valueOff": TOGGLE_OFF,
            "value": TOGGLE_ON if filled.contact_ok else TOGGLE_OFF,
        },
    ]
    actions = [
        submit_action(
            t("survey.submit", lang),
            {"action": CardAction.FEEDBACK_SUBMIT.value, "card": card_id},
            style="positive",
        )
    ]
    return adaptive_card(body, actions, lang=lang)


def _value(value: str | None) -> dict[str, str]:
    return {"value": value} if value else {}


@dataclass(frozen=True)
class SurveySubmit:
    """A survey form as sent. `card_id` is None for a form rendered before forms carried one."""

    card_id: str | None
    answers: SurveyAnswers


@card_parser
def parse_survey(value: Mapping[str, object], *, units: Collection[str]) -> SurveySubmit:
    """The survey submit: choices among those the form offered (else unanswered), text clipped to the
    form's maxLength, the toggle as declared, the card id as minted."""
    card = value.get("card")
    card_id: str | None = None
    if card is not None:
        if not isinstance(card, str) or not _CARD_ID.fullmatch(card):
            raise ValueRefused("card")
        card_id = card
    rating = read_choice(value, "rating", RATINGS)
    return SurveySubmit(
        card_id=card_id,
        answers=SurveyAnswers(
            tool=read_choice(value, "tool", TOOLS),
            rating=None if rating is None else int(rating),
            works=read_text(value, "works", max_length=MAX_TEXT, refuse_over=REFUSE_TEXT_OVER),
            obstacles=read_text(value, "obstacles", max_length=MAX_TEXT, refuse_over=REFUSE_TEXT_OVER),
            unit=read_choice(value, "unit", units),
            contact_ok=read_toggle(value, "contact"),
        ),
    )
