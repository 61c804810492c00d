"""What an ambassador sees in VS Code: the Red Hat YAML language server (the engine of the YAML extension),
finding each file's schema through its modeline, accepts every shipped file and underlines the mistakes
`nwow faq check` reports, with the schemas' own messages."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, Final

import pytest

from nwow.paths import default_faq_dir
from tests.harness.requirements import require

ROOT: Final = Path(__file__).resolve().parents[2]
CHECKER: Final = ROOT / "tools" / "schemas" / "yaml_check.cjs"
SERVER: Final = ROOT / "tools" / "schemas" / "node_modules" / "yaml-language-server"
INSTALL: Final = "npm ci --prefix tools/schemas --ignore-scripts --no-audit --no-fund (or `make test-deps`)"


def editor_diagnostics(*files: Path) -> dict[Path, list[dict[str, Any]]]:
    node = shutil.which("node")
    require(node is not None and SERVER.is_dir(), f"node and the YAML language server ({SERVER})", INSTALL)
    assert node is not None
    done = subprocess.run(
        [node, str(CHECKER), *map(str, files)], capture_output=True, text=True, timeout=120, check=True
    )
    return {Path(row["file"]): row["diagnostics"] for row in map(json.loads, done.stdout.splitlines())}


def test_the_editor_accepts_every_shipped_file() -> None:
    files = sorted(default_faq_dir().rglob("*.yml"))

    found = editor_diagnostics(*files)

    assert set(found) == set(files)
    assert {path: diagnostics for path, diagnostics in found.items() if diagnostics} == {}


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """The shipped folder with its schemas, to break files in."""
    folder = tmp_path / "faq"
    shutil.copytree(default_faq_dir(), folder)
    return folder


def test_the_editor_underlines_mistakes_with_the_schemas_messages(shipped_copy: Path) -> None:
    entries = shipped_copy / "entries" / "mfa.yml"
    text = entries.read_text(encoding="utf-8")
    entries.write_text(
        text.replace("    reviewed: 2026-12-06", "    reviewed: 09/11/2026", 1)
        .replace("    status: draft", "    status: approved", 1)
        .replace("    owner: ISPO", "    ownr: ISPO", 1),
        encoding="utf-8",
    )
    offices = shipped_copy / "offices.yml"
    offices.write_text(
        offices.read_text(encoding="utf-8").replace("    desks: 40", "    desks: many", 1), encoding="utf-8"
    )

    found = editor_diagnostics(entries, offices)

    def line_of(path: Path, needle: str) -> int:
        return path.read_text(encoding="utf-8").splitlines().index(needle) + 1

    messages = {(d["line"], d["message"]) for d in found[entries]}
    assert (
        line_of(entries, "    reviewed: 09/11/2026"),
        "must be a date written as YYYY-MM-DD (e.g. 2026-09-15)",
    ) in messages
    assert (line_of(entries, "    status: approved"), "must be `draft` or `validated`") in messages
    assert (line_of(entries, "    ownr: ISPO"), "Property ownr is not allowed.") in messages
    assert {(d["line"], d["message"]) for d in found[offices]} == {
        (line_of(offices, "    desks: many"), "must be a whole number of at least 1")
    }
