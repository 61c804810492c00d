"""How long `nwow serve` takes to be ready, and how much memory it and the place index take.

    .venv/bin/python -m bench.startup                    # 5 starts of this venv's `nwow serve --dev`
    .venv/bin/python -m bench.startup --venv /tmp/other-venv --runs 10

Each start runs `nwow serve --dev` on a free loopback port with a fresh data folder (a new SQLite file)
and the shipped faq/ folder, polls GET /readyz every 5 ms, and prints the time from starting the process
to the first 200, the CPU time the server used until then (the figure a busy machine moves least),
and the server's resident memory then (VmRSS) and at its peak (VmHWM). The place index
is also measured on its own in a fresh interpreter: import time, time to load it, and the interpreter's
RSS before and after (and its peak).

`--venv` points at another installation (e.g. a fresh `pip install .` of an older commit) so that a
before/after comparison uses one script: the place-index probe calls only `default_place_index()`, which
every version has. Nothing is asserted; run it on a quiet machine (other work moves every figure).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from nwow.paths import default_faq_dir

READY_DEADLINE_S = 120.0
POLL_S = 0.005

# Runs in the measured venv's interpreter: RSS of a bare interpreter, after the import, after the load.
_PLACE_PROBE = """
import json, time
def rss_kib(field="VmRSS:"):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
bare = rss_kib()
started = time.perf_counter()
from nwow.offices.places import default_place_index
imported = time.perf_counter()
after_import = rss_kib()
index = default_place_index()
loaded = time.perf_counter()
print(json.dumps({
    "import_s": imported - started, "load_s": loaded - imported, "names": len(index),
    "rss_bare_kib": bare, "rss_import_kib": after_import, "rss_loaded_kib": rss_kib(),
    "rss_peak_kib": rss_kib("VmHWM:"),
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def ready_status(port: int) -> int | None:
    """The status of GET /readyz, or None while nothing listens."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2.0)
    try:
        connection.request("GET", "/readyz")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def memory_kib(pid: int) -> tuple[int, int]:
    """A process's resident memory now (VmRSS) and at its peak so far (VmHWM), in KiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines()
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a process has used: moves less than wall time on a busy machine."""
    # Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime 13th.
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_start(nwow: Path, faq_dir: Path) -> tuple[float, float, int, int]:
    """Seconds from spawning `nwow serve --dev` to the first 200 on /readyz, the CPU seconds it used until
    then, and its RSS then and at its peak (KiB)."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="nwow-startup-") as data:
        env = {
            **os.environ,
            "NWOW_DATA_DIR": data,
            "NWOW_FAQ_DIR": str(faq_dir),
            "NWOW_LOG_LEVEL": "WARNING",
        }
        env.pop("NWOW_DATABASE_URL", None)
        started = time.perf_counter()
        # cwd is the empty data folder, so that no .env file of a checkout is read.
        process = subprocess.Popen(
            [str(nwow), "serve", "--dev", "--port", str(port)],
            cwd=data,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            while True:
                status = ready_status(port)
                elapsed = time.perf_counter() - started
                if status == 200:
                    return (elapsed, cpu_seconds(process.pid), *memory_kib(process.pid))
                if process.poll() is not None:
                    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                    raise RuntimeError(f"nwow serve exited with {process.returncode}:\n{error}")
                if elapsed > READY_DEADLINE_S:
                    raise RuntimeError(f"/readyz not 200 after {READY_DEADLINE_S:.0f} s")
                time.sleep(POLL_S)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def place_probe(python: Path) -> dict[str, float]:
    done = subprocess.run(
        [str(python), "-c", _PLACE_PROBE],
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    )
    probe: dict[str, float] = json.loads(done.stdout)
    return probe


def summary(values: Sequence[float], unit: str, scale: float = 1.0) -> str:
    scaled = [v * scale for v in values]
    return (
        f"median {statistics.median(scaled):.{2 if unit == 's' else 0}f} {unit} "
        f"(min {min(scaled):.{2 if unit == 's' else 0}f}, max {max(scaled):.{2 if unit == 's' else 0}f}, "
        f"n={len(scaled)})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix), help="the installation to measure")
    parser.add_argument("--runs", type=int, default=5, help="starts (and place-index probes) to time")
    parser.add_argument(
        "--faq-dir", type=Path, default=default_faq_dir(), help="knowledge-base folder (default: shipped)"
    )
    args = parser.parse_args(argv)
    nwow, python = args.venv / "bin" / "nwow", args.venv / "bin" / "python"

    probes = [place_probe(python) for _ in range(args.runs)]
    print(f"place index ({python}): {int(probes[0]['names'])} names")
    print(f"  import nwow.offices.places: {summary([p['import_s'] for p in probes], 's')}")
    print(f"  default_place_index():      {summary([p['load_s'] for p in probes], 's')}")
    print(f"  RSS bare interpreter:       {summary([p['rss_bare_kib'] for p in probes], 'MiB', 1 / 1024)}")
    print(f"  RSS after the import:       {summary([p['rss_import_kib'] for p in probes], 'MiB', 1 / 1024)}")
    print(f"  RSS with the index loaded:  {summary([p['rss_loaded_kib'] for p in probes], 'MiB', 1 / 1024)}")
    print(f"  peak RSS (VmHWM):           {summary([p['rss_peak_kib'] for p in probes], 'MiB', 1 / 1024)}")
    print(
        "  RSS added by import + load: "
        f"{summary([p['rss_loaded_kib'] - p['rss_bare_kib'] for p in probes], 'MiB', 1 / 1024)}"
    )

    starts = [one_start(nwow, args.faq_dir) for _ in range(args.runs)]
    print(f"nwow serve --dev ({nwow}), faq {args.faq_dir}:")
    print(f"  spawn -> first 200 on /readyz: {summary([s[0] for s in starts], 's')}")
    print(f"  server CPU time until then:    {summary([s[1] for s in starts], 's')}")
    print(f"  server RSS when ready:         {summary([s[2] for s in starts], 'MiB', 1 / 1024)}")
    print(f"  server peak RSS (VmHWM):       {summary([s[3] for s in starts], 'MiB', 1 / 1024)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
