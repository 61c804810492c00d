"""What the user actually typed in a Teams message: mentions of the bot removed, addressed or not."""

from __future__ import annotations

import html
import re
from typing import Any

from botbuilder.schema import Activity

# An opening or closing mention tag. `[^<>]*` (not `[^>]*`) keeps the scan linear: an attempt stops at the
# next "<", so "<at<at<at..." without ">" costs one pass, not one pass per "<at".
_AT_TAG = re.compile(r"</?at\b[^<>]*>", re.IGNORECASE)
_GROUP_CONVERSATIONS = frozenset({"channel", "groupchat"})


def _mentioned_id(entity: Any) -> str | None:
    props = getattr(entity, "additional_properties", None) or {}
    mentioned = props.get("mentioned") or {}
    value = mentioned.get("id") if isinstance(mentioned, dict) else None
    return value if isinstance(value, str) else None


def _mention_texts(activity: Activity, target_id: str) -> list[str]:
    texts: list[str] = []
    for entity in activity.entities or []:
        if (getattr(entity, "type", "") or "").lower() != "mention":
            continue
        if _mentioned_id(entity) == target_id:
            props = getattr(entity, "additional_properties", None) or {}
            text = props.get("text")
            if isinstance(text, str):
                texts.append(text)
    return texts


def mentions_bot(activity: Activity) -> bool:
    recipient = activity.recipient.id if activity.recipient else ""
    return bool(recipient and _mention_texts(activity, recipient))


def is_group_conversation(activity: Activity) -> bool:
    conversation_type = (activity.conversation.conversation_type or "") if activity.conversation else ""
    return conversation_type.lower() in _GROUP_CONVERSATIONS


def user_text(activity: Activity) -> str:
    """The message text without the bot's @mention, other mentions as the plain names, unescaped, trimmed.

    (TurnContext.remove_recipient_mention uses the mention's display name as a regular expression, which
    breaks on names with brackets or dots; this removes the exact mention text instead.) Tags of other
    mentions are dropped and their names kept, closed or not. Linear in the text, which the endpoint has
    already bounded (bot/transport/intake.py).
    """
    text = activity.text or ""
    recipient = activity.recipient.id if activity.recipient else ""
    for mention in _mention_texts(activity, recipient) if recipient else []:
        if mention:
            text = text.replace(mention, " ")
    text = _AT_TAG.sub("", text)
    return " ".join(html.unescape(text).split())
