"""What the endpoint makes of an activity's strings before anything reads them (bot/transport/intake.py)."""

from __future__ import annotations

import pytest

from bot.transport.intake import (
    MAX_DEPTH,
    MAX_TEXT_CHARS,
    MAX_TEXT_WORDS,
    MAX_WORD_CHARS,
    IntakeRefused,
    bound_text,
    clean_activity,
    clean_string,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("vraag\x00 over MFA", "vraag over MFA"),
        ("a\x01b\x1fc\x7fd\x85e\x9f", "abcde"),
        ("regel 1\r\nregel 2\tmet tab", "regel 1\r\nregel 2\tmet tab"),
        ("half \ud83d paar", "half \ufffd paar"),
        ("\udfff", "\ufffd"),
        ("\U0001f600 emoji blijft", "\U0001f600 emoji blijft"),
        ("gewone tekst", "gewone tekst"),
    ],
)
def test_control_characters_go_and_lone_surrogates_become_replacement_characters(
    raw: str, clean: str
) -> None:
    assert clean_string(raw) == clean


def test_a_long_text_is_cut_at_a_word_boundary_within_the_character_bound() -> None:
    text = "woord " * 1000

    bounded = bound_text(text)

    assert len(bounded) <= MAX_TEXT_CHARS
    assert set(bounded.split()) == {"woord"}
    assert len(bounded.split()) == MAX_TEXT_WORDS


def test_many_short_words_are_cut_to_the_word_bound() -> None:
    bounded = bound_text(" ".join(["a"] * 400))

    assert bounded.split() == ["a"] * MAX_TEXT_WORDS


def test_a_giant_word_is_cut_to_the_longest_word_analysed() -> None:
    assert bound_text("x" * 28_000) == "x" * MAX_WORD_CHARS
    assert bound_text("kort " + "y" * 100 + " einde") == "kort " + "y" * MAX_WORD_CHARS + " einde"


def test_a_question_of_normal_length_is_unchanged_but_normalised_to_nfc() -> None:
    assert bound_text("Hoe werkt MFA op mijn laptop?") == "Hoe werkt MFA op mijn laptop?"
    assert bound_text("te\u0301le\u0301travail") == "t\u00e9l\u00e9travail"


def test_every_string_of_the_activity_is_cleaned_keys_included() -> None:
    data = {
        "type": "message",
        "text": "vraag\x00",
        "from": {"id": "29:user\x00", "name": "Jan\ud800"},
        "entities": [{"type": "mention", "text": "<at>Bot\x07</at>"}],
        "value": {"comment\x00": ["een\x00", {"diep": "\ud800"}], "rating": 4, "ok": True, "none": None},
    }

    cleaned = clean_activity(data)

    assert cleaned == {
        "type": "message",
        "text": "vraag",
        "from": {"id": "29:user", "name": "Jan\ufffd"},
        "entities": [{"type": "mention", "text": "<at>Bot</at>"}],
        "value": {"comment": ["een", {"diep": "\ufffd"}], "rating": 4, "ok": True, "none": None},
    }


def test_strings_a_card_submits_are_cleaned_but_not_cut() -> None:
    # The card parsers refuse a value longer than anyone could type; a cut here would hide it.
    cleaned = clean_activity({"type": "message", "value": {"comment": "z\x00" * 10_000}})

    assert cleaned["value"] == {"comment": "z" * 10_000}


def test_nesting_deeper_than_any_activity_is_refused() -> None:
    shallow: object = "leaf"
    for _ in range(MAX_DEPTH - 1):
        shallow = [shallow]
    assert clean_activity({"value": shallow})["value"] == shallow

    deep: object = "leaf"
    for _ in range(MAX_DEPTH + 1):
        deep = {"x": deep}
    with pytest.raises(IntakeRefused):
        clean_activity({"value": deep})
