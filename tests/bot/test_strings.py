from __future__ import annotations

import string

from bot.strings import all_messages, t
from nwow.language import LANGS


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_exists_in_all_four_languages_with_the_same_placeholders() -> None:
    problems = []
    for key, texts in all_messages().items():
        missing = [lang for lang in LANGS if not texts.get(lang)]
        if missing:
            problems.append(f"{key}: missing {missing}")
            continue
        expected = _placeholders(texts["nl"])
        for lang in LANGS:
            if _placeholders(texts[lang]) != expected:
                problems.append(f"{key}: placeholders differ in {lang}")
    assert problems == []


def test_lookup_falls_back_to_dutch_for_unknown_languages() -> None:
    assert t("button.help", "es") == t("button.help", "nl")
    assert t("button.help", "fr-BE") == "Aide"


def test_values_fill_placeholders() -> None:
    assert "7" in t("mydata.deleted", "en", count=7)
