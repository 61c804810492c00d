"""The installed `nwow` console script, run as a user runs it: output piped into a reader that has gone
(`nwow faq check faq/ | head -1`) ends quietly, without a BrokenPipeError traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NWOW = Path(sys.executable).parent / "nwow"


@pytest.mark.parametrize(
    "argv",
    [["faq", "check", str(ROOT / "faq")], ["ask", "wat is mfa"]],
    ids=["faq check", "ask"],
)
def test_output_into_a_closed_pipe_ends_quietly(argv: list[str]) -> None:
    assert NWOW.is_file(), f"the console script is not installed at {NWOW}: run `make install`"
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write meets a broken pipe
    try:
        result = subprocess.run(
            [str(NWOW), *argv], stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60, check=False
        )
    finally:
        os.close(write_end)

    assert result.stderr == ""
    assert result.returncode == 141  # 128 + SIGPIPE, what a shell reports for a writer whose reader left
