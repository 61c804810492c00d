"""The welcome card and the help card."""

from __future__ import annotations

from typing import Any

from bot.cards.actions import CardAction
from bot.cards.base import adaptive_card, submit_action, text_block
from bot.strings import t
from nwow.language import Lang


def _main_actions(lang: Lang) -> list[dict[str, Any]]:
    return [
        submit_action(t("button.topics", lang), {"action": CardAction.TOPICS.value}),
        submit_action(t("button.offices", lang), {"action": CardAction.OFFICES_START.value}),
        submit_action(t("button.feedback", lang), {"action": CardAction.FEEDBACK_START.value}),
    ]


def render_welcome(lang: Lang) -> dict[str, Any]:
    body = [
        text_block(t("welcome.title", lang), size="Large", weight="Bolder", style="heading"),
        text_block(t("welcome.body", lang)),
        text_block(t("welcome.privacy", lang), isSubtle=True, size="Small"),
    ]
    actions = [*_main_actions(lang), submit_action(t("button.help", lang), {"action": CardAction.HELP.value})]
    return adaptive_card(body, actions, lang=lang)


def render_help(lang: Lang, *, staff: bool = False) -> dict[str, Any]:
    facts = ["help.ask", "help.offices", "help.feedback", "help.privacy"]
    if staff:
        facts.append("help.staff")
    body: list[dict[str, Any]] = [
        text_block(t("help.title", lang), size="Medium", weight="Bolder", style="heading"),
        *[text_block(f"- {t(key, lang)}", spacing="Small") for key in facts],
    ]
    actions = [
        *_main_actions(lang),
        submit_action(t("button.mydata", lang), {"action": CardAction.MY_DATA.value}),
    ]
    return adaptive_card(body, actions, lang=lang)
