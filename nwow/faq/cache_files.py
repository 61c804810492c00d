"""Files the answer engine keeps between loads in the data folder (embeddings, calibration).

They are caches: derived from the knowledge base and the engine, keyed by a hash of what they were
derived from, rewritten atomically (a temporary file renamed over the old one, so a reader never sees
half a file). A file that cannot be read is ignored and rebuilt; a folder that cannot be written is
reported in the log and the load goes on without it.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

logger = logging.getLogger(__name__)


def write_cache_file(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write `path` through `write(file)`, atomically; a failure is logged, never raised."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        logger.warning("cache file %s not written (%s): kept in memory only", path, exc)
        return
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        temp.replace(path)
    except OSError as exc:
        logger.warning("cache file %s not written (%s): kept in memory only", path, exc)
    finally:
        temp.unlink(missing_ok=True)
