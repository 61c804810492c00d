"""Proactive messages: where each recipient can be reached, and a durable queue of what to send them.

The bot layer delivers them (bot/proactive/); this package only decides what is due, in plain Python:
`Address` and `AddressBook` (a user's personal chat, or a channel), `OutboxMessage` and `OutboxStore`
(queued once per idempotency key, claimed with a lease, settled as sent, gone, failed or due again), and
the rate limits that keep a campaign of 50,000 messages within what Teams accepts.
"""

from nwow.outbox.addresses import Address, AddressBook
from nwow.outbox.model import (
    Delivery,
    OutboxMessage,
    PendingMessage,
    Settlement,
)
from nwow.outbox.rate import ConversationPacer, TokenBucket
from nwow.outbox.store import LeaseStore, OutboxStore

__all__ = [
    "Address",
    "AddressBook",
    "ConversationPacer",
    "Delivery",
    "LeaseStore",
    "OutboxMessage",
    "OutboxStore",
    "PendingMessage",
    "Settlement",
    "TokenBucket",
]
