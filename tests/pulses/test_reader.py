"""Reading a pulse file: the shipped template loads; every mistake is reported at its file and line in
words DRI can act on (the schema's rules, then the rules in nwow/pulses/reader.py), and nothing starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from nwow.paths import default_faq_dir
from nwow.pulses.model import QuestionKind
from nwow.pulses.reader import read_pulse, read_pulses

UNITS = frozenset({"fed-dri", "local-antwerpen"})
FOUR = "{nl: Vraag, fr: Question, de: Frage, en: Question}"
VALID = f"""# yaml-language-server: $schema=../schemas/pulse.schema.json
id: test-pulse
title: {FOUR}
intro: {FOUR}
questions:
  - id: rating
    kind: rating
    text: {FOUR}
  - id: tool
    kind: choice
    text: {FOUR}
    choices:
      - {{id: teams, label: {FOUR}}}
      - {{id: yammer, label: {FOUR}}}
audience: all
opens: 2027-01-11
closes: 2027-01-29
reminder: {{after_days: 7}}
min_group: 10
"""


def _write(folder: Path, text: str, name: str = "pulse.yml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _messages(path: Path) -> list[str]:
    loaded = read_pulse(path, UNITS)
    assert loaded.value is None, "a pulse with an error must not load"
    return [f"{p.line}: {p.message}" for p in loaded.errors]


def test_the_shipped_template_loads_and_is_checked_with_the_knowledge_base() -> None:
    [loaded] = read_pulses(default_faq_dir())
    assert loaded.problems == [] and loaded.value is not None
    assert [q.kind for q in loaded.value.questions] == [
        QuestionKind.RATING,
        QuestionKind.CHOICE,
        QuestionKind.YES_NO,
        QuestionKind.TEXT,
    ]


def test_a_valid_file_loads(tmp_path: Path) -> None:
    loaded = read_pulse(_write(tmp_path, VALID), UNITS)
    assert loaded.problems == [] and loaded.value is not None
    assert loaded.value.reminder_days == 7 and loaded.value.audience.kind == "all"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("title: " + FOUR, "title: {nl: Vraag, fr: Question}"), "3: `de` is missing in `title`"),
        (("kind: rating", "kind: stars"), "7: `kind` of question 'rating' is 'stars'"),
        (("min_group: 10", "min_group: 2"), "19: `min_group` is 2: it must be at least 5"),
        (("  - id: tool", "  - id: rating"), "9: question id 'rating' is used twice"),
        (("      - {id: yammer", "      - {id: teams"), "14: option id 'teams' is used twice"),
        (("closes: 2027-01-29", "closes: 2027-01-01"), "17: the pulse closes (2027-01-01) before it opens"),
        (("after_days: 7", "after_days: 30"), "18: the reminder would come 30 days after the start"),
        (("audience: all", "audience: {units: [fed-dry]}"), "15: unit 'fed-dry' is not in faq/units.yml"),
    ],
)
def test_each_mistake_is_reported_at_its_line(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in VALID
    messages = _messages(_write(tmp_path, VALID.replace(old, new)))
    assert any(m.startswith(expected) for m in messages), messages


def test_a_choice_question_needs_its_options_and_only_it_has_them(tmp_path: Path) -> None:
    no_options = VALID.replace("    choices:\n      - {id: teams, label: " + FOUR + "}\n", "").replace(
        "      - {id: yammer, label: " + FOUR + "}\n", ""
    )
    assert any("is a choice: list its options" in m for m in _messages(_write(tmp_path, no_options)))
    misplaced = VALID.replace("kind: choice", "kind: yes-no")
    assert any(
        "only a question of kind: choice has `choices`" in m for m in _messages(_write(tmp_path, misplaced))
    )


def test_an_audience_list_is_read_and_its_bad_lines_reported(tmp_path: Path) -> None:
    ids = ["3f2a1b4c-0000-4000-8000-00000000000a", "3F2A1B4C-0000-4000-8000-00000000000B"]
    _write(tmp_path, "# DRI's list\n" + "\n".join(ids) + "\n", "people.txt")
    loaded = read_pulse(
        _write(tmp_path, VALID.replace("audience: all", "audience: {list: people.txt}")), UNITS
    )
    assert loaded.value is not None
    assert loaded.value.audience.object_ids == {i.lower() for i in ids}

    _write(tmp_path, ids[0] + "\nnot-an-id\n", "people.txt")
    messages = [str(p) for p in read_pulse(tmp_path / "pulse.yml", UNITS).errors]
    assert any("people.txt:2: error: 'not-an-id' is not an Entra object id" in m for m in messages), messages


@pytest.mark.parametrize("outside", ["../secret.txt", "/etc/passwd", "sub/../../secret.txt"])
def test_an_audience_list_outside_the_pulse_folder_is_refused_unread(tmp_path: Path, outside: str) -> None:
    (tmp_path / "secret.txt").write_text("SECRET-TOKEN-abc\n", encoding="utf-8")
    folder = tmp_path / "pulses"
    folder.mkdir()
    (folder / "sub").mkdir()
    path = _write(folder, VALID.replace("audience: all", f"audience: {{list: '{outside}'}}"))
    messages = _messages(path)
    assert messages and not any("SECRET" in m for m in messages), messages
