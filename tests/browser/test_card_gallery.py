"""The card gallery command: every card renders without a problem reported by the official renderer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

SCRIPT = ROOT / "scripts" / "card_gallery.py"
GALLERY = ROOT / "docs" / "cards"
TIMEOUT = 180


def _sample_names() -> list[str]:
    listed = subprocess.run(
        [sys.executable, str(SCRIPT), "--list"], capture_output=True, text=True, timeout=TIMEOUT, check=True
    )
    return [line.split(":", 1)[0] for line in listed.stdout.splitlines() if line.strip()]


def test_every_card_renders_without_problems(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-4000:]
    names = _sample_names()
    assert len(names) >= 17, names
    for name in names:
        with Image.open(tmp_path / f"{name}.png") as picture:
            width, height = picture.size
        # The 560-pixel bubble with its margin, and more than an empty card.
        assert width == 592, (name, width)
        assert height > 100, (name, height)
    index = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert all(f"({name}.png)" in index for name in names)


def test_the_committed_gallery_has_every_card_and_no_stale_one() -> None:
    names = set(_sample_names())
    committed = {path.stem for path in GALLERY.glob("*.png")}

    assert committed == names, (
        f"missing {sorted(names - committed)}, stale {sorted(committed - names)}: "
        "run .venv/bin/python scripts/card_gallery.py"
    )
