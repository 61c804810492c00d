"""A fake Bot Connector: an aiohttp app that records what the bot sends and can be told to fail."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import web


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    conversation_id: str | None
    reply_to_id: str | None
    body: Any
    authorization: str | None
    status: int
    peer: tuple[str, int] | None = None
    raw_path: str = ""


DROPPED: Final = 0  # the status recorded for a request whose connection was closed without an answer


@dataclass
class _Failure:
    status: int
    retry_after: str | None = None
    path: str | None = None


@dataclass
class FakeConnector:
    """Routes of the Bot Connector REST API v3 the adapter uses.

    `replies` holds the successful sends and replies (POST .../activities[/{replyTo}]); `requests` holds every
    request including the ones answered with a configured failure. `wait_for_replies(n)` waits on an event.
    """

    requests: list[RecordedRequest] = field(default_factory=list)
    base_url: str = ""
    _failures: deque[_Failure] = field(default_factory=deque)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition | None = None

    @property
    def replies(self) -> list[RecordedRequest]:
        return [
            r
            for r in self.requests
            if r.method == "POST" and r.conversation_id is not None and r.status < 300
        ]

    @property
    def peers(self) -> set[tuple[str, int]]:
        """Distinct client (host, port) pairs seen: one per TCP connection."""
        return {r.peer for r in self.requests if r.peer is not None}

    def fail_next(
        self, status: int, times: int = 1, *, retry_after: str | None = None, path: str | None = None
    ) -> None:
        """Answer the next `times` requests (to `path` only, if given) with `status` (and a Retry-After
        header if given)."""
        for _ in range(times):
            self._failures.append(_Failure(status, retry_after, path))

    def drop_next(self, times: int = 1, *, path: str | None = None) -> None:
        """Read the next `times` requests (to `path` only, if given) whole, then close their connection
        without an answer: the channel got the activity, its sender cannot know. Recorded with status
        `DROPPED`."""
        for _ in range(times):
            self._failures.append(_Failure(DROPPED, None, path))

    async def wait_for_replies(self, count: int, within: float = 10.0) -> list[RecordedRequest]:
        condition = self._condition()
        async with asyncio.timeout(within), condition:
            await condition.wait_for(lambda: len(self.replies) >= count)
        return self.replies

    async def wait_for_requests(self, count: int, within: float = 10.0) -> list[RecordedRequest]:
        """Wait until `count` requests (successful or failed) were received."""
        condition = self._condition()
        async with asyncio.timeout(within), condition:
            await condition.wait_for(lambda: len(self.requests) >= count)
        return self.requests

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._activity)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", self._activity)
        app.router.add_put("/v3/conversations/{conversation_id}/activities/{activity_id}", self._activity)
        app.router.add_delete("/v3/conversations/{conversation_id}/activities/{activity_id}", self._activity)
        return app

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def _record(self, request: web.Request, status: int, body: Any) -> None:
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.requests.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                conversation_id=request.match_info.get("conversation_id"),
                reply_to_id=request.match_info.get("activity_id") if request.method == "POST" else None,
                body=body,
                authorization=request.headers.get("Authorization"),
                status=status,
                peer=(str(peer[0]), int(peer[1])) if peer else None,
                raw_path=request.raw_path,
            )
        )
        condition = self._condition()
        async with condition:
            condition.notify_all()

    async def _failure(self, request: web.Request, body: Any) -> web.Response | None:
        failure = next((f for f in self._failures if f.path in (None, request.path)), None)
        if failure is None:
            return None
        self._failures.remove(failure)
        await self._record(request, failure.status, body)
        if failure.status == DROPPED:
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)  # never reaches the client: its connection is closed
        headers = {"Retry-After": failure.retry_after} if failure.retry_after is not None else None
        return web.json_response({"error": {"code": "Throttled"}}, status=failure.status, headers=headers)

    async def _activity(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        failed = await self._failure(request, body)
        if failed is not None:
            return failed
        if request.method == "DELETE":
            await self._record(request, 200, body)
            return web.Response(status=200)
        reply_id = f"reply-{next(self._ids)}"
        await self._record(request, 201, body)
        return web.json_response({"id": reply_id}, status=201 if request.method == "POST" else 200)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await request.json()
        failed = await self._failure(request, body)
        if failed is not None:
            return failed
        await self._record(request, 201, body)
        number = next(self._ids)
        return web.json_response({"id": f"conv-{number}", "activityId": f"act-{number}"}, status=201)
