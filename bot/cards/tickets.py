"""The user's cards of "Ask an ambassador": the form, the reference, the answer, "my questions".

Whatever the user typed is shown as plain text (bot/cards/plain.py); an ambassador's answer is Markdown,
written for the card.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from bot.cards.actions import CardAction
from bot.cards.base import adaptive_card, open_url_action, show_card_action, submit_action, text_block
from bot.cards.escape import user_text
from bot.cards.values import (
    ValueRefused,
    card_parser,
    read_choice,
    read_flag,
    read_id,
    read_text,
    read_toggle,
)
from bot.strings import t
from nwow.faq.model import FaqEntry, Link
from nwow.language import Lang
from nwow.schedule import BRUSSELS
from nwow.tickets.model import MAX_CONTEXT, MAX_QUESTION, Origin, Ticket, TicketStatus

__all__ = [
    "MAX_LINKS",
    "MY_QUESTIONS_SHOWN",
    "AskOffer",
    "AskSubmit",
    "RateSubmit",
    "ReopenSubmit",
    "ask_action",
    "parse_ask",
    "parse_rate",
    "parse_reopen",
    "parse_ticket",
    "read_ticket",
    "render_ask_form",
    "render_my_questions",
    "render_out_of_scope",
    "render_ticket_answer",
    "render_ticket_created",
    "when",
]

MAX_LINKS: Final = 5
MY_QUESTIONS_SHOWN: Final = 10
TOGGLE_ON: Final = "true"
TOGGLE_OFF: Final = "false"
_INTRO: Final = {
    Origin.UNANSWERED: "ticket.intro.unanswered",
    Origin.NONE_OF_THESE: "ticket.intro.none_of_these",
    Origin.THUMBS_DOWN: "ticket.intro.thumbs_down",
    Origin.OUT_OF_SCOPE: "ticket.intro.out_of_scope",
}


def when(moment: datetime, lang: Lang) -> str:
    """A moment as Belgian readers write it, in Brussels time: 24/11 15:30."""
    return moment.astimezone(BRUSSELS).strftime("%d/%m %H:%M")


@dataclass(frozen=True)
class AskOffer:
    """What the "ask an ambassador" form carries: the question (as the user asked it), where it came from,
    the question's record (`q`), the topic it is routed by and the entry a 👎 was about."""

    origin: Origin
    question: str
    q: str = ""
    topic: str = ""
    entry_id: str = ""
    units: Sequence[tuple[str, str]] = ()


def _form(offer: AskOffer, lang: Lang) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    label = "ticket.missing_label" if offer.origin is Origin.THUMBS_DOWN else "ticket.context_label"
    body: list[dict[str, Any]] = [
        text_block(t(_INTRO[offer.origin], lang)),
        text_block(t("ticket.your_question", lang), weight="Bolder", spacing="Medium"),
        text_block(user_text(offer.question, MAX_QUESTION)),
        {
            "type": "Input.Text",
            "id": "context",
            "label": t(label, lang),
            "placeholder": t("ticket.context_placeholder", lang),
            "isMultiline": True,
            "maxLength": MAX_CONTEXT,
        },
    ]
    if offer.units:
        body.append(
            {
                "type": "Input.ChoiceSet",
                "id": "unit",
                "label": t("ticket.unit_label", lang),
                "style": "compact",
                "placeholder": t("ticket.unit_placeholder", lang),
                "choices": [{"title": label, "value": unit} for unit, label in offer.units],
            }
        )
    body += [
        {
            "type": "Input.Toggle",
            "id": "share_name",
            "title": t("ticket.share_name", lang),
            "valueOn": TOGGLE_ON,
            "valueOff": TOGGLE_OFF,
            "value": TOGGLE_OFF,
            "wrap": True,
        },
        text_block(t("ticket.shared_note", lang), isSubtle=True, size="Small"),
    ]
    data = {
        "action": CardAction.TICKET_ASK.value,
        "origin": offer.origin.value,
        "question": offer.question[:MAX_QUESTION],
        "q": offer.q,
        "topic": offer.topic,
        "entry_id": offer.entry_id,
    }
    return body, [submit_action(t("ticket.send", lang), data, style="positive")]


def ask_action(offer: AskOffer, lang: Lang, title_key: str = "ticket.ask_button") -> dict[str, Any]:
    """The button that unfolds the form under a card (the FAQ's "I don't know", "Did you mean")."""
    body, actions = _form(offer, lang)
    return show_card_action(t(title_key, lang), body, actions)


def render_ask_form(offer: AskOffer, lang: Lang) -> dict[str, Any]:
    """The form as a card of its own (after a 👎)."""
    body, actions = _form(offer, lang)
    heading = text_block(t("ticket.form_title", lang), size="Medium", weight="Bolder", style="heading")
    return adaptive_card([heading, *body], actions, lang=lang)


def render_out_of_scope(offer: AskOffer, lang: Lang) -> dict[str, Any]:
    body = [
        text_block(t("faq.out_of_scope_title", lang), size="Medium", weight="Bolder", style="heading"),
        text_block(t("faq.out_of_scope_body", lang)),
    ]
    actions = [
        submit_action(t("button.topics", lang), {"action": CardAction.TOPICS.value}),
        ask_action(offer, lang),
    ]
    return adaptive_card(body, actions, lang=lang)


def render_ticket_created(number: int, lang: Lang, *, again: bool = False) -> dict[str, Any]:
    if again:
        body = [text_block(t("ticket.created_again", lang, number=number))]
    else:
        body = [
            text_block(t("ticket.created_title", lang, number=number), weight="Bolder", style="heading"),
            text_block(t("ticket.created_body", lang)),
        ]
    actions = [submit_action(t("myq.title", lang), {"action": CardAction.MY_QUESTIONS.value})]
    return adaptive_card(body, actions, lang=lang)


def _rating_actions(ticket: Ticket, lang: Lang) -> list[dict[str, Any]]:
    rate = {"action": CardAction.TICKET_RATE.value, "ticket": ticket.number}
    reopen_form = [
        {
            "type": "Input.Text",
            "id": "note",
            "label": t("ticket.not_solved_label", lang),
            "isMultiline": True,
            "maxLength": MAX_CONTEXT,
        }
    ]
    reopen = submit_action(
        t("ticket.not_solved_send", lang), {"action": CardAction.TICKET_REOPEN.value, "ticket": ticket.number}
    )
    return [
        submit_action(t("faq.vote_up", lang), {**rate, "helpful": True}),
        submit_action(t("faq.vote_down", lang), {**rate, "helpful": False}),
        show_card_action(t("ticket.not_solved", lang), reopen_form, [reopen]),
    ]


def render_ticket_answer(
    ticket: Ticket, lang: Lang, *, entry: FaqEntry | None = None, links: Sequence[Link] = ()
) -> dict[str, Any]:
    """The ambassador's answer in the user's chat: their text (Markdown) with links, or the FAQ entry
    they chose; 👍/👎 and "still not solved"."""
    answer = ticket.answer
    if answer is None:
        raise ValueError(f"ticket {ticket.number} has no answer")
    body: list[dict[str, Any]] = [
        text_block(
            t("ticket.answer_title", lang, number=ticket.number),
            size="Medium",
            weight="Bolder",
            style="heading",
        ),
        text_block(t("ticket.your_question", lang), isSubtle=True, size="Small", spacing="Small"),
        text_block(user_text(ticket.question, MAX_QUESTION), isSubtle=True, spacing="None"),
    ]
    shown_links = list(links)
    if entry is not None:
        _content_lang, content = entry.content_for(lang)
        body += [
            text_block(t("ticket.answer_entry_intro", lang), spacing="Medium"),
            text_block(content.questions[0], weight="Bolder"),
            text_block(content.answer),
        ]
        shown_links = list(entry.links)
    else:
        body.append(text_block(answer.text, spacing="Medium"))
    if shown_links:
        body.append(
            {
                "type": "ActionSet",
                "actions": [open_url_action(link.title(lang), link.url) for link in shown_links[:MAX_LINKS]],
            }
        )
    if ticket.answered_by is not None:
        body.append(
            text_block(t("ticket.answer_by", lang, name=ticket.answered_by.name), isSubtle=True, size="Small")
        )
    body.append(text_block(t("ticket.helpful", lang), spacing="Medium", isSubtle=True))
    fallback = answer.text if entry is None else entry.content_for(lang)[1].answer
    return adaptive_card(body, _rating_actions(ticket, lang), lang=lang, fallback_text=fallback[:500])


def _status(ticket: Ticket, lang: Lang) -> str:
    if ticket.status is TicketStatus.ANSWERED and ticket.answered_at is not None:
        return t("myq.status.answered", lang, when=when(ticket.answered_at, lang))
    return t("myq.status.claimed" if ticket.status is TicketStatus.CLAIMED else "myq.status.open", lang)


def render_my_questions(tickets: Sequence[Ticket], total: int, lang: Lang) -> dict[str, Any]:
    """The user's questions to the ambassadors, newest first: open ones and answered ones."""
    body: list[dict[str, Any]] = [
        text_block(t("myq.title", lang), size="Medium", weight="Bolder", style="heading")
    ]
    if not tickets:
        body.append(text_block(t("myq.none", lang)))
        return adaptive_card(body, lang=lang)
    for ticket in tickets[:MY_QUESTIONS_SHOWN]:
        row = t(
            "myq.row",
            lang,
            number=ticket.number,
            when=when(ticket.created_at, lang),
            status=_status(ticket, lang),
        )
        items: list[dict[str, Any]] = [
            text_block(row, weight="Bolder", size="Small", spacing="None"),
            text_block(user_text(ticket.question, 200), spacing="None"),
        ]
        if ticket.status is TicketStatus.ANSWERED:
            show = {"action": CardAction.TICKET_SHOW.value, "ticket": ticket.number}
            items.append(
                {
                    "type": "ActionSet",
                    "actions": [submit_action(t("myq.show", lang, number=ticket.number), show)],
                }
            )
        body.append({"type": "Container", "separator": True, "spacing": "Medium", "items": items})
    hidden = total - min(len(tickets), MY_QUESTIONS_SHOWN)
    if hidden > 0:
        body.append(text_block(t("myq.more", lang, count=hidden), isSubtle=True, size="Small"))
    return adaptive_card(body, lang=lang)


# ---------------------------------------------------------------- what the buttons send

MAX_TICKET: Final = 10**12
# Typing cannot make a text longer than this many times what the input allows (clients that do not enforce
# maxLength get theirs clipped; anything longer is refused).
TOO_LONG: Final = 4


def read_ticket(value: Mapping[str, object]) -> int:
    """The ticket number the card put in a button's data: a JSON whole number."""
    raw = value.get("ticket")
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw < MAX_TICKET:
        raise ValueRefused("ticket")
    return raw


@dataclass(frozen=True)
class AskSubmit:
    """The "send to an ambassador" form. A topic, entry or unit that is not (or no longer) known is
    dropped, not refused: the files can change between the card and the click."""

    origin: Origin
    question: str
    q: str
    topic: str
    entry_id: str
    context: str
    unit: str
    share_name: bool


@card_parser
def parse_ask(
    value: Mapping[str, object], *, topics: Collection[str], entries: Collection[str], units: Collection[str]
) -> AskSubmit:
    try:
        origin = Origin(read_id(value, "origin"))
    except ValueError as exc:
        raise ValueRefused("origin") from exc
    question = read_text(value, "question", max_length=MAX_QUESTION, refuse_over=MAX_QUESTION * TOO_LONG)
    if not question:
        raise ValueRefused("question")
    return AskSubmit(
        origin=origin,
        question=question,
        q=read_id(value, "q", required=False),
        topic=read_choice(value, "topic", topics) or "",
        entry_id=read_choice(value, "entry_id", entries) or "",
        context=read_text(value, "context", max_length=MAX_CONTEXT, refuse_over=MAX_CONTEXT * TOO_LONG),
        unit=read_choice(value, "unit", units) or "",
        share_name=read_toggle(value, "share_name"),
    )


@dataclass(frozen=True)
class RateSubmit:
    ticket: int
    helpful: bool


@card_parser
def parse_rate(value: Mapping[str, object]) -> RateSubmit:
    return RateSubmit(read_ticket(value), read_flag(value, "helpful"))


@dataclass(frozen=True)
class ReopenSubmit:
    ticket: int
    note: str


@card_parser
def parse_reopen(value: Mapping[str, object]) -> ReopenSubmit:
    note = read_text(value, "note", max_length=MAX_CONTEXT, refuse_over=MAX_CONTEXT * TOO_LONG)
    return ReopenSubmit(read_ticket(value), note)


@card_parser
def parse_ticket(value: Mapping[str, object]) -> int:
    """A button that names one of the user's tickets ("show the answer")."""
    return read_ticket(value)
