"""The last good version of the knowledge-base files, kept in the data folder: written whole or not at all,
checked by its hash when read, and what a start on broken files serves."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from nwow.problems import Problem
from nwow.reloading import Loaded, LoadFailed, Reloading
from nwow.snapshot import CURRENT, SnapshotStore, content_hash

FILES = {"entries/a.yml": b"entries: []\n", "links.yml": b"links: {}\n"}


def test_a_saved_version_is_read_back_with_its_hash_and_date(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "faq")

    saved = store.save(FILES)
    latest = store.latest()

    assert latest == saved
    assert latest.content_hash == content_hash(FILES)
    assert (latest.folder / "entries" / "a.yml").read_bytes() == FILES["entries/a.yml"]
    assert sorted(latest.files) == sorted(FILES)


def test_saving_the_same_version_again_writes_nothing_and_a_new_one_replaces_it(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "faq")
    first = store.save(FILES)
    record = (tmp_path / "faq" / CURRENT).read_text(encoding="utf-8")

    assert store.save(dict(FILES)) == first
    assert (tmp_path / "faq" / CURRENT).read_text(encoding="utf-8") == record

    second = store.save({**FILES, "links.yml": b"links: {x: 1}\n"})
    assert store.latest() == second
    assert not first.folder.exists(), "older versions are removed"
    assert [p.name for p in (tmp_path / "faq").iterdir() if p.is_dir()] == [second.folder.name]


def test_a_damaged_snapshot_is_not_used(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "faq")
    saved = store.save(FILES)

    (saved.folder / "links.yml").write_bytes(b"links: {tampered: 1}\n")

    assert store.latest() is None


def test_no_snapshot_and_an_unreadable_record_are_none(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "faq")
    assert store.latest() is None
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / CURRENT).write_text("{not json", encoding="utf-8")
    assert store.latest() is None


def test_a_record_naming_a_file_outside_the_snapshot_is_not_used(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path / "faq")
    saved = store.save(FILES)
    record = json.loads((tmp_path / "faq" / CURRENT).read_text(encoding="utf-8"))
    record["files"] = ["../../secret"]
    (tmp_path / "faq" / CURRENT).write_text(json.dumps(record), encoding="utf-8")

    assert store.latest() is None
    assert saved.folder.is_dir()


def _text_loader(folder: Path) -> Loaded[str]:
    path = folder / "data.txt"
    text = path.read_text(encoding="utf-8")
    if text.startswith("!"):
        return Loaded(None, [Problem(path, 1, "starts with '!'")], {"data.txt": text.encode()})
    return Loaded(text, [], {"data.txt": text.encode()})


def _holder(folder: Path, store: SnapshotStore) -> Reloading[str]:
    return Reloading(
        "data", folder, lambda f: [f / "data.txt"], _text_loader, snapshots=store, poll_seconds=0
    )


async def test_a_start_on_broken_files_serves_the_last_good_version_and_switches_back_when_fixed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder, store = tmp_path / "files", SnapshotStore(tmp_path / "data" / "snapshots")
    folder.mkdir()
    (folder / "data.txt").write_text("good", encoding="utf-8")
    first = _holder(folder, store)
    await first.start()
    await first.stop()

    (folder / "data.txt").write_text("!broken", encoding="utf-8")
    second = _holder(folder, store)
    with caplog.at_level(logging.WARNING, logger="nwow.reloading"):
        await second.start()

    assert second.current == "good"
    snapshot = second.serving_snapshot
    assert snapshot is not None
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    text = warning.getMessage()
    assert "SERVING THE LAST GOOD VERSION" in text
    assert snapshot.saved_at.strftime("%Y-%m-%d %H:%M UTC") in text
    assert f"{folder / 'data.txt'}:1: error: starts with '!'" in text

    (folder / "data.txt").write_text("fixed", encoding="utf-8")
    await second.reload()
    assert second.current == "fixed"
    assert second.serving_snapshot is None
    await second.stop()


async def test_a_start_on_broken_files_without_a_snapshot_says_what_to_fix(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("!broken", encoding="utf-8")
    holder = _holder(tmp_path, SnapshotStore(tmp_path / "none"))

    with pytest.raises(LoadFailed) as failed:
        await holder.start()

    message = str(failed.value)
    assert "does not validate, and there is no saved last good version to start from" in message
    assert f"(none in {tmp_path / 'none'})" in message
    assert f"{tmp_path / 'data.txt'}:1: error: starts with '!'" in message
