"""Cards for knowledge-base answers: the answer, "did you mean", "I don't know yet", topics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.cards.actions import CardAction
from bot.cards.base import adaptive_card, more_rows, open_url_action, submit_action, text_block
from bot.cards.provenance import draft_mark, draft_note
from bot.cards.tickets import AskOffer, ask_action
from bot.cards.values import card_parser, read_flag, read_id, read_text
from bot.strings import t
from nwow.faq.model import Answer, FaqEntry
from nwow.faq.setting_refs import fill_settings
from nwow.language import Lang
from nwow.tickets.model import MAX_QUESTION

MAX_RELATED = 3
MAX_LINKS = 3
# Rows of the topic cards: the knowledge base can grow; a card must stay under Teams' size limit.
MAX_TOPICS = 30
MAX_TOPIC_ENTRIES = 30


def render_answer(
    answer: Answer,
    answer_id: str,
    related: Sequence[FaqEntry] = (),
    *,
    settings: Mapping[str, str] | None = None,
    q: str = "",
    question: str = "",
) -> dict[str, Any]:
    """The answer card: title, a mark while the entry is a draft, the answer, link buttons, related entries,
    and "Was this helpful?".

    `answer_id` identifies this card so that one user's vote on it counts once. `settings` are the values
    the answer may quote (`{setting:NAME}`, nwow.faq.setting_refs), as the running bot has them. `q` names
    the record of the question it answers (its 👍/👎 is kept there too), and 👎 carries the question, for
    the offer to ask an ambassador that follows it.
    """
    asked: Lang = answer.asked_lang
    content_lang, content = answer.entry.content_for(answer.lang)
    body: list[dict[str, Any]] = [
        text_block(content.questions[0], size="Medium", weight="Bolder", style="heading"),
        *draft_note(answer.entry, asked),
    ]
    if content_lang != asked:
        language = t(f"language.{content_lang}", asked)
        body.append(text_block(t("faq.fallback_note", asked, language=language), isSubtle=True, size="Small"))
    text = fill_settings(content.answer, settings or {})
    body.append(text_block(text))
    if answer.entry.links:
        body.append(
            {
                "type": "ActionSet",
                "actions": [
                    open_url_action(link.title(asked), link.url) for link in answer.entry.links[:MAX_LINKS]
                ],
            }
        )
    if related:
        body.append(text_block(t("faq.related", asked), weight="Bolder", spacing="Medium"))
        # One tappable row per related question: a button would cut a long question off at the card edge.
        body += [
            {
                "type": "Container",
                "spacing": "Small",
                "selectAction": submit_action(
                    entry.title(asked), {"action": CardAction.FAQ_SHOW.value, "entry_id": entry.id}
                ),
                "items": [text_block(f"→ {entry.title(asked)}", color="Accent", spacing="None")],
            }
            for entry in related[:MAX_RELATED]
        ]
    body.append(text_block(t("faq.helpful", asked), spacing="Medium", isSubtle=True))
    vote: dict[str, Any] = {
        "action": CardAction.FAQ_VOTE.value,
        "entry_id": answer.entry.id,
        "answer_id": answer_id,
    }
    if q:
        vote["q"] = q
    down = {**vote, "helpful": False}
    if question:
        down["question"] = question[:MAX_QUESTION]
    actions = [
        submit_action(t("faq.vote_up", asked), {**vote, "helpful": True}),
        submit_action(t("faq.vote_down", asked), down),
    ]
    mark = draft_mark(answer.entry, asked)
    fallback = text if mark is None else f"{mark}\n\n{text}"
    return adaptive_card(body, actions, lang=asked, fallback_text=fallback)


def render_did_you_mean(
    choices: Sequence[FaqEntry], lang: Lang, offer: AskOffer | None = None
) -> dict[str, Any]:
    """The suggestions for an ambiguous question. With `offer`, each choice names the question (so that the
    choice resolves it and teaches the entry its wording) and "None of these" unfolds the form to ask an
    ambassador; without, "None of these" browses the topics."""
    body = [text_block(t("faq.did_you_mean", lang), weight="Bolder")]
    resolves = {"q": offer.q, "question": offer.question[:MAX_QUESTION]} if offer is not None else {}
    actions = [
        submit_action(
            entry.title(lang), {"action": CardAction.FAQ_SHOW.value, "entry_id": entry.id, **resolves}
        )
        for entry in choices[:3]
    ]
    if offer is None:
        actions.append(submit_action(t("faq.none_of_these", lang), {"action": CardAction.TOPICS.value}))
    body.append({"type": "ActionSet", "actions": actions})
    if offer is None:
        return adaptive_card(body, lang=lang)
    return adaptive_card(body, [ask_action(offer, lang, "ticket.none_of_these")], lang=lang)


def render_unknown(lang: Lang, offer: AskOffer | None = None) -> dict[str, Any]:
    """ "I don't know that yet", with the form to ask an ambassador when `offer` is given."""
    body = [
        text_block(t("faq.unknown_title", lang), size="Medium", weight="Bolder", style="heading"),
        text_block(t("faq.unknown_body", lang)),
        text_block(t("faq.unknown_tips", lang), isSubtle=True),
    ]
    actions = [
        submit_action(t("button.topics", lang), {"action": CardAction.TOPICS.value}),
        submit_action(t("button.help", lang), {"action": CardAction.HELP.value}),
    ]
    if offer is not None:
        actions.insert(0, ask_action(offer, lang))
    return adaptive_card(body, actions, lang=lang)


def render_topics(topics: Sequence[tuple[str, str, int]], lang: Lang) -> dict[str, Any]:
    """`topics` is (topic id, display name, number of entries)."""
    body: list[dict[str, Any]] = [text_block(t("faq.topics_title", lang), size="Medium", weight="Bolder")]
    body.append(
        {
            "type": "Container",
            "items": [
                {
                    "type": "ActionSet",
                    "actions": [
                        submit_action(
                            f"{name} ({count})",
                            {"action": CardAction.TOPIC_SHOW.value, "topic": topic_id},
                        )
                    ],
                }
                for topic_id, name, count in topics[:MAX_TOPICS]
            ],
        }
    )
    body += more_rows(MAX_TOPICS, len(topics), lang)
    return adaptive_card(body, lang=lang)


def render_topic_entries(topic_name: str, entries: Sequence[FaqEntry], lang: Lang) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        text_block(t("faq.topic_entries", lang, topic=topic_name), size="Medium", weight="Bolder")
    ]
    body.append(
        {
            "type": "Container",
            "items": [
                {
                    "type": "ActionSet",
                    "actions": [
                        submit_action(
                            entry.title(lang), {"action": CardAction.FAQ_SHOW.value, "entry_id": entry.id}
                        )
                    ],
                }
                for entry in entries[:MAX_TOPIC_ENTRIES]
            ],
        }
    )
    body += more_rows(MAX_TOPIC_ENTRIES, len(entries), lang)
    return adaptive_card(body, lang=lang)


@dataclass(frozen=True)
class EntryChoice:
    """A knowledge-base entry button (related question, "did you mean", a topic's entries). A "did you
    mean" choice also names the question it answers: its record `q` and its wording (else both empty)."""

    entry_id: str
    q: str = ""
    question: str = ""


@dataclass(frozen=True)
class VoteSubmit:
    """A thumbs button of an answer card. `answer_id` is empty when the card did not name itself; `q` names
    the question's record, and 👎 carries the question (for the offer to ask an ambassador)."""

    entry_id: str
    answer_id: str
    helpful: bool
    q: str = ""
    question: str = ""


@dataclass(frozen=True)
class TopicChoice:
    topic: str


def _question(value: Mapping[str, object]) -> tuple[str, str]:
    """The question a button names: its record and its wording, as the card put them (clipped there)."""
    q = read_id(value, "q", required=False)
    question = read_text(value, "question", max_length=MAX_QUESTION, refuse_over=MAX_QUESTION * 2)
    return q, question


@card_parser
def parse_entry_choice(value: Mapping[str, object]) -> EntryChoice:
    return EntryChoice(read_id(value, "entry_id"), *_question(value))


@card_parser
def parse_vote(value: Mapping[str, object]) -> VoteSubmit:
    """The card sends `helpful` as JSON true/false: anything else (even "true") is refused, not guessed."""
    q, question = _question(value)
    return VoteSubmit(
        entry_id=read_id(value, "entry_id"),
        answer_id=read_id(value, "answer_id", required=False),
        helpful=read_flag(value, "helpful"),
        q=q,
        question=question,
    )


@card_parser
def parse_topic_choice(value: Mapping[str, object]) -> TopicChoice:
    return TopicChoice(read_id(value, "topic"))
