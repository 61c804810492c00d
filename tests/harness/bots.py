"""A tiny bot for plumbing tests: records every turn, echoes messages, answers invokes."""

from __future__ import annotations

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import Activity


class RecordingBot(ActivityHandler):  # type: ignore[misc]
    """Echoes "echo: <text>"; text "boom" raises inside the turn. `turns` and `resource_ids` record it all."""

    def __init__(self) -> None:
        super().__init__()
        self.turns: list[Activity] = []
        self.resource_ids: list[str | None] = []

    async def on_turn(self, turn_context: TurnContext) -> None:
        self.turns.append(turn_context.activity)
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        if turn_context.activity.text == "boom":
            raise RuntimeError("the bot broke")
        response = await turn_context.send_activity(f"echo: {turn_context.activity.text}")
        self.resource_ids.append(response.id if response else None)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        return InvokeResponse(status=200, body={"invoked": turn_context.activity.name})
