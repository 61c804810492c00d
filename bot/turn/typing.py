"""The typing indicator: shown while a message turn runs, and stopped when the turn ends, however it ends.

botbuilder's `ShowTypingMiddleware` (4.17.1) stops its timer only after the bot logic returns: a turn that
raises leaves it posting a typing activity every `period` seconds to that conversation until the process
restarts, each send a fire-and-forget task. Here one task per turn sends the indicator, one send at a time
and each within a deadline; the task is cancelled in a `finally` when the turn is over, and it gives up at
the first failed send (the channel that refused it will not be asked again every two seconds).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from nwow.tasks import stop_task

__all__ = ["TypingIndicator"]

logger = logging.getLogger(__name__)

DEFAULT_DELAY: Final = 0.5
DEFAULT_PERIOD: Final = 2.0
DEFAULT_SEND_TIMEOUT: Final = 5.0


class TypingIndicator(Middleware):  # type: ignore[misc]
    """Sends a typing activity `delay` seconds into a message turn, then every `period`, until it ends."""

    def __init__(
        self,
        delay: float = DEFAULT_DELAY,
        period: float = DEFAULT_PERIOD,
        send_timeout: float = DEFAULT_SEND_TIMEOUT,
    ) -> None:
        if delay < 0 or period <= 0 or send_timeout <= 0:
            raise ValueError("need delay >= 0, period > 0 and send_timeout > 0")
        self._delay = delay
        self._period = period
        self._send_timeout = send_timeout

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[Any]]) -> Any:
        if context.activity.type != ActivityTypes.message:
            return await logic()
        task = asyncio.create_task(self._indicate(context), name="typing-indicator")
        try:
            return await logic()
        finally:
            await stop_task(task)

    async def _indicate(self, context: TurnContext) -> None:
        await asyncio.sleep(self._delay)
        while True:
            typing = TurnContext.apply_conversation_reference(
                Activity(type=ActivityTypes.typing, relates_to=context.activity.relates_to),
                TurnContext.get_conversation_reference(context.activity),
            )
            try:
                async with asyncio.timeout(self._send_timeout):
                    await context.adapter.send_activities(context, [typing])
            except Exception as exc:
                logger.debug(
                    "typing indicator stopped: %s",
                    type(exc).__name__,
                    extra={"activity_id": context.activity.id, "event": "typing.stopped"},
                )
                return
            await asyncio.sleep(self._period)
