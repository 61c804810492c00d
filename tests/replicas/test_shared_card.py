"""`card_attachment` / `card_message`: the same wire JSON as the SDK's factories, without its deep copies."""

from __future__ import annotations

import copy

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.cards.message import card_attachment, card_message

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Hallo"}]}
INCOMING = Activity(
    type="message",
    id="a1",
    service_url="http://127.0.0.1:1",
    channel_id="msteams",
    conversation=ConversationAccount(id="c1"),
    from_property=ChannelAccount(id="u1"),
    recipient=ChannelAccount(id="b1"),
)


def addressed_copy(reply: Activity) -> Activity:
    """What sending `reply` in answer to `INCOMING` does: a deep copy, addressed to that conversation."""
    return TurnContext.apply_conversation_reference(
        copy.deepcopy(reply), TurnContext.get_conversation_reference(INCOMING)
    )


def test_the_attachment_serialises_like_the_sdks() -> None:
    ours = MessageFactory.attachment(card_attachment(CARD)).serialize()
    sdk = MessageFactory.attachment(CardFactory.adaptive_card(CARD)).serialize()
    assert ours == sdk


def test_a_deep_copy_of_the_reply_shares_the_card_but_not_the_activity() -> None:
    reply = MessageFactory.attachment(card_attachment(CARD))
    copied = addressed_copy(reply)
    assert copied is not reply and copied.conversation.id == "c1" and reply.conversation is None
    assert copied.attachments is not reply.attachments
    assert copied.attachments[0] is reply.attachments[0]


def test_the_message_serialises_like_the_sdks_and_its_copy_is_addressed_alone() -> None:
    assert (
        card_message(CARD).serialize()
        == MessageFactory.attachment(CardFactory.adaptive_card(CARD)).serialize()
    )
    reply = card_message(CARD)
    copied = addressed_copy(reply)
    assert copied is not reply and copied.conversation.id == "c1" and copied.reply_to_id == "a1"
    assert reply.conversation is None and reply.reply_to_id is None and reply.service_url is None
