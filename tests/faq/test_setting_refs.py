"""Answers quote the settings the bot runs with ({setting:NAME}): a name the bot does not know is an error at
its line, and every name is a setting the bot has."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from bot.settings import Settings
from nwow.faq.loader import load_knowledge_base
from nwow.faq.setting_refs import ANSWER_SETTINGS, fill_settings

ENTRY = """\
entries:
  - id: bot-data-stored
    topic: assistant
    owner: ISPO
    reviewed: 2026-12-01
    source: none
    status: draft
    nl:
      questions: [Wat bewaar je?]
      answer: |
        Alles wordt gewist na {setting:retention_days} dagen.
        Groepen van minstens {setting:min_groupsize} personen.
    fr: {questions: [Que gardes-tu ?], answer: "Effacé après {setting:retention_days} jours."}
"""


def test_an_unknown_setting_is_an_error_at_its_line_with_a_suggestion(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "a.yml").write_text(ENTRY, encoding="utf-8")

    result = load_knowledge_base(tmp_path)

    assert result.kb is None
    [error] = result.errors
    assert error.line == 12
    assert "'{setting:min_groupsize}' in the nl answer of 'bot-data-stored'" in error.message
    assert "did you mean 'min_group_size'?" in error.message


def test_every_setting_an_answer_may_quote_is_a_setting_of_the_bot() -> None:
    names = {field.name for field in fields(Settings)}

    assert set(ANSWER_SETTINGS) <= names
    assert all(isinstance(getattr(Settings(), name), int) for name in ANSWER_SETTINGS)
    assert Settings(retention_days=90).answer_values == {"retention_days": "90", "min_group_size": "5"}


def test_filling_leaves_text_without_settings_alone_and_replaces_each_quote() -> None:
    assert fill_settings("no settings", {"retention_days": "1"}) == "no settings"
    assert (
        fill_settings("{setting:retention_days}/{setting: retention_days }", {"retention_days": "30"})
        == "30/30"
    )


def test_the_shipped_privacy_answers_quote_the_settings_instead_of_numbers() -> None:
    kb = load_knowledge_base(Path(__file__).parents[2] / "faq").kb
    assert kb is not None

    for entry_id in ("bot-data-stored", "bot-my-data"):
        for lang, content in kb.entries[entry_id].content.items():
            assert "{setting:retention_days}" in content.answer, (entry_id, lang)
            assert "{setting:min_group_size}" in content.answer, (entry_id, lang)
            assert " 5 " not in content.answer and "730" not in content.answer
