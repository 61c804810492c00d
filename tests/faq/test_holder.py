from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from nwow.faq.holder import KnowledgeBaseHolder, KnowledgeBaseLoadError
from nwow.snapshot import SnapshotStore

NEW_ENTRY = """\
  - id: new-entry
    topic: office
    owner: DRI
    reviewed: 2026-09-15
    source: none
    status: draft
    nl:
      questions: ['Waar vind ik het nieuwe reglement?']
      answer: Op het intranet.
    fr:
      questions: ['Où trouver le nouveau règlement ?']
      answer: Sur l'intranet.
"""


def append_entry(folder: Path) -> None:
    path = folder / "entries" / "tools.yml"
    path.write_text(path.read_text(encoding="utf-8") + NEW_ENTRY, encoding="utf-8")


async def test_start_loads_and_reload_swaps_in_a_valid_edit(faq_copy: Path) -> None:
    holder = KnowledgeBaseHolder(faq_copy, poll_seconds=0)
    await holder.start()
    first = holder.current
    assert first.version.entry_count == 6

    append_entry(faq_copy)
    result = await holder.reload()

    assert result.kb is not None
    assert holder.current is result.kb
    assert holder.current.version.entry_count == 7
    assert holder.current.version.content_hash != first.version.content_hash
    assert holder.current.entry("new-entry") is not None
    await holder.stop()


async def test_broken_edit_keeps_the_last_good_version(
    faq_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    holder = KnowledgeBaseHolder(faq_copy, poll_seconds=0)
    await holder.start()
    good = holder.current

    (faq_copy / "entries" / "tools.yml").write_text("entries:\n  - id: [broken\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="nwow.faq.holder"):
        result = await holder.reload()

    assert result.kb is None
    assert holder.current is good
    assert holder.last_error_at is not None
    assert any(p.severity == "error" and p.file.name == "tools.yml" for p in holder.last_problems)
    error_lines = [str(p) for p in holder.last_problems if p.severity == "error"]
    assert all(line in caplog.text for line in error_lines), "every problem is logged as check prints it"
    await holder.stop()


async def test_poller_picks_up_edits_and_skips_broken_ones(faq_copy: Path) -> None:
    holder = KnowledgeBaseHolder(faq_copy, poll_seconds=0.001)
    await holder.start()
    try:
        async with asyncio.timeout(30):
            await _edit_and_wait(holder, faq_copy)
    finally:
        await holder.stop()


async def _edit_and_wait(holder: KnowledgeBaseHolder, faq_copy: Path) -> None:
    assert holder.reload_count == 1
    append_entry(faq_copy)
    while holder.current.entry("new-entry") is None:
        await holder.wait_for_polls(holder.polls + 1)
    assert holder.reload_count == 2

    links = faq_copy / "links.yml"
    links.write_text("links: [this is not a mapping\n", encoding="utf-8")
    while holder.last_error_at is None:
        await holder.wait_for_polls(holder.polls + 1)
    assert holder.current.entry("new-entry") is not None
    assert holder.reload_count == 2


async def test_first_load_failure_raises_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "a.yml").write_text("entries:\n  - id: Bad Id\n", encoding="utf-8")
    holder = KnowledgeBaseHolder(tmp_path, poll_seconds=0)

    with pytest.raises(KnowledgeBaseLoadError) as caught:
        await holder.start()

    assert "a.yml:2: error:" in str(caught.value)
    assert "nwow faq check" in str(caught.value)
    with pytest.raises(RuntimeError):
        _ = holder.current


async def test_files_of_other_features_do_not_trigger_a_reload(faq_copy: Path) -> None:
    holder = KnowledgeBaseHolder(faq_copy, poll_seconds=0.001)
    await holder.start()
    try:
        async with asyncio.timeout(30):
            (faq_copy / "offices.yml").write_text("offices: []\n", encoding="utf-8")
            await holder.wait_for_polls(holder.polls + 3)
        assert holder.reload_count == 1
        assert holder.last_error_at is None
    finally:
        await holder.stop()


async def test_the_knowledge_base_keeps_a_snapshot_and_starts_from_it(faq_copy: Path, tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "data" / "kb-snapshots" / "faq")
    holder = KnowledgeBaseHolder(faq_copy, poll_seconds=0, snapshots=store)
    await holder.start()
    good = holder.current.version.content_hash
    await holder.stop()

    (faq_copy / "entries" / "tools.yml").write_text("entries:\n  - id: [broken\n", encoding="utf-8")
    restarted = KnowledgeBaseHolder(faq_copy, poll_seconds=0, snapshots=store)
    await restarted.start()

    assert restarted.current.version.content_hash == good
    assert restarted.current.entry("teams-mobile-install") is not None
    assert restarted.serving_snapshot is not None
    await restarted.stop()

    with pytest.raises(KnowledgeBaseLoadError, match=r"tools\.yml:3: error: YAML syntax error"):
        await KnowledgeBaseHolder(faq_copy, poll_seconds=0).start()
