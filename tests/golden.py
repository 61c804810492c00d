"""Golden files for cards: the rendered dict must equal `<folder>/NAME.json`.

Regenerate after an intended change with `NWOW_UPDATE_GOLDEN=1 pytest tests/...`, then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def assert_golden(folder: Path, name: str, card: dict[str, Any]) -> None:
    path = folder / f"{name}.json"
    rendered = json.dumps(card, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("NWOW_UPDATE_GOLDEN") == "1":
        folder.mkdir(exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
        return
    assert path.exists(), f"golden file {path.name} is missing: run with NWOW_UPDATE_GOLDEN=1 and review it"
    assert rendered == path.read_text(encoding="utf-8"), f"card differs from golden file {path.name}"
