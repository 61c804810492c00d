"""Where a recipient can be reached: a conversation on a channel, as the channel described it.

A user's address is kept under their pseudonymous key (the same key their feedback is kept under), so that
an ambassador's answer or a pulse can reach them later. It holds the channel's technical ids (service URL,
conversation id, the channel's user id), never a name. An address without a conversation id is a user the
bot has only met in a team or group chat: a personal conversation is opened with them on the first send.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

__all__ = ["Address", "AddressBook", "AddressKind"]

AddressKind = Literal["user", "channel"]


@dataclass(frozen=True)
class Address:
    service_url: str
    channel_id: str
    bot_id: str
    conversation_id: str | None = None
    tenant_id: str | None = None
    user_id: str | None = None
    locale: str | None = None

    @property
    def needs_conversation(self) -> bool:
        """No conversation yet: the sender must open a personal one with `user_id` first."""
        return not self.conversation_id

    def with_conversation(self, conversation_id: str) -> Address:
        return Address(**{**asdict(self), "conversation_id": conversation_id})

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Address:
        data: dict[str, Any] = json.loads(text)
        return cls(
            service_url=str(data["service_url"]),
            channel_id=str(data["channel_id"]),
            bot_id=str(data["bot_id"]),
            conversation_id=data.get("conversation_id"),
            tenant_id=data.get("tenant_id"),
            user_id=data.get("user_id"),
            locale=data.get("locale"),
        )


class AddressBook(Protocol):
    """Addresses by recipient key (a user's pseudonym, or a name for a channel)."""

    async def remember(
        self, key: str, address: Address, *, kind: AddressKind, now: datetime, replace: bool = True
    ) -> None:
        """Keep `address` for `key`. With `replace=False` an address already kept is left as it is (a
        personal chat the bot knows is never replaced by a mere membership seen in a group)."""
        ...

    async def lookup(self, keys: Sequence[str]) -> dict[str, Address]:
        """The kept addresses of those of `keys` that have one."""
        ...

    async def forget(self, key: str) -> bool:
        """Drop the address of `key` (the user removed the app, or asked to delete their data)."""
        ...

    async def recipients(self, kind: AddressKind, *, after: str = "", limit: int = 1000) -> list[str]:
        """Keys of `kind` with an address, in key order, after `after` (for paging through 50,000 users)."""
        ...
