"""The bot's per-user state, kept under the user's pseudonym instead of the channel's raw user id."""

from __future__ import annotations

from botbuilder.core import Storage, TurnContext, UserState

from bot.conversation.identity import user_key_for

__all__ = ["PseudonymousUserState"]


class PseudonymousUserState(UserState):  # type: ignore[misc]
    """UserState whose storage key is `{channel}/users/{pseudonym}` (the SDK's uses the Teams user id)."""

    def __init__(self, storage: Storage, pseudonym_key: bytes) -> None:
        super().__init__(storage)
        self._pseudonym_key = pseudonym_key

    def get_storage_key(self, turn_context: TurnContext) -> str:
        activity = turn_context.activity
        if not activity.channel_id:
            raise TypeError("invalid activity: missing channel_id")
        if not activity.from_property or not activity.from_property.id:
            raise TypeError("invalid activity: missing from.id")
        return f"{activity.channel_id}/users/{user_key_for(activity, self._pseudonym_key)}"
