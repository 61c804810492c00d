"""Writing the files the command-line tools produce (reports, the app package)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file in the same folder, renamed over it at the end:
    a reader never sees half a file, and a failed write leaves the old one in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)
