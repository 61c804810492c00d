"""The adoption pulse card (a form in the user's language), what its buttons may send, and DRI's status card.

Questions are inputs named `q.<question id>`; the unit choice and the "remember my unit" toggle are
optional. The submit carries the pulse id and the card's language; the answers are read against the pulse
as it is kept (not as the card says), so a forged value can only be one the pulse offers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from bot.cards.actions import CardAction
from bot.cards.base import Element, adaptive_card, submit_action, text_block
from bot.cards.escape import user_text
from bot.cards.values import (
    TOGGLE_OFF,
    TOGGLE_ON,
    card_parser,
    read_choice,
    read_id,
    read_text,
    read_toggle,
)
from bot.strings import t
from nwow.language import Lang
from nwow.numbers import format_number, format_percent
from nwow.pulses.answering import RATINGS, YES_NO, offered_values
from nwow.pulses.launch import PulseStatus
from nwow.pulses.model import FREE_TEXT_LIMIT, Pulse, PulseQuestion, QuestionKind
from nwow.schedule import BRUSSELS

__all__ = [
    "PulseOptOut",
    "PulseSubmit",
    "parse_pulse_opt_out",
    "parse_pulse_submit",
    "render_pulse",
    "render_pulse_status",
]

FIELD_PREFIX: Final = "q."
# A client that ignores maxLength may send a little more (clipped); this much is not typing.
REFUSE_TEXT_OVER: Final = 4 * FREE_TEXT_LIMIT
TITLE_CHARS: Final = 200
INTRO_CHARS: Final = 1000
UNIT_NAME_CHARS: Final = 120


def _date(day: date) -> str:
    """A day as Belgian readers write it in every language: 29/01/2027."""
    return day.strftime("%d/%m/%Y")


def render_pulse(
    pulse: Pulse,
    lang: Lang,
    units: Sequence[tuple[str, str]],
    *,
    min_group: int,
    reminder: bool = False,
    unit: str | None = None,
    remember_unit: bool | None = None,
    answers: Mapping[str, str] | None = None,
    missing: Collection[str] = (),
) -> dict[str, Any]:
    """The pulse form. `unit` pre-selects a unit: the one the user let the bot remember (then "remember my
    unit" is ticked), or the one chosen on a form sent back; `remember_unit` is the toggle as the user
    left it on that form (never ticked for them). `answers` and `missing` pre-fill a form sent back
    because required questions were left unanswered."""
    remember = bool(unit) if remember_unit is None else remember_unit
    filled = answers or {}
    body: list[Element] = []
    if reminder:
        body.append(text_block(t("pulse.reminder", lang), weight="Bolder", color="Accent"))
    body += [
        text_block(
            user_text(pulse.heading(lang), TITLE_CHARS), size="Medium", weight="Bolder", style="heading"
        ),
        text_block(user_text(pulse.introduction(lang), INTRO_CHARS)),
        text_block(t("pulse.open_until", lang, date=_date(pulse.closes)), isSubtle=True, size="Small"),
    ]
    if missing:
        body.append(
            text_block(
                t("pulse.fix", lang, count=format_number(len(missing), lang)),
                color="Attention",
                weight="Bolder",
            )
        )
    for question in pulse.questions:
        body.append(_question_input(question, lang, filled.get(question.id)))
    body += [
        {
            "type": "Input.ChoiceSet",
            "id": "unit",
            "label": t("pulse.unit", lang, min_group=format_number(min_group, lang)),
            "style": "compact",
            "choices": [{"title": name[:UNIT_NAME_CHARS], "value": unit_id} for unit_id, name in units],
            **({"value": unit} if unit else {}),
        },
        {
            "type": "Input.Toggle",
            "id": "remember_unit",
            "title": t("pulse.remember_unit", lang),
            "valueOn": TOGGLE_ON,
            "valueOff": TOGGLE_OFF,
            "value": TOGGLE_ON if remember else TOGGLE_OFF,
        },
        text_block(
            t("pulse.privacy", lang, min_group=format_number(min_group, lang)), isSubtle=True, size="Small"
        ),
    ]
    data = {"pulse": pulse.id}
    actions = [
        submit_action(
            t("pulse.submit", lang), {"action": CardAction.PULSE_ANSWER.value, **data}, style="positive"
        ),
        submit_action(
            t("pulse.opt_out", lang),
            {"action": CardAction.PULSE_OPT_OUT.value, **data},
            associatedInputs="none",  # no answer needs to be filled in to say "never again"
        ),
    ]
    return adaptive_card(body, actions, lang=lang)


def _question_input(question: PulseQuestion, lang: Lang, value: str | None) -> Element:
    kind = question.kind
    label = question.prompt(lang)
    field = FIELD_PREFIX + question.id
    prefill = {"value": value} if value else {}
    if kind is QuestionKind.TEXT:
        return {
            "type": "Input.Text",
            "id": field,
            "label": label,
            "placeholder": t("pulse.optional", lang, max=format_number(FREE_TEXT_LIMIT, lang)),
            "isMultiline": True,
            "maxLength": FREE_TEXT_LIMIT,
            **({"value": value[:FREE_TEXT_LIMIT]} if value else {}),
        }
    if kind is QuestionKind.RATING:
        low, high = t("pulse.rating_low", lang), t("pulse.rating_high", lang)
        choices = [{"title": rating, "value": rating} for rating in RATINGS]
        label = f"{label} ({low}, {high})"
    elif kind is QuestionKind.YES_NO:
        choices = [{"title": t(f"pulse.{answer}", lang), "value": answer} for answer in YES_NO]
    else:
        choices = [{"title": choice.text(lang), "value": choice.id} for choice in question.choices]
    return {
        "type": "Input.ChoiceSet",
        "id": field,
        "label": label,
        "style": "expanded",
        "isRequired": True,
        "errorMessage": t("pulse.missing", lang),
        "choices": choices,
        **prefill,
    }


@dataclass(frozen=True)
class PulseSubmit:
    pulse_id: str
    given: Mapping[str, str | None]  # question id -> the value as offered (None: not answered)
    unit: str | None
    remember_unit: bool


@dataclass(frozen=True)
class PulseOptOut:
    pulse_id: str


@card_parser
def _read_pulse_id(value: Mapping[str, object]) -> str:
    return read_id(value, "pulse")


def parse_pulse_id(value: object) -> str | None:
    """The pulse a submit is about, or None when the value could not have come from a pulse card."""
    found = _read_pulse_id(value)
    return found if isinstance(found, str) else None


@card_parser
def parse_pulse_submit(value: Mapping[str, object], pulse: Pulse, *, units: Collection[str]) -> PulseSubmit:
    """The answers as the pulse offers them: a choice off the list is unanswered (sent back), free text
    clipped to its limit (refused far beyond it), the toggle as declared."""
    given: dict[str, str | None] = {}
    for question in pulse.questions:
        field = FIELD_PREFIX + question.id
        if question.kind is QuestionKind.TEXT:
            given[question.id] = read_text(
                value, field, max_length=FREE_TEXT_LIMIT, refuse_over=REFUSE_TEXT_OVER
            )
        else:
            given[question.id] = read_choice(value, field, offered_values(question))
    return PulseSubmit(
        pulse_id=read_id(value, "pulse"),
        given=given,
        unit=read_choice(value, "unit", units),
        remember_unit=read_toggle(value, "remember_unit"),
    )


@card_parser
def parse_pulse_opt_out(value: Mapping[str, object]) -> PulseOptOut:
    return PulseOptOut(read_id(value, "pulse"))


def render_pulse_status(
    statuses: Sequence[PulseStatus],
    lang: Lang,
    unit_names: Mapping[str, str],
    *,
    now: datetime | None = None,
    min_group: int = 0,
) -> dict[str, Any]:
    """DRI's card: each pulse (latest first) with its delivery and answers, by unit where large enough.
    `now` tells a pulse whose closing day is over (closed by the calendar) from one still open."""
    body: list[Element] = [
        text_block(t("pulse.status_title", lang), size="Medium", weight="Bolder", style="heading")
    ]
    if not statuses:
        body.append(text_block(t("pulse.status_none", lang)))
    for status in statuses:
        started = status.started
        pulse = started.pulse
        if started.closed_at is not None:
            state = t("pulse.state_closed", lang, date=_date(started.closed_at.astimezone(BRUSSELS).date()))
        elif now is not None and not started.is_open(now):
            state = t("pulse.state_closed", lang, date=_date(pulse.closes))
        else:
            state = t("pulse.state_open", lang, date=_date(pulse.closes))
        body += [
            text_block(
                # The id is lower-case letters, digits and single hyphens (the schema): nothing Markdown reads.
                f"{user_text(pulse.heading(lang), TITLE_CHARS)} ({pulse.id})",
                weight="Bolder",
                separator=True,
                spacing="Medium",
            ),
            text_block(state, isSubtle=True, size="Small"),
            {
                "type": "FactSet",
                "facts": [
                    {"title": t(key, lang), "value": format_number(count, lang)}
                    for key, count in (
                        ("pulse.recipients", status.recipients),
                        ("pulse.waiting", status.queued),
                        ("pulse.delivered", status.delivered),
                        ("pulse.failed", status.failed),
                        ("pulse.gone", status.gone),
                        ("pulse.withdrawn", status.withdrawn),
                        ("pulse.answered", status.answered),
                    )
                ],
            },
        ]
        rate = status.response_rate
        if rate is not None:
            body.append(text_block(t("pulse.rate", lang, rate=format_percent(rate, lang))))
        if status.by_unit:
            body.append(
                text_block(
                    t("pulse.by_unit", lang, min_group=format_number(max(pulse.min_group, min_group), lang)),
                    weight="Bolder",
                    size="Small",
                )
            )
            body += [
                text_block(
                    t(
                        "pulse.unit_line",
                        lang,
                        unit=user_text(unit_names.get(row.unit, row.unit), UNIT_NAME_CHARS),
                        delivered=format_number(row.delivered, lang),
                        recipients=format_number(row.recipients, lang),
                    ),
                    size="Small",
                    spacing="None",
                )
                for row in status.by_unit
            ]
        if status.hidden_units:
            body.append(
                text_block(
                    t("pulse.hidden_units", lang, count=format_number(status.hidden_units, lang)),
                    isSubtle=True,
                    size="Small",
                )
            )
        body.append(text_block(t("pulse.answers_later", lang), isSubtle=True, size="Small"))
    return adaptive_card(body, lang=lang)
