"""A turn's replies, saved in the same transaction as its state, for a redelivery after its replica died.

A turn saves its state and then sends its replies (bot/turn/retry.py). A replica that dies between the two
(SIGKILL, a lost node) leaves the state advanced and the replies unsent; the channel redelivers the activity,
another replica takes the claim over (bot/turn/sql_dedupe.py), and running the turn again on the advanced
state would answer something else: a survey submit whose answers were stored and whose dialog ended would
show the form again instead of the thanks. So `save_states` writes the turn's replies under
`outbox_key(conversation id, activity id)` in the one state transaction, and a turn whose claim was taken
over first looks there: when the outbox is found, the turn had completed, and its replies are sent (again:
the user may see a reply twice if the replica died after sending it) instead of running the turn.

Invoke turns keep no outbox (their invoke response is not an activity that can be stored and replayed);
they run again. Outboxes are deleted with the claim's "done" mark, and old ones with the claims' purge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes

__all__ = ["OUTBOX_PREFIX", "outbox_document", "outbox_key", "saved_replies"]

OUTBOX_PREFIX: Final = "nwow/outbox/"
_REPLIES: Final = "replies"


def outbox_key(conversation_id: str, activity_id: str) -> str:
    return f"{OUTBOX_PREFIX}{conversation_id}|{activity_id}"


def outbox_key_of(context: TurnContext) -> str | None:
    """The outbox key of this turn's activity, or None when it keeps no outbox (no ids, an invoke)."""
    activity = context.activity
    if activity.type == ActivityTypes.invoke or not activity.id or not activity.conversation:
        return None
    if not activity.conversation.id:
        return None
    return outbox_key(activity.conversation.id, activity.id)


def outbox_document(replies: Sequence[Activity]) -> dict[str, Any]:
    """The stored form of a turn's replies (the Bot Framework wire format of each activity)."""
    return {_REPLIES: [reply.serialize() for reply in replies]}


def saved_replies(document: object) -> list[Activity]:
    """The replies of an outbox document written by `outbox_document`."""
    stored = document.get(_REPLIES) if isinstance(document, Mapping) else None
    if not isinstance(stored, list):
        return []
    return [Activity().deserialize(reply) for reply in stored if isinstance(reply, Mapping)]
