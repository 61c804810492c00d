"""Cards for "my data" and "delete my data"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.cards.actions import CardAction
from bot.cards.base import adaptive_card, submit_action, text_block
from bot.cards.escape import user_text
from bot.strings import t
from nwow.feedback.models import UserData
from nwow.language import Lang
from nwow.numbers import format_number
from nwow.pulses.store import UNIT_PREFERENCE

HOME_AREA = "home_area"
PLACE_CHARS = 100


def render_my_data(
    data: UserData,
    lang: Lang,
    *,
    retention_days: int,
    tickets: tuple[int, int, int] | None = None,
    pulses: tuple[int, bool] | None = None,
    unit_name: Callable[[str], str] = str,
) -> dict[str, Any]:
    """What the bot keeps about the user, and when it deletes it (`retention_days`: the running bot's
    NWOW_RETENTION_DAYS); `tickets` is (questions to the ambassadors, records of questions asked, supports
    of knowledge-base proposals); `pulses` is (pulse answers, asked never to be asked again);
    `unit_name` names the unit the user let the bot remember."""
    home = data.remembered.get(HOME_AREA)
    remembered = t("mydata.remembered", lang, value=user_text(home, PLACE_CHARS)) if home else ""
    body = [
        text_block(t("mydata.title", lang), size="Medium", weight="Bolder", style="heading"),
        text_block(t("mydata.body", lang, surveys=data.surveys, votes=data.votes, remembered=remembered)),
    ]
    if tickets is not None:
        asked, recorded, supported = tickets
        body.append(
            text_block(t("mydata.tickets", lang, tickets=asked, questions=recorded, proposals=supported))
        )
    if pulses is not None:
        answered, opted_out = pulses
        unit = data.remembered.get(UNIT_PREFERENCE)
        lines = [t("mydata.pulses", lang, answers=format_number(answered, lang))]
        if unit:
            lines.append(t("mydata.unit", lang, unit=user_text(unit_name(unit), PLACE_CHARS)))
        if opted_out:
            lines.append(t("mydata.pulses_opted_out", lang))
        body.append(text_block(" ".join(lines)))
    body.append(
        text_block(
            t("mydata.retention", lang, days=format_number(retention_days, lang)), isSubtle=True, size="Small"
        )
    )
    actions = [submit_action(t("mydata.delete_button", lang), {"action": CardAction.DELETE_MY_DATA.value})]
    return adaptive_card(body, actions, lang=lang)


def render_delete_confirm(lang: Lang, *, min_group: int) -> dict[str, Any]:
    """ "Delete everything?", with what deleting cannot undo: monthly figures already published keep the
    user's answers inside their totals of at least `min_group` people (docs/anonymity.md, rule 2)."""
    body = [
        text_block(t("mydata.confirm", lang), weight="Bolder"),
        text_block(
            t("mydata.confirm_published", lang, min_group=format_number(min_group, lang)),
            isSubtle=True,
            size="Small",
        ),
    ]
    actions = [
        submit_action(
            t("mydata.confirm_yes", lang), {"action": CardAction.DELETE_CONFIRMED.value}, style="destructive"
        ),
        submit_action(t("mydata.confirm_no", lang), {"action": CardAction.DELETE_DECLINED.value}),
    ]
    return adaptive_card(body, actions, lang=lang)
