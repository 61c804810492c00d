"""What the conversation layer asks of proactive messaging: keep a user's address, forget it, send a
message privately, queue messages for later delivery."""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from botbuilder.schema import Activity

from bot.proactive.addresses import member_address, personal_address
from bot.proactive.dispatcher import OutboxDispatcher
from nwow.outbox import Address, AddressBook, OutboxMessage, OutboxStore

__all__ = ["Proactive"]

logger = logging.getLogger(__name__)

KIND_PRIVATE: Final = "private-reply"


class Proactive:
    """Addresses and the outbox, for the conversation layer.

    `remember_personal` runs on every activity of a personal chat; it writes only when the address is new
    or changed since this process last wrote it (an in-process cache with a time to live), so a busy chat
    costs no database write per message.
    """

    def __init__(
        self,
        addresses: AddressBook,
        outbox: OutboxStore,
        dispatcher: OutboxDispatcher | None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        cache_seconds: float = 600.0,
        cache_size: int = 20_000,
    ) -> None:
        self._addresses = addresses
        self._outbox = outbox
        self._dispatcher = dispatcher
        self._clock = clock
        self._cache_seconds = cache_seconds
        self._cache_size = cache_size
        self._written: OrderedDict[str, tuple[Address, datetime]] = OrderedDict()

    async def remember_personal(self, user_key: str, activity: Activity) -> None:
        """Keep the address of the user's personal chat with the bot (from an activity in that chat)."""
        address = personal_address(activity)
        if address is None or not user_key:
            return
        now = self._clock()
        cached = self._written.get(user_key)
        if (
            cached is not None
            and cached[0] == address
            and (now - cached[1]).total_seconds() < self._cache_seconds
        ):
            return
        await self._addresses.remember(user_key, address, kind="user", now=now)
        self._written[user_key] = (address, now)
        self._written.move_to_end(user_key)
        while len(self._written) > self._cache_size:
            self._written.popitem(last=False)

    async def forget(self, user_key: str) -> None:
        """Forget the user's address and drop what still waits for them (app removed, data deleted)."""
        self._written.pop(user_key, None)
        await self._addresses.forget(user_key)
        await self._outbox.cancel(user_key, self._clock())

    async def send_privately(
        self, user_key: str, activity: Activity, payloads: Sequence[Mapping[str, Any]]
    ) -> bool:
        """Queue `payloads` for the user's personal chat (opened if the bot has none with them yet), once
        per incoming activity; False when the activity does not say enough to reach its sender."""
        member = member_address(activity)
        if member is None or not user_key:
            return False
        now = self._clock()
        # A personal chat the bot knows is kept; a user met only in groups gets what opens one.
        await self._addresses.remember(user_key, member, kind="user", now=now, replace=False)
        origin = _digest(f"{activity.conversation.id if activity.conversation else ''}|{activity.id or ''}")
        messages = [
            OutboxMessage(
                key=f"{KIND_PRIVATE}:{origin}:{number}",
                kind=KIND_PRIVATE,
                recipient=user_key,
                payload=payload,
                not_before=now,
            )
            for number, payload in enumerate(payloads)
        ]
        await self.queue(messages)
        return True

    async def queue(self, messages: Sequence[OutboxMessage]) -> int:
        """Queue messages (each key once, ever); the number queued now. The sender is woken."""
        queued = await self._outbox.enqueue(messages, self._clock())
        if queued and self._dispatcher is not None:
            self._dispatcher.wake()
        return queued


def _digest(text: str) -> str:
    # The outbox key names the incoming activity without keeping its ids.
    return hashlib.sha256(text.encode()).hexdigest()[:32]
