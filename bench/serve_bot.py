"""Serve the real bot (`create_app`) in development mode for benchmarks and multi-process tests.

    .venv/bin/python -m bench.serve_bot [--port 0] [--cprofile OUT.pstats]

Settings come from the environment like `nwow serve --dev` (NWOW_DATABASE_URL, NWOW_DATA_DIR, NWOW_FAQ_DIR,
NWOW_LOG_FORMAT, ...). Unlike `nwow serve`, it can listen on port 0 (any free port) and prints
`LISTENING <base url>` once it accepts requests, which bench/loadgen.py and tests/replicas wait for.
SIGTERM or SIGINT stops it cleanly; with --cprofile the whole run is profiled and the stats written then.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import signal
import sys
from collections.abc import Sequence

from aiohttp import web

from bot.app import create_app
from bot.settings import Settings, SettingsError, configure_logging

logger = logging.getLogger(__name__)


async def serve(port: int) -> None:
    # Settings insist on a real port number; the socket below is what actually binds (0 = any free port).
    settings = Settings.from_env(dev_mode=True, host="127.0.0.1", port=port or 3978)
    configure_logging(settings)
    await serve_until_signalled(create_app(settings), port)


async def serve_until_signalled(app: web.Application, port: int) -> None:
    """Serve `app` on 127.0.0.1:`port`, print "LISTENING <url>" (load generators wait for it), stop on
    SIGTERM or SIGINT."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    host, bound = runner.addresses[0][:2]
    print(f"LISTENING http://{host}:{bound}", flush=True)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    await stopped.wait()
    await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default 0: any free port)")
    parser.add_argument("--cprofile", help="profile the run with cProfile and write the stats to this file")
    args = parser.parse_args(argv)
    profiler = cProfile.Profile() if args.cprofile else None
    try:
        if profiler is not None:
            profiler.enable()
        asyncio.run(serve(args.port))
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
