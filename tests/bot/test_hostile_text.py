"""User text in cards: every card that shows it is rendered with hostile text and read back the way Teams'
renderer reads it (CommonMark with linkify, strikethrough and tables: markdown-it, as the card gallery
renders cards). What the user wrote must not add a single element (link, emphasis, heading, list, code,
image, quote, table) to any Markdown field, must read as typed, and the card must stay valid and under
Teams' size limit, whatever the length."""

from __future__ import annotations

import html
import re
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from markdown_it import MarkdownIt

from bot.cards import ambassadors as ambassador_cards
from bot.cards import faq as faq_cards
from bot.cards import feedback as feedback_cards
from bot.cards import offices as office_cards
from bot.cards import privacy as privacy_cards
from bot.cards import staff as staff_cards
from bot.cards import tickets as ticket_cards
from bot.cards.ambassadors import TicketContext
from bot.cards.escape import ELLIPSIS, user_text
from bot.cards.message import MAX_MESSAGE_BYTES, CardTooLarge, card_message, fit_card, message_size
from bot.cards.tickets import AskOffer
from nwow.feedback.models import UserData
from nwow.feedback.survey import SurveyAnswers
from nwow.offices.model import PlaceResolution
from nwow.tickets import Ambassador, Origin, Ticket, TicketAnswer, TicketStatus
from tests.bot.samples import summary_numbers
from tests.cardcheck import assert_valid_card, card_objects

MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(
    ["linkify", "strikethrough", "table"]
)
CARD_ID = "0123456789abcdef0123456789abcdef"
BENIGN = "Gent"
LINK = "[click me](https://evil.example/phish)"
HOSTILE = {
    "link": f"{LINK} **now** _please_ `rm -rf` ~~x~~ ![img](https://evil.example/x.png)",
    "html": "<b>bold</b> <a href='https://evil.example'>x</a> &amp; &#x41; &lt;",
    "autolinks": "https://evil.example/x www.evil.example evil.example mail@evil.example //evil.example/x",
    "autolink-in-brackets": "<https://evil.example> <mail@evil.example>",
    "heading": "# Heading",
    "setext": "Title\n===",
    "list": "- item",
    "plus-list": "+ item",
    "star-list": "* item",
    "numbered": "1. first",
    "numbered-paren": "1) first",
    "quote": "> quoted",
    "code-indent": "    indented code",
    "fence": "```\ncode\n```",
    "rule": "---",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "lines": "line one\n# heading two\n- list\n\n> quote\n1. one",
    "escapes": "\\*already escaped\\* \\\\ \\[x\\](y)",
    "bidi": "\u202eevil\u202c text",
    "long-plain": "x" * 28_000,
    "long-markdown": "*_[](#" * 6_000,
    "long-accents": "é" * 28_000,
    "long-emoji": "😀" * 28_000,
    "long-links": "https://evil.example/ " * 1_500,
}


T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def _ticket(text: str, **changes: Any) -> Ticket:
    """A ticket whose every user-written field is `text` (the question, what was added, the name, the note)."""
    base = Ticket(
        number=7, submission_id="s", user_key="u", question=text, context=text, lang="nl",
        origin=Origin.UNANSWERED, topic="", entry_id="", unit="", requester_name=text, question_ref="q",
        channel="19:c@thread.tacv2", candidates=(), created_at=T0, status=TicketStatus.ANSWERED, version=1,
        answer=TicketAnswer(text="Zie **WiKiPol**."), answered_by=Ambassador("a", "Ann"), answered_at=T0,
        reopen_note=text,
    )  # fmt: skip
    return replace(base, **changes)


def _numbers_with(text: str) -> Any:
    return summary_numbers(tools=(("teams", "Teams", 30, 4.1), ("legacy-tool", text, 9, 3.0)))


# Every card that shows text a user wrote (or a stored value a user could have chosen), rendered with it.
CARDS: dict[str, Callable[[str], dict[str, Any]]] = {
    "unanswered": lambda text: staff_cards.render_unanswered(
        [staff_cards.UnansweredRow(text, 3, "nl")] * 12, "en", period="week 2026-W44"
    ),
    "digest": lambda text: staff_cards.render_digest(
        _numbers_with(text), [staff_cards.UnansweredRow(text, 3, "nl")] * 12, "week 2026-W44", "nl"
    ),
    "summary": lambda text: staff_cards.render_summary(_numbers_with(text), "fr"),
    "place_choice": lambda text: office_cards.render_place_choice(PlaceResolution("unknown", text), "de"),
    "place_choice_suggestions": lambda text: office_cards.render_place_choice(
        PlaceResolution("ambiguous", text, suggestions=("Deurne (Antwerpen)", "Deurne (Diest)")), "fr"
    ),
    "remember_offer": lambda text: office_cards.render_remember_offer(text, "nl"),
    "my_data": lambda text: privacy_cards.render_my_data(
        UserData("k", surveys=1, votes=2, remembered={"home_area": text}), "en", retention_days=730
    ),
    "ask_form": lambda text: faq_cards.render_unknown(
        "nl", AskOffer(Origin.UNANSWERED, text, q="r", units=())
    ),
    "thumbs_down_form": lambda text: ticket_cards.render_ask_form(AskOffer(Origin.THUMBS_DOWN, text), "fr"),
    "ticket_answer": lambda text: ticket_cards.render_ticket_answer(_ticket(text), "de"),
    "my_questions": lambda text: ticket_cards.render_my_questions([_ticket(text)] * 12, 12, "en"),
    "ambassador_card": lambda text: ambassador_cards.render_ticket_card(
        _ticket(text, reopened=1, answer=None, status=TicketStatus.OPEN), TicketContext(unit_label=text), "nl"
    ),
    "ambassador_reminder": lambda text: ambassador_cards.render_reminder(
        _ticket(text), TicketContext(), "fr", hours=4
    ),
    "unanswered_waiting": lambda text: staff_cards.render_unanswered(
        [staff_cards.UnansweredRow(text, 3, "nl")],
        "en",
        period="week 2026-W44",
        waiting=[staff_cards.WaitingGroup(text, [(7, T0, "waiting", text)] * 12)],
    ),
    "survey": lambda text: feedback_cards.render_survey(
        "nl",
        [("fed-dri", "DRI")],
        card_id=CARD_ID,
        min_group=5,
        answers=SurveyAnswers(tool="teams", works=text, obstacles=text),
        problems=["rating"],
    ),
}


def _markdown_fields(card: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, text) of every field Teams renders as Markdown: TextBlock text, Fact title and value."""
    fields = []
    for path, node in card_objects(card):
        if node.get("type") == "TextBlock":
            fields.append((f"{path}/text", node["text"]))
        if set(node) == {"title", "value"} and "/facts/" in path:
            fields += [(f"{path}/title", node["title"]), (f"{path}/value", node["value"])]
    return fields


def _elements(markdown: str) -> Counter[str]:
    """The HTML elements a Markdown renderer makes of `markdown` (paragraphs and all)."""
    return Counter(re.findall(r"<([a-z][a-z0-9]*)", MARKDOWN.render(markdown)))


def _visible(markdown: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", MARKDOWN.render(markdown))).strip()


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("render", CARDS.values(), ids=CARDS.keys())
def test_user_text_adds_no_markdown_and_the_card_stays_valid_and_small(
    render: Callable[[str], dict[str, Any]], hostile: str
) -> None:
    card = render(hostile)
    benign = render(BENIGN)
    assert_valid_card(card)  # schema, Teams rules and the 28 KB message limit
    with warnings.catch_warnings():
        warnings.simplefilter("error", CardTooLarge)
        card_message(card)  # not shortened: the renderer bounded it
    fields, expected = _markdown_fields(card), _markdown_fields(benign)
    assert [path for path, _ in fields] == [path for path, _ in expected]
    for (path, text), (_, template) in zip(fields, expected, strict=True):
        assert _elements(text) == _elements(template), (path, text[:200])


@pytest.mark.parametrize("render", CARDS.values(), ids=CARDS.keys())
def test_user_text_reads_as_typed_with_links_defanged(render: Callable[[str], dict[str, Any]]) -> None:
    typed = "[x](https://ev.il/p) **b** # 1. <b>x</b> & a_b | ~y~"  # short enough for every field
    shown = "[x](https[:]//ev[.]il/p) **b** # 1. <b>x</b> & a_b | ~y~"
    card = render(typed)
    visible = "\n".join(_visible(text) for _, text in _markdown_fields(card))
    inputs = [node.get("value") for _, node in card_objects(card) if node.get("type") == "Input.Text"]
    assert shown in visible or inputs == [typed, typed]  # survey answers go back into inputs, as typed


def test_ten_long_questions_make_a_card_under_the_limit_not_half_a_megabyte() -> None:
    questions = [
        staff_cards.UnansweredRow(f"vraag {n} " + "waarom " * 4_000, 10 - n, "nl") for n in range(10)
    ]
    card = staff_cards.render_unanswered(questions, "nl", period="week 2026-W44")
    assert message_size(card) < MAX_MESSAGE_BYTES // 2
    values = [
        n["text"]
        for _, n in card_objects(card)
        if n.get("type") == "TextBlock" and n["text"].startswith("vraag")
    ]
    assert len(values) == 10 and all(v.endswith(ELLIPSIS) for v in values)


def test_only_so_many_rows_are_shown() -> None:
    many = [staff_cards.UnansweredRow(f"question {n}", 1, "en") for n in range(50)]
    card = staff_cards.render_unanswered(many, "en", period="week 2026-W44")
    shown = [
        n for _, n in card_objects(card) if n.get("type") == "TextBlock" and n["text"].startswith("question ")
    ]
    assert len(shown) == staff_cards.MAX_UNANSWERED_ROWS


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("plain question", "plain question"),
        ("  many\n\n spaces\tand\r\nlines ", "many spaces and lines"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("2) not a list", "2\\) not a list"),
        ("- not a list", "\\- not a list"),
        ("e.g. 1.5 o.a. v2.0", "e.g. 1.5 o.a. v2.0"),
        ("see https://x.be/a_b", "see https\\[:\\]//x\\[.\\]be/a\\_b"),
        ("mail jan@politie.be", "mail jan@politie\\[.\\]be"),
        ("<script>&amp;", "\\<script\\>\\&amp;"),
        ("a\u202eb\x00c\x07d", "abcd"),
    ],
)
def test_user_text(typed: str, shown: str) -> None:
    assert user_text(typed, 300) == shown


def test_user_text_is_clipped_with_an_ellipsis_and_bounded_whatever_the_input() -> None:
    assert user_text("abcdef", 4) == "abc" + ELLIPSIS
    assert user_text("abcd", 4) == "abcd"
    assert user_text("a" + " " * 100_000 + "b", 10) == "a" + ELLIPSIS  # nothing after the bound is read
    assert len(user_text("*" * 1_000_000, 300)) == 2 * 299 + 1
    with pytest.raises(ValueError, match="limit"):
        user_text("x", 0)


def test_an_oversized_card_warns_and_is_shortened_to_what_fits() -> None:
    card = staff_cards.render_unanswered(
        [staff_cards.UnansweredRow("q", 1, "en")], "en", period="week 2026-W44"
    )
    card["body"] += [{"type": "TextBlock", "text": "y" * 1_000, "wrap": True} for _ in range(60)]
    card["fallbackText"] = "z" * 50_000
    with pytest.warns(CardTooLarge, match="shortened"):
        shortened = fit_card(card)
    assert_valid_card(shortened)
    assert shortened["body"][0] == card["body"][0]
    assert "shortened" in shortened["body"][-1]["text"] and "fallbackText" not in shortened
    assert len(shortened["body"]) > 20  # as much as fits is kept, not just the heading
    with pytest.warns(CardTooLarge):
        [attachment] = card_message(card).attachments
    assert attachment.content == shortened


def test_a_card_whose_first_element_alone_is_too_large_keeps_only_the_note() -> None:
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "lang": "fr",
        "body": [{"type": "TextBlock", "text": "y" * 40_000}],
    }
    card["actions"] = [{"type": "Action.Submit", "title": "x" * 30_000, "data": {"action": "help"}}]
    with pytest.warns(CardTooLarge):
        shortened = fit_card(card)
    assert message_size(shortened) <= MAX_MESSAGE_BYTES
    assert [b["text"] for b in shortened["body"]] == ["… (raccourci : ce message était trop long pour Teams)"]
    assert "actions" not in shortened


def test_a_card_under_the_limit_is_sent_as_it_is() -> None:
    card = staff_cards.render_unanswered(
        [staff_cards.UnansweredRow("q", 1, "en")], "en", period="week 2026-W44"
    )
    assert fit_card(card) is card
