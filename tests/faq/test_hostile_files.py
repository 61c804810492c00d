"""A hostile or badly broken knowledge-base file costs bounded memory, output and logs, and is read off the
event loop; the bot keeps answering from the last good version."""

from __future__ import annotations

import logging
import threading
import tracemalloc
from pathlib import Path

import pytest

from bench.hostile_kb import alias_bomb
from bot.cli import main
from nwow.faq.holder import KnowledgeBaseHolder
from nwow.faq.loader import load_knowledge_base
from nwow.problems import LOG_LIMIT, MAX_KEPT, PRINT_LIMIT
from nwow.yaml_reader import MAX_FILE_BYTES

BOMB_ENTRIES, BOMB_SHARED = 7500, 700  # 500 KB; 5 million problems for a validator that follows aliases


def bomb_folder(folder: Path) -> Path:
    (folder / "entries").mkdir(parents=True, exist_ok=True)
    (folder / "entries" / "bomb.yml").write_text(alias_bomb(BOMB_ENTRIES, BOMB_SHARED), encoding="utf-8")
    return folder


def many_mistakes(count: int) -> str:
    """An entry file without aliases whose every entry follows the schema but names an unknown related
    entry (an error) and lacks languages (a warning)."""
    lines = ["topic: t", "entries:"]
    lines += [
        f"  - {{id: e{i}, owner: o, reviewed: 2026-01-01, source: none, status: draft, related: [nope-{i}],"
        f" nl: {{questions: [vraag {i}], answer: a}}}}"
        for i in range(count)
    ]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_one_problem_at_bounded_cost(tmp_path: Path) -> None:
    folder = bomb_folder(tmp_path)
    size = (folder / "entries" / "bomb.yml").stat().st_size

    tracemalloc.start()
    try:
        result = load_knowledge_base(folder)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.kb is None
    assert [(p.line, p.severity) for p in result.problems] == [(3, "error")]
    assert "anchors and aliases (&name, *name) are not allowed" in result.problems[0].message
    assert peak < 20 * size


def test_faq_check_on_an_alias_bomb_prints_a_few_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = bomb_folder(tmp_path)

    code = main(["faq", "check", str(folder)])

    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert len(lines) <= 6
    assert any(f"{folder / 'entries' / 'bomb.yml'}:3: error: `&s` is a YAML anchor" in line for line in lines)


def test_faq_check_prints_at_most_its_limit_and_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "a.yml").write_text(many_mistakes(3000), encoding="utf-8")

    code = main(["faq", "check", str(tmp_path)])

    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert len(lines) <= PRINT_LIMIT + 5
    assert any(line.startswith("... and ") and "more problem(s) not shown" in line for line in lines)
    assert lines[-1].startswith("FAILED:")


def test_a_load_keeps_a_bounded_number_of_problems(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "a.yml").write_text(many_mistakes(3000), encoding="utf-8")

    result = load_knowledge_base(tmp_path)

    assert result.kb is None
    assert len(result.problems) <= MAX_KEPT
    assert result.not_kept > 0


def test_a_file_over_the_size_limit_is_refused_with_the_limit(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    big = tmp_path / "entries" / "big.yml"
    big.write_text("entries:\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1), encoding="utf-8")

    result = load_knowledge_base(tmp_path)

    assert result.kb is None
    [error] = result.errors
    assert (error.file, error.line) == (big, 1)
    assert "larger than 1 MB, the limit for a knowledge-base file" in error.message


async def test_reloading_an_alias_bomb_keeps_the_last_good_version_and_logs_a_few_lines_off_the_loop(
    faq_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    holder = KnowledgeBaseHolder(faq_copy, poll_seconds=0)
    await holder.start()
    good = holder.current
    bomb_folder(faq_copy)
    (faq_copy / "entries" / "more.yml").write_text(many_mistakes(2000), encoding="utf-8")

    with caplog.at_level(logging.INFO, logger="nwow"):
        caplog.clear()
        result = await holder.reload()
    await holder.stop()

    assert result.kb is None
    assert holder.current is good
    records = [r for r in caplog.records if r.name.startswith("nwow")]
    assert len(records) <= 2
    assert sum(r.getMessage().count("\n") + 1 for r in records) <= LOG_LIMIT + 3
    assert any("bomb.yml:3: error: `&s` is a YAML anchor" in r.getMessage() for r in records)
    loop_thread = threading.get_ident()
    assert all(r.thread != loop_thread for r in records), (
        "problems are formatted and logged in a worker thread"
    )
