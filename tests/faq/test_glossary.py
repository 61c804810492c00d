"""One term per concept and language: faq/glossary.yml, and the warnings of `nwow faq check` (file and line)
where an answer, an office or a unit writes a form to avoid; the bot's own strings and app manifests follow
the same glossary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.strings import all_messages
from nwow.faq.checks import run_check
from nwow.faq.glossary import QUOTES, Glossary, normalize, read_glossary
from nwow.language import LANGS
from nwow.paths import default_faq_dir

FAQ = default_faq_dir()
MANIFESTS = FAQ.parent / "app_manifest"

GLOSSARY = """\
concepts:
  - id: police-identity-card
    about: the identity card of a member of the police
    nl: {use: legitimatiekaart, avoid: [dienstkaart]}
    de: {use: Legitimationskarte, avoid: [Dienstausweis]}
  - id: dri
    about: the IT directorate
    en: {use: Directorate of Police Information and ICT Resources, avoid: [Directorate of Police Information and ICT]}
"""

ENTRIES = """\
entries:
  - id: satellite-use
    topic: satellite
    owner: NWOW ambassadors
    reviewed: 2026-12-01
    source: none
    status: draft
    nl:
      questions: [Moet ik mijn dienstkaart meenemen?]
      answer: |
        Neem je laptop mee.
        Toon je **Dienstkaart** aan het onthaal.
    de:
      questions: [Dienstausweis mitnehmen?]
      answer: Zeigen Sie Ihren Dienstausweis und sagen Sie "Hallo".
    en:
      questions: [Who owns the bot?]
      answer: DRI, the Directorate of Police Information and ICT Resources, owns it.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "a.yml").write_text(ENTRIES, encoding="utf-8")
    (tmp_path / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    return tmp_path


def glossary_warnings(folder: Path) -> list[tuple[str, int, str]]:
    report = run_check(folder)
    return [
        (p.file.name, p.line, p.message)
        for p in report.problems
        if "the glossary's term" in p.message or "straight quotes" in p.message
    ]


def test_an_avoided_form_in_an_answer_is_a_warning_at_its_line(folder: Path) -> None:
    warnings = glossary_warnings(folder)

    # The questions say "dienstkaart" as colleagues type it: not reported. The English answer writes the
    # preferred term, which contains an avoided one: not reported.
    assert sorted(warnings) == [
        (
            "a.yml",
            12,
            "the nl answer of 'satellite-use' writes 'dienstkaart': the glossary's term is 'legitimatiekaart' "
            "(police-identity-card, faq/glossary.yml line 4)",
        ),
        (
            "a.yml",
            15,
            "the de answer of 'satellite-use' uses straight quotes (\"): write „…“",
        ),
        (
            "a.yml",
            15,
            "the de answer of 'satellite-use' writes 'Dienstausweis': the glossary's term is 'Legitimationskarte' "
            "(police-identity-card, faq/glossary.yml line 5)",
        ),
    ]


def test_offices_and_units_are_checked_too(folder: Path) -> None:
    (folder / "offices.yml").write_text(
        "offices:\n  - id: gent\n    access:\n      nl: Toon je dienstkaart.\n      de: Zeigen Sie den Dienstausweis.\n",
        encoding="utf-8",
    )
    (folder / "units.yml").write_text(
        "units:\n  - id: fed-dri\n    name:\n      en: Directorate of Police Information and ICT (DRI)\n",
        encoding="utf-8",
    )

    warnings = {(file, line, message.split(":")[0]) for file, line, message in glossary_warnings(folder)}

    assert {
        ("offices.yml", 4, "the nl access of office 'gent' writes 'dienstkaart'"),
        ("offices.yml", 5, "the de access of office 'gent' writes 'Dienstausweis'"),
        ("units.yml", 4, "the en name of unit 'fed-dri' writes 'Directorate of Police Information and ICT'"),
    } <= warnings


def test_a_glossary_that_breaks_its_schema_is_reported_at_its_line(folder: Path) -> None:
    (folder / "glossary.yml").write_text(
        "concepts:\n  - id: card\n    about: a card\n    nl: {avoid: [dienstkaart]}\n", encoding="utf-8"
    )

    problems = [
        p for p in run_check(folder).problems if p.file.name == "glossary.yml" and p.severity == "error"
    ]

    assert [(p.line, p.severity) for p in problems] == [(4, "error")]
    assert "`use` is missing" in problems[0].message


def test_matching_ignores_case_emphasis_and_quotes_but_takes_whole_words() -> None:
    glossary, _ = read_glossary(FAQ / "glossary.yml")
    (card,) = [t for t in glossary.of("nl") if t.concept == "police-identity-card"]

    assert list(card.avoided_in(normalize("Toon je **DIENSTKAART**"))) == ["dienstkaart"]
    assert list(card.avoided_in(normalize("de dienstkaarthouder"))) == []


def _shipped() -> Glossary:
    glossary, problems = read_glossary(FAQ / "glossary.yml")
    assert problems == []
    return glossary


def test_the_shipped_knowledge_base_follows_its_glossary(tmp_path: Path) -> None:
    shutil.copytree(FAQ, tmp_path / "faq")

    assert glossary_warnings(tmp_path / "faq") == []


def test_the_bots_strings_follow_the_glossary() -> None:
    glossary = _shipped()
    found = []
    for key, texts in all_messages().items():
        for lang in LANGS:
            text = texts.get(lang, "")
            found += [
                f"{key} ({lang}): {form}" for t in glossary.of(lang) for form in t.avoided_in(normalize(text))
            ]
            if lang in QUOTES and '"' in text:
                found.append(f"{key} ({lang}): straight quotes")
    assert found == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_app_manifest_follows_the_glossary(lang: str) -> None:
    glossary = _shipped()
    texts = json.loads((MANIFESTS / f"{lang}.json").read_text(encoding="utf-8"))
    found = [
        f"{key}: {form}"
        for key, text in texts.items()
        if not key.startswith("$")
        for t in glossary.of(lang)
        for form in t.avoided_in(normalize(text))
    ]
    assert found == []


def test_the_readme_table_shows_every_preferred_term() -> None:
    readme = (FAQ / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Glossary") : readme.index("```yaml", readme.index("## Glossary"))]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]

    by_term = {cell.strip() for row in rows for cell in row.strip("|").split("|")[1:]}

    assert {term.use for term in _shipped().terms} <= by_term
