"""A turn's replies, saved in the same transaction as its state, for a redelivery after its replica died.

(Not the proactive-message outbox of nwow/outbox: these are the replies of one incoming turn.)

A turn saves its state and then sends its replies (bot/turn/retry.py). A replica that dies between the two
(SIGKILL, a lost node) leaves the state advanced and the replies unsent; the channel redelivers the activity,
another replica takes the claim over (bot/turn/sql_dedupe.py), and running the turn again on the advanced
state would answer something else: a survey submit whose answers were stored and whose dialog ended would
show the form again instead of the thanks. So `save_states` writes the turn's replies under
`replies_key(conversation id, activity id)` in the one state transaction, and a turn whose claim was taken
over first looks there: when they are found, the turn had completed, and its replies are sent (again:
the user may see a reply twice if the replica died after sending it) instead of running the turn.

Invoke turns keep no saved replies (their invoke response is not an activity that can be stored and
replayed); they run again. Saved replies are deleted with the claim's "done" mark, and old ones with the
claims' purge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes

__all__ = ["REPLIES_PREFIX", "replies_document", "replies_key", "replies_key_of", "saved_replies"]

REPLIES_PREFIX: Final = "nwow/turn-replies/"
_REPLIES: Final = "replies"


def replies_key(conversation_id: str, activity_id: str) -> str:
    return f"{REPLIES_PREFIX}{conversation_id}|{activity_id}"


def replies_key_of(context: TurnContext) -> str | None:
    """The key of this turn's saved replies, or None when it keeps none (no ids, an invoke)."""
    activity = context.activity
    if activity.type == ActivityTypes.invoke or not activity.id or not activity.conversation:
        return None
    if not activity.conversation.id:
        return None
    return replies_key(activity.conversation.id, activity.id)


def replies_document(replies: Sequence[Activity]) -> dict[str, Any]:
    """The stored form of a turn's replies (the Bot Framework wire format of each activity)."""
    return {_REPLIES: [reply.serialize() for reply in replies]}


def saved_replies(document: object) -> list[Activity]:
    """The replies of a document written by `replies_document`."""
    stored = document.get(_REPLIES) if isinstance(document, Mapping) else None
    if not isinstance(stored, list):
        return []
    return [Activity().deserialize(reply) for reply in stored if isinstance(reply, Mapping)]
