"""What the card guards cost: escaping user text, and the size check every card passes on its way out.

    .venv/bin/python -m bench.cards_bench [--repeat 2000]

Prints microseconds per call (median of 5 rounds of `--repeat` calls) for:
- `user_text` on a typical question, on 28 KB of plain text and on 28 KB of Markdown punctuation (the
  worst case: every character escaped); the cost is bounded by the field's limit, not the input's length;
- rendering the ambassadors' card with ten 28 KB questions (escape, clip, row limit);
- `message_size` (the guard's measurement, a compact JSON dump) of a typical answer card and of the largest
  card the bot builds from user text; `card_message` with and without the guard (`card_attachment` alone);
- `fit_card` shortening a 60 KB card (only when a renderer fails to bound a card).
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from datetime import date
from typing import Any

from bot.cards import faq as faq_cards
from bot.cards import staff as staff_cards
from bot.cards.escape import user_text
from bot.cards.message import CardTooLarge, card_attachment, card_message, fit_card, message_size
from nwow.faq.model import Answer, FaqEntry, LocalizedContent

QUESTION = "Hoe reserveer ik een bureau in het satellietkantoor van Gent?"
LONG_PLAIN = "waarom " * 4_000
LONG_MARKDOWN = "*_[](#" * 4_700


def _answer_card() -> dict[str, Any]:
    entry = FaqEntry(
        id="mfa-what",
        topic="security",
        owner="NWOW ambassadors DRI",
        reviewed=date(2026, 10, 1),
        related=(),
        links=(),
        content={"nl": LocalizedContent(("Wat is MFA?",), "MFA vraagt een **tweede bewijs**. " * 20)},
    )
    return faq_cards.render_answer(Answer(entry, "nl", "nl", 0.9), "activity-1")


def _unanswered_card() -> dict[str, Any]:
    return staff_cards.render_unanswered(
        [(LONG_MARKDOWN, 10 - n, "nl") for n in range(10)], "nl", period="week 2026-W44"
    )


def _per_call_us(call: Callable[[], object], repeat: int) -> float:
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            call()
        rounds.append((time.perf_counter() - start) / repeat * 1e6)
    return statistics.median(rounds)


def _oversized() -> dict[str, Any]:
    card = _answer_card()
    card["body"] = card["body"] + [
        {"type": "TextBlock", "text": "y" * 1_000, "wrap": True} for _ in range(60)
    ]
    return card


def _shorten(card: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CardTooLarge)
        fit_card(card)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=2000)
    repeat = parser.parse_args().repeat
    answer, unanswered, oversized = _answer_card(), _unanswered_card(), _oversized()
    rows = [
        ("user_text, a 60-character question", lambda: user_text(QUESTION, 300)),
        ("user_text, 28 KB of words", lambda: user_text(LONG_PLAIN, 300)),
        ("user_text, 28 KB of Markdown punctuation", lambda: user_text(LONG_MARKDOWN, 300)),
        ("render_unanswered, ten 28 KB questions", _unanswered_card),
        (f"message_size, answer card ({message_size(answer)} B)", lambda: message_size(answer)),
        (f"message_size, ten-question card ({message_size(unanswered)} B)", lambda: message_size(unanswered)),
        ("card_attachment (no guard), answer card", lambda: card_attachment(answer)),
        ("card_message (guarded), answer card", lambda: card_message(answer)),
        (f"fit_card shortening a {message_size(oversized) // 1024} KB card", lambda: _shorten(oversized)),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'what':<{width}}  µs per call (median of 5 × {repeat})")
    for name, call in rows:
        print(f"{name:<{width}}  {_per_call_us(call, repeat):10.1f}")


if __name__ == "__main__":
    main()
