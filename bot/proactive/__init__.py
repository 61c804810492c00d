"""Proactive messages: what the bot sends when nobody has just written to it.

One mechanism for all of them (answers sent privately from a group chat, an ambassador's answer, a pulse,
a reminder): the address of each recipient is kept (`addresses.py`), a message is queued once in the
database outbox (`nwow.outbox`), and one replica at a time delivers the queue through the Bot Connector
within Teams' rate limits, honouring 429 and Retry-After, retrying what failed for a passing reason and
giving up on recipients who removed the app (`dispatcher.py`, `sender.py`). `Proactive` (`service.py`) is
what the conversation layer calls.
"""

from bot.proactive.dispatcher import OutboxDispatcher
from bot.proactive.payloads import card_payload, text_payload
from bot.proactive.sender import ConnectorSender, SendResult
from bot.proactive.service import Proactive

__all__ = [
    "ConnectorSender",
    "OutboxDispatcher",
    "Proactive",
    "SendResult",
    "card_payload",
    "text_payload",
]
