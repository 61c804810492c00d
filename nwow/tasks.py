"""Stopping a background task without swallowing the caller's own cancellation."""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["stop_task"]


async def stop_task(task: asyncio.Task[Any]) -> None:
    """Cancel `task` and wait until it has stopped.

    The task's own cancellation is what was asked for, and is not raised. A cancellation of the caller that
    lands during the wait (the app stopping while a batch ends) is: `with suppress(CancelledError)` around
    the wait cannot tell the two apart and would swallow it, leaving the caller running and whoever awaits
    it waiting for ever. Any other exception of the task is raised."""
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
