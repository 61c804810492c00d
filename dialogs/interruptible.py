"""The interruption every flow shares: "cancel" stops it and "help" explains it, at any step; any other
command ("topics", "my data", "feedback"...) ends the flow and is handed back to the bot to run."""

from __future__ import annotations

from botbuilder.dialogs import ComponentDialog, DialogContext, DialogTurnResult, DialogTurnStatus
from botbuilder.schema import ActivityTypes

from bot.conversation.commands import Command, lookup_command
from bot.strings import t
from nwow.language import detect_language


class InterruptibleDialog(ComponentDialog):  # type: ignore[misc]
    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        interrupted = await self.interrupt(inner_dc)
        if interrupted is not None:
            return interrupted
        result: DialogTurnResult = await super().on_continue_dialog(inner_dc)
        return result

    async def interrupt(self, inner_dc: DialogContext) -> DialogTurnResult | None:
        activity = inner_dc.context.activity
        if activity.type != ActivityTypes.message or not activity.text:
            return None
        found = lookup_command(activity.text)
        if found is None:
            return None
        lang = detect_language(activity.text, activity.locale)
        if found[0] is Command.CANCEL:
            await inner_dc.context.send_activity(t("common.cancelled", lang))
            cancelled: DialogTurnResult = await inner_dc.cancel_all_dialogs()
            return cancelled
        if found[0] is Command.HELP:
            await inner_dc.context.send_activity(t("common.flow_help", lang))
            return DialogTurnResult(DialogTurnStatus.Waiting)
        await inner_dc.cancel_all_dialogs()
        return DialogTurnResult(DialogTurnStatus.Complete, {"reroute": True})
