"""Who is an NWOW ambassador, and where the ambassadors' team is.

An ambassador is a member of the ambassadors' team: an activity that comes from a channel of the team whose
id is `NWOW_AMBASSADOR_TEAM_ID` (Teams sends it only for members, and vouches for the team in
`channelData`), or a user whose Entra object id is in `NWOW_AMBASSADOR_MEMBERS` (DRI members count too).
Nobody else can take or answer a question. Both checks accept only Teams (`msteams`) activities.

The team's address (service URL, bot id, tenant) is kept from any activity in the team, under one address
book key; a channel's address is the team's with the channel's id as conversation id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final

from botbuilder.schema import Activity

from bot.conversation.digest import team_id_of
from bot.conversation.identity import TEAMS_CHANNEL, entra_object_id
from bot.proactive.addresses import tenant_of
from bot.settings import Settings
from nwow.outbox import Address, AddressBook
from nwow.tickets import Ambassador

__all__ = ["TEAM_KEY", "AmbassadorTeam", "ambassador_of", "channel_key", "is_ambassador"]

logger = logging.getLogger(__name__)

TEAM_KEY: Final = "ambassadors:team"


def channel_key(channel_id: str) -> str:
    """The address-book key of a channel of the ambassadors' team."""
    return f"channel:{channel_id}"


def _in_team(activity: Activity, settings: Settings) -> bool:
    return bool(
        settings.ambassador_team_id
        and activity.channel_id == TEAMS_CHANNEL
        and team_id_of(activity) == settings.ambassador_team_id
    )


def is_ambassador(activity: Activity, settings: Settings) -> bool:
    if _in_team(activity, settings):
        return True
    user = entra_object_id(activity)
    return user is not None and (user in settings.ambassador_members or user in settings.dri_members)


def ambassador_of(activity: Activity, settings: Settings) -> Ambassador | None:
    """The ambassador behind `activity` (their Entra object id and display name), or None."""
    if not is_ambassador(activity, settings) or activity.from_property is None:
        return None
    identity = entra_object_id(activity) or (activity.from_property.id or "").lower()
    if not identity:
        return None
    name = (activity.from_property.name or "").strip()[:200] or identity
    return Ambassador(identity, name)


class AmbassadorTeam:
    """The ambassadors' team's address, kept from its activities (written once per process and change)."""

    def __init__(
        self,
        settings: Settings,
        addresses: AddressBook,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._settings = settings
        self._addresses = addresses
        self._clock = clock
        self._known: Address | None = None

    def team_activity(self, activity: Activity) -> bool:
        return _in_team(activity, self._settings)

    async def remember(self, activity: Activity) -> bool:
        """Keep the team's address from one of its activities; True when it is new to this process."""
        if not self.team_activity(activity) or not activity.service_url or activity.recipient is None:
            return False
        address = Address(
            service_url=activity.service_url,
            channel_id=activity.channel_id or TEAMS_CHANNEL,
            bot_id=activity.recipient.id or "",
            conversation_id=self._settings.ambassador_team_id,
            tenant_id=tenant_of(activity),
        )
        if not address.bot_id or address == self._known:
            return False
        await self._addresses.remember(TEAM_KEY, address, kind="channel", now=self._clock())
        self._known = address
        logger.info("ambassadors' team address kept", extra={"event": "tickets.team"})
        return True

    async def channel(self, channel_id: str) -> str | None:
        """The address-book key of a channel of the team, kept from the team's address; None while the
        bot has not met the team yet."""
        found = (await self._addresses.lookup([TEAM_KEY])).get(TEAM_KEY)
        if found is None:
            return None
        key = channel_key(channel_id)
        await self._addresses.remember(
            key, found.with_conversation(channel_id), kind="channel", now=self._clock()
        )
        return key
