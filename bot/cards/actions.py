"""The vocabulary of card buttons: the `action` values that cards submit and the handler routes on.

What a button may send besides its action is read by one parser beside the card that offers it
(`parse_*` in bot/cards/faq.py, feedback.py, offices.py, with the readers of bot/cards/values.py).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CardAction", "CardVerb", "parse_card_action", "parse_card_verb"]


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
    TICKET_ASK = "ticket.ask"
    TICKET_RATE = "ticket.rate"
    TICKET_REOPEN = "ticket.reopen"
    TICKET_SHOW = "ticket.show"
    MY_QUESTIONS = "ticket.mine"
    PULSE_ANSWER = "pulse.answer"
    PULSE_OPT_OUT = "pulse.optout"


class CardVerb(StrEnum):
    """The `verb` of the Action.Execute buttons on the ambassadors' cards (Universal Actions: the click
    arrives as an `adaptiveCard/action` invoke and is answered with the card as it is now)."""

    CLAIM = "ticket.claim"
    RELEASE = "ticket.release"
    ANSWER = "ticket.answer"
    ANSWER_ENTRY = "ticket.answer_entry"


def parse_card_verb(verb: object) -> CardVerb | None:
    try:
        return CardVerb(verb) if isinstance(verb, str) else None
    except ValueError:
        return None


def parse_card_action(value: object) -> CardAction | None:
    if not isinstance(value, dict):
        return None
    raw = value.get("action")
    try:
        return CardAction(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
