"""Who is talking, as the stores and the role checks see it: a keyed pseudonym, never the name."""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

from botbuilder.schema import Activity

from nwow.feedback.pseudonym import pseudonymize

# The only channel whose user ids are Entra object ids vouched for by the channel's token.
TEAMS_CHANNEL: Final = "msteams"


def _sender_id(activity: Activity) -> str:
    """Who the user is, as their data is kept: on Teams their Entra object id (the channel vouches for it;
    the channel's user id when there is none), on any other channel that channel's user id, named with the
    channel. Elsewhere `from` is what the client says (Web Chat, Direct Line), so a client that puts a
    colleague's Entra object id in it gets a key of its own, never the colleague's data."""
    sender = activity.from_property
    if sender is None:
        return ""
    if activity.channel_id == TEAMS_CHANNEL:
        return (getattr(sender, "aad_object_id", None) or sender.id or "").lower()
    if not sender.id:
        return ""
    return f"{activity.channel_id or 'unknown'}:{sender.id}".lower()


def entra_object_id(activity: Activity) -> str | None:
    """The sender's Entra object id, only from Teams (`from.aadObjectId` on the msteams channel).

    Roles (DRI, ambassadors) are granted on this id alone: on other channels (Web Chat, Direct Line) the
    caller chooses `from.id` freely, so it never stands in for it.
    """
    if activity.channel_id != TEAMS_CHANNEL or activity.from_property is None:
        return None
    value = getattr(activity.from_property, "aad_object_id", None)
    return value.lower() if isinstance(value, str) and value.strip() else None


def user_key_for(activity: Activity, key: bytes) -> str:
    """The keyed pseudonym that the user's feedback, preferences and address are kept under."""
    return pseudonymize(_sender_id(activity), key)


def contact_id(activity: Activity) -> str:
    """The id an ambassador may contact the user by (stored only when the user ticks that they may)."""
    return _sender_id(activity)


def submission_id(activity: Activity, key: bytes) -> str:
    """What a stored vote, survey or unanswered question is keyed on, so the store keeps it once: a keyed
    hash of the channel's ids for this activity in its conversation. A retry of the activity (or of its
    turn) gives the same one; it cannot be traced back to the conversation without the key."""
    conversation = activity.conversation.id if activity.conversation else ""
    message = f"submission|{conversation}|{activity.id or ''}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
