"""The YAML reader behind every knowledge-base file: typed as editors type it, every value's line, and a cost
bounded by the file's size whatever it holds (aliases, size, depth)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from bench.hostile_kb import alias_bomb
from nwow.problems import Problem
from nwow.yaml_reader import MAX_DEPTH, YamlDocument, read_yaml


def read(tmp_path: Path, text: str) -> YamlDocument | Problem:
    path = tmp_path / "file.yml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path)


def document(tmp_path: Path, text: str) -> YamlDocument:
    result = read(tmp_path, text)
    assert isinstance(result, YamlDocument), result
    return result


def problem(tmp_path: Path, text: str) -> Problem:
    result = read(tmp_path, text)
    assert isinstance(result, Problem), result
    return result


def test_values_are_typed_as_yaml_1_2_editors_type_them(tmp_path: Path) -> None:
    doc = document(
        tmp_path,
        "answer: no\nopen: 07:30\nreviewed: 2026-09-15\ncode: '9000'\ndesks: 12\nlat: 51.05\n"
        "flag: true\nempty:\nyes: on\nwords: [a, 'b c']\n",
    )

    assert doc.value == {
        "answer": "no",
        "open": "07:30",
        "reviewed": "2026-09-15",
        "code": "9000",
        "desks": 12,
        "lat": 51.05,
        "flag": True,
        "empty": None,
        "yes": "on",
        "words": ["a", "b c"],
    }


def test_every_value_has_the_line_of_its_key_or_item(tmp_path: Path) -> None:
    doc = document(
        tmp_path,
        "# a comment\nentries:\n  - id: one\n    nl:\n      questions:\n        - first\n        - second\n",
    )

    assert doc.line(("entries",)) == 2
    assert doc.line(("entries", 0)) == 3
    assert doc.line(("entries", 0, "nl", "questions")) == 5
    assert doc.line(("entries", 0, "nl", "questions", 1)) == 7
    assert doc.line(("entries", 0, "nope", 3)) == 3  # the nearest value that exists


def test_a_key_given_twice_is_reported_and_the_first_value_kept(tmp_path: Path) -> None:
    doc = document(tmp_path, "owner: DRI\nowner: ISPO\n")

    assert doc.value == {"owner": "DRI"}
    assert [(p.line, p.message) for p in doc.problems] == [
        (2, "`owner` appears twice here (first on line 1); keep one")
    ]


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("a: &name x\nb: 1\n", 1, "`&name` is a YAML anchor"),
        ("a: 1\nb: *name\n", 2, "`*name` is a YAML alias"),
        ("a: 1\n---\nb: 2\n", 2, "several YAML documents"),
        ("a: !!python/name:os.system x\n", 1, "the YAML tag"),
        ("a: [unclosed\n", 2, "YAML syntax error"),
        ("? [a, b]\n: c\n", 1, "a key must be a plain word"),
    ],
)
def test_what_these_files_never_need_is_refused_at_its_line(
    tmp_path: Path, text: str, line: int, needle: str
) -> None:
    refused = problem(tmp_path, text)

    assert refused.line == line
    assert needle in refused.message


def test_nesting_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    refused = problem(tmp_path, "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")

    assert f"more than {MAX_DEPTH} levels" in refused.message


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.yml"
    path.write_text("entries:\n" + "  - x\n" * 10, encoding="utf-8")

    refused = read_yaml(path, max_bytes=32)

    assert isinstance(refused, Problem)
    assert (refused.line, refused.file) == (1, path)
    assert "larger than 32 bytes, the limit for a knowledge-base file" in refused.message


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yml"
    path.write_bytes("a: 1\nb: caf\xe9\n".encode("latin-1"))

    refused = read_yaml(path)

    assert isinstance(refused, Problem)
    assert refused.line == 2
    assert "not UTF-8" in refused.message


def test_an_alias_bomb_is_refused_at_once_with_bounded_memory(tmp_path: Path) -> None:
    """500 KB whose aliases expand to 5 million values: one problem, and memory of the order of the file."""
    path = tmp_path / "bomb.yml"
    path.write_text(alias_bomb(entries=7500, shared=700), encoding="utf-8")
    assert path.stat().st_size > 450_000

    tracemalloc.start()
    try:
        refused = read_yaml(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert isinstance(refused, Problem)
    assert refused.line == 3
    assert "anchor" in refused.message
    assert peak < 10 * path.stat().st_size
