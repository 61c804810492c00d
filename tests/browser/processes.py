"""Child processes for the browser suite: started in their own process group, ready when they say so.

A process is ready when a line of its output matches a pattern (the bot prints aiohttp's "Running on",
the playground "Listening on PORT"). A reader thread copies every line to a log file and sets an event
on the first match, so waiting is bounded and event-driven, never a sleep. Stopping sends SIGTERM to the
whole group, waits a bounded time, then SIGKILL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import socket
import subprocess
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Self

logger = logging.getLogger(__name__)

STOP_TIMEOUT = 10.0
TAIL_LINES = 60


class ProcessFailed(RuntimeError):
    """A child process exited or stayed silent instead of becoming ready; the message holds its output."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ManagedProcess:
    """One child process in its own session; use as a context manager so it is always stopped."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self._env = dict(env) if env is not None else None
        self._cwd = cwd
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._tail: deque[str] = deque(maxlen=TAIL_LINES)
        self._lock = threading.Lock()
        self._watch: tuple[re.Pattern[str], threading.Event] | None = None
        self._match: re.Match[str] | None = None

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError(f"{self.name} is not started")
        return self._process.pid

    def start(self, ready: re.Pattern[str], timeout: float) -> re.Match[str]:
        """Start the process and wait until a line of its output matches `ready`; return that match."""
        event = threading.Event()
        self._watch = (ready, event)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        logger.info("starting %s: %s", self.name, " ".join(self.argv))
        self._process = subprocess.Popen(
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            env=self._env,
            cwd=self._cwd,
            start_new_session=True,
        )
        stdout = self._process.stdout
        assert stdout is not None
        self._reader = threading.Thread(
            target=self._read, args=(stdout, event), name=f"{self.name}-output", daemon=True
        )
        self._reader.start()
        if not event.wait(timeout):
            self.stop()
            raise ProcessFailed(f"{self.name} was not ready within {timeout:.0f} s\n{self.tail()}")
        if self._match is None:
            code = self._process.wait(STOP_TIMEOUT)
            raise ProcessFailed(f"{self.name} exited with code {code} before it was ready\n{self.tail()}")
        logger.info("%s ready (pid %d)", self.name, self._process.pid)
        return self._match

    def _read(self, stream: IO[str], event: threading.Event) -> None:
        with self.log_path.open("a", encoding="utf-8") as log:
            for line in stream:
                log.write(line)
                log.flush()
                with self._lock:
                    self._tail.append(line.rstrip("\n"))
                if self._match is None and self._watch is not None:
                    found = self._watch[0].search(line)
                    if found:
                        self._match = found
                        event.set()
        # End of output: the process closed stdout (it exited); wake a waiter that is still waiting.
        event.set()

    def tail(self) -> str:
        with self._lock:
            lines = list(self._tail)
        return f"--- last {len(lines)} lines of {self.name} ({self.log_path}) ---\n" + "\n".join(lines)

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> int | None:
        """Stop the whole process group: SIGTERM, a bounded wait, then SIGKILL. Returns the exit code."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop within %.0f s: killing it", self.name, STOP_TIMEOUT)
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(STOP_TIMEOUT)
        else:
            # The leader is gone; children it left in the group may still run.
            _signal_group(process.pid, signal.SIGKILL)
        if self._reader is not None:
            self._reader.join(STOP_TIMEOUT)
        if process.stdout is not None:
            process.stdout.close()
        return process.returncode

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)
