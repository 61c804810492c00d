"""Activity dicts as the Bot Connector sends them (Teams shape)."""

from __future__ import annotations

import itertools
from typing import Any

_ids = itertools.count(1)


def message_activity(
    service_url: str,
    text: str | None = "hello",
    *,
    conversation_id: str = "a:conversation-1",
    activity_id: str | None = None,
    channel_id: str = "msteams",
    user_id: str = "29:user-1",
    bot_id: str = "28:bot",
    **extra: Any,
) -> dict[str, Any]:
    activity: dict[str, Any] = {
        "type": "message",
        "id": activity_id or f"activity-{next(_ids)}",
        "timestamp": "2026-11-23T12:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": channel_id,
        "from": {"id": user_id, "name": "Test User", "aadObjectId": "00000000-0000-0000-0000-000000000001"},
        "conversation": {"id": conversation_id, "conversationType": "personal", "tenantId": "tenant-1"},
        "recipient": {"id": bot_id, "name": "NWOW"},
        "text": text,
        "locale": "en-US",
        "channelData": {"tenant": {"id": "tenant-1"}},
    }
    activity.update(extra)
    return activity
