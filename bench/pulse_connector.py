"""A loopback Bot Connector for the pulse delivery benchmark, in a process of its own.

    .venv/bin/python -m bench.pulse_connector [--throttle 0.05] [--retry-after 0.1] [--seed 17]

Accepts `POST /v3/conversations/{id}/activities` (201 with an activity id) and records, per conversation,
how many activities it accepted. A share `--throttle` of the calls is answered 429 with `Retry-After`,
chosen deterministically: call n of a conversation is refused when a hash of (seed, conversation, n) falls
below the share, so a rerun refuses the same calls whatever order they arrive in. `GET /_bench/stats`
returns the records as JSON: `{"accepted": {conversation: count}, "throttled": n, "calls": n}`.
Prints `LISTENING <base url>` once it accepts requests; SIGTERM or SIGINT stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import sys
from collections import Counter
from collections.abc import Sequence

from aiohttp import web

from bench.serve_bot import serve_until_signalled

__all__ = ["BenchConnector", "main"]


class BenchConnector:
    def __init__(self, throttle: float, retry_after: str, seed: int) -> None:
        self.throttle = throttle
        self.retry_after = retry_after
        self.seed = seed
        self.accepted: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self.throttled = 0
        self._ids = itertools.count(1)

    def refuses(self, conversation: str, call: int) -> bool:
        digest = hashlib.blake2b(f"{self.seed}:{conversation}:{call}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64 < self.throttle

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._activity)
        app.router.add_get("/_bench/stats", self._stats)
        return app

    async def _activity(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation_id"]
        await request.read()
        self.calls[conversation] += 1
        if self.refuses(conversation, self.calls[conversation]):
            self.throttled += 1
            return web.json_response(
                {"error": {"code": "Throttled"}}, status=429, headers={"Retry-After": self.retry_after}
            )
        self.accepted[conversation] += 1
        return web.json_response({"id": f"act-{next(self._ids)}"}, status=201)

    async def _stats(self, request: web.Request) -> web.Response:
        calls = sum(self.calls.values())
        return web.json_response(
            {"accepted": dict(self.accepted), "throttled": self.throttled, "calls": calls}
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--throttle", type=float, default=0.05, help="share of calls answered 429")
    parser.add_argument("--retry-after", default="0.1", help="the Retry-After header of a 429 (seconds)")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    connector = BenchConnector(args.throttle, args.retry_after, args.seed)
    asyncio.run(serve_until_signalled(connector.app(), args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
