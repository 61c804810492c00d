"""The vocabulary of card buttons: the `action` values that cards submit and the handler routes on.

What a button may send besides its action is read by one parser beside the card that offers it
(`parse_*` in bot/cards/faq.py, feedback.py, offices.py, with the readers of bot/cards/values.py).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CardAction", "parse_card_action"]


class CardAction(StrEnum):
    """The `action` values that card buttons submit."""

    FAQ_SHOW = "faq.show"
    FAQ_VOTE = "faq.vote"
    TOPICS = "topics"
    TOPIC_SHOW = "topics.show"
    HELP = "help"
    FEEDBACK_START = "feedback.start"
    FEEDBACK_SUBMIT = "feedback.submit"
    OFFICES_START = "offices.start"
    OFFICES_PLACE = "offices.place"
    OFFICES_REMEMBER = "offices.remember"
    OFFICES_PROVINCE = "offices.province"
    MY_DATA = "mydata"
    DELETE_MY_DATA = "mydata.delete"
    DELETE_CONFIRMED = "mydata.delete.confirm"
    DELETE_DECLINED = "mydata.delete.decline"


def parse_card_action(value: object) -> CardAction | None:
    if not isinstance(value, dict):
        return None
    raw = value.get("action")
    try:
        return CardAction(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
