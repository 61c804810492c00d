"""A turn that fails leaves nothing running behind it: no typing indicator keeps posting to the channel."""

from __future__ import annotations

import asyncio

from tests.e2e.conftest import Chat

# Longer than the indicator's first delay (0.5 s) plus one period (2 s): a leftover indicator posts within it.
QUIET_WINDOW = 3.0


async def test_failed_turns_leave_no_typing_indicator_posting(chat: Chat) -> None:
    connector = chat.connector
    turns = 5
    # Every reply and every apology is refused: each turn fails, and so does its error handler.
    connector.fail_next(500, times=2 * turns)
    for number in range(turns):
        status = await chat.post(chat.activity("wat is mfa", conversation_id=f"a:failing-{number}"))
        assert status in (200, 201)
    settled = len(await connector.wait_for_requests(2 * turns))

    await asyncio.sleep(QUIET_WINDOW)  # an observation window, not synchronisation: nothing may arrive in it

    assert connector.requests[settled:] == []
