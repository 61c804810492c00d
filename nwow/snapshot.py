"""The last good version of a set of knowledge-base files, kept in the data folder so that the bot can start
when the files it is given are broken.

Layout under `root` (e.g. `$NWOW_DATA_DIR/kb-snapshots/faq/`): one folder per version, named by its content
hash, holding copies of the files as they were loaded; and `current.json` naming the version in service,
with its hash and when it was saved. A version is written to a temporary folder and renamed into place,
then `current.json` is replaced in one step (`os.replace`), so a crash at any point leaves the previous
snapshot intact. All functions here block: call them from a worker thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Final

logger = logging.getLogger(__name__)

CURRENT: Final = "current.json"


@dataclass(frozen=True)
class Snapshot:
    """A saved version: its files are in `folder`, laid out as in the folder they were loaded from."""

    folder: Path
    content_hash: str
    saved_at: datetime
    files: tuple[str, ...]


def content_hash(files: Mapping[str, bytes]) -> str:
    """The hash of files given by their path relative to their folder (order does not matter)."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(files[name])
        digest.update(b"\0")
    return digest.hexdigest()


class SnapshotStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, files: Mapping[str, bytes]) -> Snapshot:
        """Keep `files` (relative path -> bytes) as the last good version; a no-op when it already is."""
        digest = content_hash(files)
        current = self._read_current()
        if current is not None and current.content_hash == digest and current.folder.is_dir():
            return current
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / digest[:32]
        if not target.is_dir():
            staging = self.root / f".tmp-{uuid.uuid4().hex}"
            try:
                for name, data in files.items():
                    path = staging / _relative(name)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                try:
                    staging.rename(target)
                except OSError:  # written meanwhile by another process sharing the data folder
                    if not target.is_dir():
                        raise
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        snapshot = Snapshot(target, digest, datetime.now(UTC), tuple(sorted(files)))
        record = {
            "hash": digest,
            "folder": target.name,
            "saved_at": snapshot.saved_at.isoformat(),
            "files": list(snapshot.files),
        }
        staged = self.root / f".{CURRENT}.{uuid.uuid4().hex}"
        staged.write_text(json.dumps(record, indent=2), encoding="utf-8")
        staged.replace(self.root / CURRENT)
        self._remove_other_versions(target.name)
        return snapshot

    def latest(self) -> Snapshot | None:
        """The saved version, if there is one and its files are intact (their hash is the recorded one)."""
        current = self._read_current()
        if current is None:
            return None
        try:
            files = {name: (current.folder / _relative(name)).read_bytes() for name in current.files}
        except (OSError, ValueError) as exc:
            logger.warning("the snapshot in %s cannot be read: %s", self.root, exc)
            return None
        if content_hash(files) != current.content_hash:
            logger.warning("the snapshot in %s is damaged (its files do not match its hash)", self.root)
            return None
        return current

    def _read_current(self) -> Snapshot | None:
        try:
            record = json.loads((self.root / CURRENT).read_text(encoding="utf-8"))
            return Snapshot(
                self.root / str(record["folder"]),
                str(record["hash"]),
                datetime.fromisoformat(str(record["saved_at"])),
                tuple(str(name) for name in record["files"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("the snapshot record %s cannot be read: %s", self.root / CURRENT, exc)
            return None

    def _remove_other_versions(self, keep: str) -> None:
        for path in self.root.iterdir():
            if path.is_dir() and path.name != keep and not path.name.startswith("."):
                with contextlib.suppress(OSError):
                    shutil.rmtree(path)


def _relative(name: str) -> Path:
    """A file name of a snapshot as a path inside it (never outside: no absolute path, no '..')."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"not a relative file name: {name!r}")
    return Path(*pure.parts)
