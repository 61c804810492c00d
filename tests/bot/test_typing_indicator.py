"""The typing indicator runs while a message turn runs and stops when the turn ends, however it ends."""

from __future__ import annotations

import asyncio

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from bot.turn.typing import TypingIndicator


class RecordingAdapter(TestAdapter):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Activity] = []
        self.typing_seen = asyncio.Event()

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[object]:
        self.sent.extend(activities)
        if any(a.type == ActivityTypes.typing for a in activities):
            self.typing_seen.set()
        return []


def _message() -> Activity:
    return Activity(
        type=ActivityTypes.message,
        id="activity-1",
        text="hallo",
        channel_id="msteams",
        service_url="http://127.0.0.1:1",
        conversation=ConversationAccount(id="conversation-1"),
        from_property=ChannelAccount(id="user-1"),
        recipient=ChannelAccount(id="bot"),
    )


async def _run(adapter: RecordingAdapter, logic: object) -> None:
    context = TurnContext(adapter, _message())
    await adapter.run_pipeline(context, logic)


async def test_typing_is_shown_while_a_slow_turn_runs() -> None:
    adapter = RecordingAdapter()
    adapter.use(TypingIndicator(delay=0.0, period=0.01))

    async def slow_turn(_context: TurnContext) -> None:
        await adapter.typing_seen.wait()

    await asyncio.wait_for(_run(adapter, slow_turn), timeout=5)
    assert any(a.type == ActivityTypes.typing for a in adapter.sent)


async def test_typing_stops_when_the_turn_raises() -> None:
    adapter = RecordingAdapter()
    adapter.use(TypingIndicator(delay=0.0, period=0.01))
    errors: list[Exception] = []

    async def on_error(_context: TurnContext, error: Exception) -> None:
        errors.append(error)

    adapter.on_turn_error = on_error

    async def failing_turn(_context: TurnContext) -> None:
        await adapter.typing_seen.wait()
        raise RuntimeError("the database blinked")

    await asyncio.wait_for(_run(adapter, failing_turn), timeout=5)
    assert [type(e) for e in errors] == [RuntimeError]
    sent_at_end = len(adapter.sent)
    # An observation window, not synchronisation: nothing may be sent in the next twenty periods (the
    # SDK's middleware would have sent about twenty more).
    await asyncio.sleep(0.2)
    assert len(adapter.sent) == sent_at_end


async def test_a_refused_typing_send_is_not_repeated() -> None:
    adapter = RecordingAdapter()
    calls = 0
    refused = asyncio.Event()

    async def refusing(_context: TurnContext, _activities: list[Activity]) -> list[object]:
        nonlocal calls
        calls += 1
        refused.set()
        raise ConnectionError("the connector said 503")

    adapter.send_activities = refusing  # type: ignore[method-assign,assignment]
    adapter.use(TypingIndicator(delay=0.0, period=0.01))

    async def slow_turn(_context: TurnContext) -> None:
        await refused.wait()
        # An observation window, not synchronisation: twenty more periods without another attempt.
        await asyncio.sleep(0.2)

    await asyncio.wait_for(_run(adapter, slow_turn), timeout=5)
    assert calls == 1


def test_nonsense_timings_are_refused() -> None:
    with pytest.raises(ValueError):
        TypingIndicator(period=0)
