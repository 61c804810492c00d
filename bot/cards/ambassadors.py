"""The ambassadors' cards: a question in their channel, as it is now (open, taken, answered, reopened),
and the reminder for a question nobody took.

The buttons are Action.Execute (Universal Actions): the ambassador who clicks gets this card back at once,
drawn from the ticket as it is after their click, with a note for them (taken / already taken by X / sent);
everyone else's copy is updated through the outbox (bot/conversation/ticket_delivery.py). The user's text
is plain text; the ambassadors' own answers are Markdown.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from bot.cards.actions import CardVerb
from bot.cards.base import adaptive_card, execute_action, show_card_action, text_block
from bot.cards.escape import user_text
from bot.cards.tickets import TOO_LONG, read_ticket, when
from bot.cards.values import MAX_ID, ValueRefused, card_parser, read_id, read_text, read_toggle
from bot.strings import t
from nwow.language import Lang
from nwow.tickets.model import MAX_ANSWER, MAX_CONTEXT, MAX_QUESTION, Origin, Ticket, TicketStatus

__all__ = [
    "MAX_ENTRY_CHOICES",
    "AnswerSubmit",
    "NoteKind",
    "TicketContext",
    "parse_answer",
    "parse_answer_entry",
    "parse_ticket_click",
    "render_reminder",
    "render_ticket_card",
    "render_ticket_deleted",
]

# Entries offered in "answer with an FAQ entry" (the closest ones first); the card stays well under 28 KB.
MAX_ENTRY_CHOICES: Final = 120
MAX_CANDIDATES_SHOWN: Final = 3
NAME_CHARS: Final = 100
NoteKind = Literal["good", "warning"]
_COLORS: Final = {"good": "Good", "warning": "Attention"}
_STATUS_COLORS: Final = {
    TicketStatus.OPEN: "Attention",
    TicketStatus.CLAIMED: "Warning",
    TicketStatus.ANSWERED: "Good",
}


@dataclass(frozen=True)
class TicketContext:
    """What the card shows besides the ticket, looked up in the knowledge base and the units file."""

    entry_titles: Mapping[str, str] = field(default_factory=dict)  # entry id -> its title
    topic_name: str = ""
    unit_label: str = ""
    links: Sequence[tuple[str, str]] = ()  # (key, title) of links.yml, for the answer form
    entries: Sequence[tuple[str, str]] = ()  # (entry id, title) for "answer with an FAQ entry"


def _entry_label(context: TicketContext, entry_id: str) -> str:
    title = context.entry_titles.get(entry_id)
    return f"{title} ({entry_id})" if title else entry_id


def _status_line(ticket: Ticket, lang: Lang) -> str:
    if ticket.status is TicketStatus.ANSWERED and ticket.answered_by and ticket.answered_at:
        return t(
            "amb.status.answered", lang, name=ticket.answered_by.name, when=when(ticket.answered_at, lang)
        )
    if ticket.status is TicketStatus.CLAIMED and ticket.claimed_by and ticket.claimed_at:
        return t("amb.status.claimed", lang, name=ticket.claimed_by.name, when=when(ticket.claimed_at, lang))
    return t("amb.status.open", lang)


def _origin_line(ticket: Ticket, context: TicketContext, lang: Lang) -> str:
    if ticket.origin is Origin.THUMBS_DOWN:
        return t("amb.origin.thumbs_down", lang, entry=_entry_label(context, ticket.entry_id))
    return t(f"amb.origin.{ticket.origin.value}", lang)


def _answer_block(
    ticket: Ticket, context: TicketContext, lang: Lang, heading_key: str
) -> list[dict[str, Any]]:
    answer = ticket.answer
    if answer is None:
        return []
    blocks = [text_block(t(heading_key, lang), weight="Bolder", spacing="Medium")]
    if answer.entry_id:
        title = context.entry_titles.get(answer.entry_id, answer.entry_id)
        blocks.append(text_block(t("amb.answered_with_entry", lang, title=title, entry=answer.entry_id)))
    else:
        blocks.append(text_block(answer.text))
        if answer.links:
            titles = dict(context.links)
            blocks.append(
                text_block(" · ".join(titles.get(k, k) for k in answer.links), isSubtle=True, size="Small")
            )
    return blocks


def _answer_forms(ticket: Ticket, context: TicketContext, lang: Lang) -> list[dict[str, Any]]:
    target = {"ticket": ticket.number}
    text_form: list[dict[str, Any]] = [
        {
            "type": "Input.Text",
            "id": "answer",
            "label": t("amb.answer_label", lang),
            "isMultiline": True,
            "isRequired": True,
            "errorMessage": t("amb.answer_missing", lang),
            "maxLength": MAX_ANSWER,
        }
    ]
    if context.links:
        text_form.append(
            {
                "type": "Input.ChoiceSet",
                "id": "links",
                "label": t("amb.links_label", lang),
                "isMultiSelect": True,
                "style": "compact",
                "choices": [{"title": title, "value": key} for key, title in context.links],
            }
        )
    text_form.append(
        {
            "type": "Input.Toggle",
            "id": "draft",
            "title": t("amb.draft_toggle", lang),
            "valueOn": "true",
            "valueOff": "false",
            "value": "false",
            "wrap": True,
        }
    )
    forms = [
        show_card_action(
            t("amb.answer", lang),
            text_form,
            [execute_action(t("amb.send_answer", lang), CardVerb.ANSWER.value, target, style="positive")],
        )
    ]
    if context.entries:
        entry_form = [
            {
                "type": "Input.ChoiceSet",
                "id": "entry",
                "label": t("amb.entry_label", lang),
                "style": "compact",
                "isRequired": True,
                "errorMessage": t("amb.entry_missing", lang),
                "choices": [
                    {"title": f"{title} ({entry_id})", "value": entry_id}
                    for entry_id, title in context.entries[:MAX_ENTRY_CHOICES]
                ],
            }
        ]
        forms.append(
            show_card_action(
                t("amb.answer_entry", lang),
                entry_form,
                [
                    execute_action(
                        t("amb.send_entry", lang), CardVerb.ANSWER_ENTRY.value, target, style="positive"
                    )
                ],
            )
        )
    return forms


def render_ticket_card(
    ticket: Ticket,
    context: TicketContext,
    lang: Lang,
    *,
    note: str | None = None,
    note_kind: NoteKind = "good",
) -> dict[str, Any]:
    """The card of one question for the ambassadors' channel. `note` speaks to the one who just clicked."""
    body: list[dict[str, Any]] = []
    if note:
        body.append(text_block(note, weight="Bolder", color=_COLORS[note_kind]))
    meta = t(
        "amb.meta",
        lang,
        language=t(f"language.{ticket.lang}", lang),
        topic=context.topic_name or t("amb.no_topic", lang),
        when=when(ticket.created_at, lang),
    )
    body += [
        {
            "type": "ColumnSet",
            "columns": [
                {
                    "type": "Column",
                    "width": "stretch",
                    "items": [
                        text_block(
                            t("amb.card_title", lang, number=ticket.number),
                            size="Medium",
                            weight="Bolder",
                            style="heading",
                        )
                    ],
                },
                {
                    "type": "Column",
                    "width": "auto",
                    "verticalContentAlignment": "Center",
                    "items": [
                        text_block(
                            _status_line(ticket, lang),
                            weight="Bolder",
                            color=_STATUS_COLORS[ticket.status],
                            size="Small",
                        )
                    ],
                },
            ],
        },
        text_block(meta, isSubtle=True, size="Small", spacing="None"),
        text_block(user_text(ticket.question, MAX_QUESTION), weight="Bolder", spacing="Medium"),
    ]
    if ticket.context:
        body += [
            text_block(t("amb.added", lang), isSubtle=True, size="Small", spacing="Small"),
            text_block(user_text(ticket.context, MAX_CONTEXT), spacing="None"),
        ]
    # The requester's name (as Teams gave it) and the unit label (of a file) are shown as text too.
    who = (
        t("amb.from_named", lang, name=user_text(ticket.requester_name, NAME_CHARS))
        if ticket.requester_name is not None
        else t("amb.from_anonymous", lang)
    )
    facts = [who]
    if context.unit_label:
        facts.append(t("amb.unit", lang, unit=user_text(context.unit_label, NAME_CHARS)))
    facts.append(_origin_line(ticket, context, lang))
    candidates = [
        _entry_label(context, c)
        for c in ticket.candidates[:MAX_CANDIDATES_SHOWN]
        if c in context.entry_titles
    ]
    if candidates:
        facts.append(t("amb.candidates", lang, entries="; ".join(candidates)))
    body += [text_block(fact, isSubtle=True, size="Small", spacing="Small") for fact in facts]
    if ticket.reopened and ticket.status is not TicketStatus.ANSWERED:
        body.append(
            text_block(
                t("amb.reopened", lang, count=ticket.reopened),
                weight="Bolder",
                color="Attention",
                spacing="Medium",
            )
        )
        if ticket.reopen_note:
            body.append(text_block(user_text(ticket.reopen_note, MAX_CONTEXT)))
        body += _answer_block(ticket, context, lang, "amb.previous_answer")
    if ticket.status is TicketStatus.ANSWERED:
        body += _answer_block(ticket, context, lang, "amb.answer_heading")
        if ticket.helpful is not None:
            body.append(
                text_block(
                    t("amb.rated_up" if ticket.helpful else "amb.rated_down", lang),
                    isSubtle=True,
                    size="Small",
                )
            )
    actions: list[dict[str, Any]] = []
    target = {"ticket": ticket.number}
    if ticket.status is TicketStatus.OPEN:
        actions = [
            execute_action(t("amb.claim", lang), CardVerb.CLAIM.value, target, style="positive"),
            *_answer_forms(ticket, context, lang),
        ]
    elif ticket.status is TicketStatus.CLAIMED:
        actions = [
            *_answer_forms(ticket, context, lang),
            execute_action(t("amb.release", lang), CardVerb.RELEASE.value, target),
        ]
    return adaptive_card(
        body, actions, lang=lang, fallback_text=t("amb.card_title", lang, number=ticket.number)
    )


def render_ticket_deleted(number: int, lang: Lang) -> dict[str, Any]:
    """What replaces a question's card once the user deleted their data: nothing of the question is left."""
    return adaptive_card([text_block(t("amb.status.deleted", lang, number=number), isSubtle=True)], lang=lang)


def render_reminder(ticket: Ticket, context: TicketContext, lang: Lang, *, hours: int) -> dict[str, Any]:
    """The reminder for a question nobody took: the question and "I'll take it"."""
    body = [
        text_block(
            t("amb.reminder_title", lang, number=ticket.number),
            size="Medium",
            weight="Bolder",
            style="heading",
            color="Attention",
        ),
        text_block(
            t("amb.reminder_body", lang, when=when(ticket.created_at, lang), hours=hours),
            isSubtle=True,
            size="Small",
        ),
        text_block(user_text(ticket.question, MAX_QUESTION), weight="Bolder"),
    ]
    if context.topic_name:
        body.append(text_block(context.topic_name, isSubtle=True, size="Small"))
    actions = [
        execute_action(
            t("amb.claim", lang), CardVerb.CLAIM.value, {"ticket": ticket.number}, style="positive"
        )
    ]
    return adaptive_card(
        body, actions, lang=lang, fallback_text=t("amb.reminder_title", lang, number=ticket.number)
    )


# ---------------------------------------------------------------- what the buttons send


@dataclass(frozen=True)
class AnswerSubmit:
    """An ambassador's answer: a text (Markdown) with links of links.yml and the draft toggle, or an entry."""

    ticket: int
    text: str = ""
    links: tuple[str, ...] = ()
    draft: bool = False
    entry_id: str = ""


@card_parser
def parse_ticket_click(value: Mapping[str, object]) -> int:
    """ "I'll take it" and "give it back": the ticket's number."""
    return read_ticket(value)


@card_parser
def parse_answer(value: Mapping[str, object], *, links: Collection[str]) -> AnswerSubmit:
    """The answer form; links come from a multi-select list, as "key1,key2"."""
    text = read_text(value, "answer", max_length=MAX_ANSWER, refuse_over=MAX_ANSWER * TOO_LONG)
    if not text:
        raise ValueRefused("answer")
    raw = read_text(value, "links", max_length=MAX_ID * 8, refuse_over=MAX_ID * 8)
    chosen = tuple(dict.fromkeys(key.strip() for key in raw.split(",") if key.strip()))
    if any(key not in links for key in chosen):
        raise ValueRefused("links")
    return AnswerSubmit(read_ticket(value), text, chosen, read_toggle(value, "draft"))


@card_parser
def parse_answer_entry(value: Mapping[str, object], *, entries: Collection[str]) -> AnswerSubmit:
    """ "Answer with an FAQ entry": one of the entries offered."""
    entry_id = read_id(value, "entry")
    if entry_id not in entries:
        raise ValueRefused("entry")
    return AnswerSubmit(read_ticket(value), entry_id=entry_id)
