"""The address of the user behind an activity: their personal chat with the bot, or (in a team or group
chat) what is needed to open one."""

from __future__ import annotations

from botbuilder.schema import Activity

from nwow.outbox import Address

__all__ = ["member_address", "personal_address", "tenant_of"]


def tenant_of(activity: Activity) -> str | None:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
        return str(tenant["id"])
    conversation_tenant = getattr(activity.conversation, "tenant_id", None) if activity.conversation else None
    return conversation_tenant if isinstance(conversation_tenant, str) else None


def _base(activity: Activity) -> Address | None:
    if not activity.service_url or not activity.recipient or not activity.from_property:
        return None
    if not activity.recipient.id or not activity.from_property.id:
        return None
    return Address(
        service_url=activity.service_url,
        channel_id=activity.channel_id or "msteams",
        bot_id=activity.recipient.id,
        tenant_id=tenant_of(activity),
        user_id=activity.from_property.id,
        locale=activity.locale,
    )


def personal_address(activity: Activity) -> Address | None:
    """The sender's personal chat with the bot, from an activity in that chat (None if incomplete)."""
    base = _base(activity)
    if base is None or not activity.conversation or not activity.conversation.id:
        return None
    return base.with_conversation(activity.conversation.id)


def member_address(activity: Activity) -> Address | None:
    """What opens a personal chat with the sender of an activity in a team or group chat."""
    return _base(activity)
