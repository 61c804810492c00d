"""Who is talking, as the stores see it: a keyed pseudonym, never the name."""

from __future__ import annotations

from botbuilder.schema import Activity

from nwow.feedback.pseudonym import pseudonymize


def aad_object_id(activity: Activity) -> str:
    """The user's Entra (AAD) object id when the channel gives one, else the channel's user id."""
    sender = activity.from_property
    if sender is None:
        return ""
    return (getattr(sender, "aad_object_id", None) or sender.id or "").lower()


def user_key_for(activity: Activity, key: bytes) -> str:
    return pseudonymize(aad_object_id(activity), key)


def submission_id(activity: Activity) -> str:
    """What a stored vote, survey or unanswered question is keyed on: the channel's id for this activity
    in its conversation. A retry of the activity (or of its turn) carries the same one, so the store keeps
    it once."""
    conversation = activity.conversation.id if activity.conversation else ""
    return f"{conversation}|{activity.id or ''}"
