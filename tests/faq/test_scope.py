"""Out of scope or not yet answered: decided with the knowledge base's own words (nwow/faq/scope.py)."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from nwow.faq.eval import load_test_cases
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import load_knowledge_base
from nwow.faq.model import FaqEntry, LocalizedContent
from nwow.faq.scope import MAX_WORDS, Scope
from nwow.paths import default_faq_dir


@cache
def shipped() -> KnowledgeBase:
    result = load_knowledge_base(default_faq_dir())
    assert result.kb is not None
    return result.kb


def _entry(topic: str, *questions: str, answer: str = "Zie WiKiPol.") -> FaqEntry:
    return FaqEntry(
        id=f"{topic}-x",
        topic=topic,
        owner="x",
        reviewed=date(2026, 1, 1),
        related=(),
        links=(),
        content={"nl": LocalizedContent(questions, answer)},
    )


SMALL = Scope(
    [
        _entry("telework", "Hoe vraag ik telewerk aan?", answer="Vraag het morgen weer aan je chef."),
        _entry("teams", "Hoe installeer ik Teams op mijn gsm?"),
    ],
    {"telework": {"nl": "Telewerk", "fr": "Télétravail"}},
    [["WFH", "work from home", "thuiswerk"]],
)


@pytest.mark.parametrize(
    "question",
    [
        "wat is het weer morgen",
        "Wat wordt het weer morgen in Brussel?",
        "quel temps fera-t-il demain",
        "wie wird das Wetter morgen",
        "what's the weather tomorrow",
    ],
)
def test_the_weather_is_out_of_scope_in_every_language(question: str) -> None:
    assert not shipped().covers(question)


def test_words_only_in_answers_do_not_make_a_question_in_scope() -> None:
    assert not SMALL.covers("wat is het weer morgen")  # "morgen" and "weer" are only in an answer


@pytest.mark.parametrize(
    "question",
    [
        "telewerk",  # a word of a question
        "télétravail?",  # a topic name, another language
        "is WFH ok",  # a synonym term only
        "telewerkaanvraag",  # a compound of a known word
        "teams op mijn smartfoon",  # one known word is enough
        "Temas installeren",  # a typo of a known word
        "hallo?",  # no content word at all: not for this check to refuse
        "",
    ],
)
def test_a_question_with_one_known_word_is_in_scope(question: str) -> None:
    assert SMALL.covers(question)


def test_no_in_scope_question_of_the_shipped_tests_is_called_out_of_scope() -> None:
    cases = load_test_cases(default_faq_dir() / "tests.yml")
    wrongly = [c.question for c in cases if c.expect is not None and not shipped().covers(c.question)]
    assert wrongly == []


def test_a_long_question_costs_a_bounded_number_of_word_checks() -> None:
    question = " ".join(f"woord{n}xyz" for n in range(5000))
    assert len(SMALL.content_words(question)) == MAX_WORDS
    assert not SMALL.covers(question)
