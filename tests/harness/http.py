"""Serving an aiohttp application on loopback and posting activities to it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aiohttp
from aiohttp import web


async def start_app(app: web.Application) -> tuple[web.AppRunner, str]:
    """Start `app` on 127.0.0.1:0; the runner (call `cleanup()`) and the base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


async def send_activity(
    base_url: str,
    activity: Mapping[str, Any] | None,
    token: str | None = None,
    *,
    path: str = "/api/messages",
    authorization: str | None = None,
    content_type: str = "application/json",
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, Any]:
    """POST an activity; (status, the JSON body parsed, or the text when not JSON, or None when empty).

    `token` becomes `Authorization: Bearer <token>`; `authorization` sets the raw header instead; `data`
    replaces the JSON-encoded activity (for malformed bodies).
    """
    request_headers = {"Content-Type": content_type, **(headers or {})}
    if authorization is not None:
        request_headers["Authorization"] = authorization
    elif token is not None:
        request_headers["Authorization"] = f"Bearer {token}"
    payload = data if data is not None else json.dumps(activity).encode()
    async with (
        aiohttp.ClientSession() as session,
        session.post(base_url + path, data=payload, headers=request_headers) as response,
    ):
        text = await response.text()
        if not text.strip():
            return response.status, None
        return response.status, (json.loads(text) if response.content_type == "application/json" else text)
