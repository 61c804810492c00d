"""The /healthz prober as a process of its own: `python -m tests.hostile.prober BASE_URL BOT_PID`.

GETs BASE_URL/healthz back to back on one keep-alive connection until a line arrives on stdin (or it
closes), then prints one JSON object: every latency as measured (`raw`), every latency less the time the
prober and the bot's threads spent runnable but waiting for a CPU (`own`), and `failures`.

A process of its own because a thread in the test's process shares that process's GIL: while the test
generates a large example the thread cannot run, and its probe looks slow although the bot answered at
once.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

PAUSE = 0.003
TIMEOUT = 70.0


def run_delay(path: Path) -> float:
    """Seconds a thread has spent runnable but waiting for a CPU (`/proc/.../schedstat`); 0 when the
    kernel does not keep it."""
    try:
        return int(path.read_text(encoding="ascii").split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def waiting(own: Path, bot_tasks: Path) -> float:
    """What this thread and all of the bot's threads have waited for a CPU so far (a bot's event loop also
    waits while a worker thread that holds the GIL waits for a CPU)."""
    paths = [own]
    with contextlib.suppress(OSError):
        paths += [task / "schedstat" for task in bot_tasks.iterdir()]
    return sum(run_delay(path) for path in paths)


def probe(base_url: str, bot_pid: int, stop: threading.Event) -> dict[str, list[float] | list[str]]:
    parts = urlsplit(base_url)
    own = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat")
    bot_tasks = Path(f"/proc/{bot_pid}/task")
    raw: list[float] = []
    mine: list[float] = []
    failures: list[str] = []

    def connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=TIMEOUT)

    connection = connect()
    try:
        while not stop.wait(PAUSE):
            waited = waiting(own, bot_tasks)
            started = time.perf_counter()
            try:
                connection.request("GET", "/healthz")
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                failures.append(type(exc).__name__)
                connection.close()
                connection = connect()
                continue
            elapsed = time.perf_counter() - started
            raw.append(elapsed)
            mine.append(max(0.0, elapsed - (waiting(own, bot_tasks) - waited)))
            if response.status != 200:
                failures.append(f"HTTP {response.status}")
    finally:
        connection.close()
    return {"raw": raw, "own": mine, "failures": failures}


def main() -> int:
    base_url, bot_pid = sys.argv[1], int(sys.argv[2])
    stop = threading.Event()
    result: dict[str, list[float] | list[str]] = {}
    worker = threading.Thread(target=lambda: result.update(probe(base_url, bot_pid, stop)), daemon=True)
    worker.start()
    print("PROBING", flush=True)
    sys.stdin.readline()  # a line, or end of file: stop
    stop.set()
    worker.join(TIMEOUT + 10)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
