from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nwow.faq.loader import load_knowledge_base
from nwow.problems import Problem
from tests.faq.conftest import GOOD, TODAY

ENTRY = """\
entries:
  - id: first-entry
    topic: teams
    owner: DRI
    reviewed: 2026-09-01
    nl:
      questions: [Eerste vraag over Teams]
      answer: Eerste antwoord.
    fr:
      questions: [Première question sur Teams]
      answer: Première réponse.
    source: none
    status: draft
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def problems_of(folder: Path, today: date = TODAY) -> list[Problem]:
    return load_knowledge_base(folder, today=today).problems


def errors_of(folder: Path) -> list[Problem]:
    return [p for p in problems_of(folder) if p.severity == "error"]


def only_error(folder: Path) -> Problem:
    errors = errors_of(folder)
    assert len(errors) == 1, [str(p) for p in errors]
    return errors[0]


def test_good_fixture_loads_with_entries_links_topics() -> None:
    result = load_knowledge_base(GOOD, today=TODAY)

    assert result.kb is not None
    assert result.errors == []
    kb = result.kb
    assert kb.version.entry_count == 6
    assert len(kb.version.content_hash) == 16
    entry = kb.entry("telework-request")
    assert entry is not None
    assert entry.languages == ("nl", "fr", "de", "en")
    assert entry.reviewed == date(2026, 9, 15)
    assert entry.related == ("telework-equipment",)
    assert entry.links[0].url == "https://intranet.example/telework"
    assert entry.links[0].title("de") == "Thuiswerk op het intranet"  # falls back to nl
    assert "https://intranet.example/telework" in entry.content["nl"].answer
    assert "{link:" not in entry.content["nl"].answer
    assert kb.entry("nope") is None


def test_loader_ignores_files_of_other_features(faq_copy: Path) -> None:
    write(faq_copy, {"offices.yml": "offices: [: not even valid", "units.yml": "x", "README.md": "# hi"})

    result = load_knowledge_base(faq_copy, today=TODAY)

    assert result.kb is not None
    assert all(p.file.name not in ("offices.yml", "units.yml") for p in result.problems)


def test_warnings_for_missing_languages_and_old_or_future_reviews(tmp_path: Path) -> None:
    text = ENTRY.replace("reviewed: 2026-09-01", "reviewed: 2024-01-31")
    text += """\
  - id: second-entry
    topic: teams
    owner: DRI
    reviewed: 2027-01-01
    source: none
    status: draft
    fr:
      questions: [Deuxième question]
      answer: Deuxième réponse.
"""
    write(tmp_path, {"entries/a.yml": text})

    result = load_knowledge_base(tmp_path, today=TODAY)

    assert result.kb is not None, "warnings do not block loading"
    messages = [(p.line, p.message) for p in result.warnings]
    assert any(line == 5 and "more than a year ago" in m for line, m in messages)
    assert any(line == 17 and "in the future" in m for line, m in messages)
    assert any(line == 2 and "no de, en version" in m for line, m in messages)
    assert any(
        line == 14 and "no nl, de, en version" in m and "nl and fr are expected" in m for line, m in messages
    )


def test_yaml_syntax_error_names_the_yaml_line(tmp_path: Path) -> None:
    broken = ENTRY.replace("    owner: DRI\n", "    owner: DRI\n   bad: [unclosed\n")
    write(tmp_path, {"entries/a.yml": broken})

    error = only_error(tmp_path)

    assert error.file == tmp_path / "entries" / "a.yml"
    assert error.line in (5, 6)
    assert "YAML syntax error" in error.message


def test_unknown_field_suggests_the_nearest_known_one(tmp_path: Path) -> None:
    write(tmp_path, {"entries/a.yml": ENTRY.replace("    owner: DRI", "    ownr: DRI")})

    errors = errors_of(tmp_path)

    assert any(e.line == 4 and "unknown field `ownr`" in e.message and "`owner`" in e.message for e in errors)
    assert any(
        e.line == 2 and e.message.startswith("`owner` is missing in entry 'first-entry': add who keeps")
        for e in errors
    )


def test_unknown_field_in_language_block(tmp_path: Path) -> None:
    write(
        tmp_path, {"entries/a.yml": ENTRY.replace("      answer: Eerste antwoord.", "      anwser: Eerste.")}
    )

    errors = errors_of(tmp_path)

    assert any(
        e.line == 8 and "`anwser`" in e.message and "did you mean `answer`" in e.message for e in errors
    )
    assert any(
        e.line == 6 and "`answer` is missing in `nl` of entry 'first-entry'" in e.message for e in errors
    )


def test_answer_without_questions(tmp_path: Path) -> None:
    write(tmp_path, {"entries/a.yml": ENTRY.replace("      questions: [Première question sur Teams]\n", "")})

    error = only_error(tmp_path)

    assert error.line == 9
    assert "`questions` is missing in `fr` of entry 'first-entry'" in error.message


def test_wrong_types_and_bad_id(tmp_path: Path) -> None:
    text = (
        ENTRY.replace("id: first-entry", "id: First_Entry")
        .replace("reviewed: 2026-09-01", "reviewed: 15/09/2026")
        .replace("questions: [Eerste vraag over Teams]", "questions: Eerste vraag over Teams")
    )
    write(tmp_path, {"entries/a.yml": text})

    errors = {e.line: e.message for e in errors_of(tmp_path)}

    assert "must be lower-case letters" in errors[2]
    assert "YYYY-MM-DD" in errors[5]
    assert "must be a list" in errors[7]


def test_missing_required_fields_and_languages(tmp_path: Path) -> None:
    write(tmp_path, {"entries/a.yml": "entries:\n  - id: lonely\n    owner: DRI\n"})

    errors = errors_of(tmp_path)

    assert any(e.line == 2 and "`topic` is missing" in e.message for e in errors)
    assert any(e.line == 2 and "`reviewed` is missing" in e.message for e in errors)
    assert any(e.line == 2 and "nl or fr" in e.message for e in errors)


def test_file_topic_is_the_default_topic(tmp_path: Path) -> None:
    write(tmp_path, {"entries/a.yml": "topic: office\n" + ENTRY.replace("    topic: teams\n", "")})

    result = load_knowledge_base(tmp_path, today=TODAY)

    assert result.kb is not None
    entry = result.kb.entry("first-entry")
    assert entry is not None
    assert entry.topic == "office"


def test_duplicate_id_across_files_names_both_places(tmp_path: Path) -> None:
    other = ENTRY.replace("Eerste vraag", "Andere vraag").replace("Première question", "Autre question")
    write(tmp_path, {"entries/a.yml": ENTRY, "entries/b.yml": other})

    error = only_error(tmp_path)

    assert error.file == tmp_path / "entries" / "b.yml"
    assert error.line == 2
    assert f"{tmp_path / 'entries' / 'a.yml'}:2" in error.message


def test_question_claimed_by_two_entries(tmp_path: Path) -> None:
    other = (
        ENTRY.replace("first-entry", "second-entry")
        .replace("[Eerste vraag over Teams]", "['eerste VRAAG over teams!']")
        .replace("Première question", "Autre question")
    )
    write(tmp_path, {"entries/a.yml": ENTRY, "entries/b.yml": other})

    error = only_error(tmp_path)

    assert error.file.name == "b.yml"
    assert error.line == 7
    assert "also a question of entry 'first-entry'" in error.message
    assert "a.yml:7" in error.message


def test_unknown_related_link_and_link_reference(tmp_path: Path) -> None:
    text = ENTRY.replace(
        "    reviewed: 2026-09-01\n",
        "    reviewed: 2026-09-01\n    related: [frist-entry, first-entry]\n    links: [teams-gide]\n",
    ).replace(
        "      answer: Eerste antwoord.", "      answer: |\n        Lees dit.\n        Zie {link:nope}."
    )
    links = (
        "links:\n  teams-guide:\n    url: https://intranet.example/teams\n    title: {nl: Gids, fr: Guide}\n"
    )
    write(tmp_path, {"entries/a.yml": text, "links.yml": links})

    errors = [(e.line, e.message) for e in errors_of(tmp_path)]

    assert (6, "related entry 'frist-entry' does not exist; did you mean 'first-entry'?") in errors
    assert any(line == 6 and "lists itself" in m for line, m in errors)
    assert any(line == 7 and "did you mean 'teams-guide'" in m for line, m in errors)
    assert any(line == 12 and "{link:nope}" in m for line, m in errors)


def test_links_file_problems(tmp_path: Path) -> None:
    links = """\
links:
  good:
    url: https://intranet.example/a
    title: {nl: A, fr: A}
  no-french:
    url: https://intranet.example/b
    title: {nl: B}
  bad-url:
    url: intranet/c
    title: {nl: C, fr: C}
"""
    write(tmp_path, {"entries/a.yml": ENTRY, "links.yml": links})

    errors = {e.line: e.message for e in errors_of(tmp_path)}

    assert "`fr` is missing in `title` of link 'no-french'" in errors[7]
    assert "must be a web address starting with https://" in errors[9]
    assert set(errors) == {7, 9}


def test_synonym_term_in_two_groups(tmp_path: Path) -> None:
    synonyms = "groups:\n  - [gsm, smartphone]\n  - [mobiel, gsm]\n  - [alone]\n"
    write(tmp_path, {"entries/a.yml": ENTRY, "synonyms.yml": synonyms})

    errors = {e.line: e.message for e in errors_of(tmp_path)}

    assert "already in the group on line 2" in errors[3]
    assert "at least two terms" in errors[4]


def test_duplicate_key_in_a_mapping(tmp_path: Path) -> None:
    write(
        tmp_path, {"entries/a.yml": ENTRY.replace("    owner: DRI\n", "    owner: DRI\n    owner: Other\n")}
    )

    error = only_error(tmp_path)

    assert error.line == 5
    assert "appears twice" in error.message


def test_missing_folder_and_empty_entries(tmp_path: Path) -> None:
    assert "does not exist" in only_error(tmp_path / "missing").message
    (tmp_path / "entries").mkdir()
    assert "no entry files" in only_error(tmp_path).message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- just a list\n", "must start with `entries:`"),
        ("entries: hello\n", "`entries` must be a list"),
        ("entry: []\n", "did you mean `entries`"),
    ],
)
def test_malformed_entry_files(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path, {"entries/a.yml": text})

    assert any(expected in e.message for e in errors_of(tmp_path))


def test_problem_string_is_file_line_severity_message(tmp_path: Path) -> None:
    write(tmp_path, {"entries/a.yml": ENTRY.replace("    owner: DRI", "    ownr: DRI")})

    first = sorted(errors_of(tmp_path), key=lambda p: p.line)[0]

    assert str(first).startswith(f"{tmp_path / 'entries' / 'a.yml'}:2: error: ")
