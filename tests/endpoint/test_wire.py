"""bot.transport.wire gives exactly what msrest gives, on the activities Teams sends and the replies bots build."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest
from azure.core.exceptions import DeserializationError
from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    CardAction,
    ChannelAccount,
    ConversationParameters,
    ConversationResourceResponse,
    HeroCard,
    Mention,
    SuggestedActions,
)
from msrest.serialization import Model

from bot.transport.wire import model_from_json, model_to_json

SERVICE_URL = "https://smba.trafficmanager.net/emea/"
TEAMS_MESSAGE: dict[str, Any] = {
    "text": "<at>NWOW</at> how do I reset my password?",
    "textFormat": "plain",
    "attachments": [{"contentType": "text/html", "content": "<div><at>NWOW</at> how do I reset</div>"}],
    "type": "message",
    "timestamp": "2026-11-23T12:00:01.1234567Z",
    "localTimestamp": "2026-11-23T13:00:01.1234567+01:00",
    "id": "1732363201123",
    "channelId": "msteams",
    "serviceUrl": SERVICE_URL,
    "from": {"id": "29:1abc", "name": "Agent Peeters", "aadObjectId": "0f0e-aad"},
    "conversation": {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": "tenant-1",
        "id": "19:abc@thread.tacv2;messageid=1732363201123",
    },
    "recipient": {"id": "28:bot-id", "name": "NWOW"},
    "entities": [
        {"mentioned": {"id": "28:bot-id", "name": "NWOW"}, "text": "<at>NWOW</at>", "type": "mention"},
        {
            "locale": "nl-BE",
            "country": "BE",
            "platform": "Web",
            "timezone": "Europe/Brussels",
            "type": "clientInfo",
        },
    ],
    "channelData": {
        "teamsChannelId": "19:abc@thread.tacv2",
        "teamsTeamId": "19:team@thread.tacv2",
        "channel": {"id": "19:abc@thread.tacv2"},
        "team": {"id": "19:team@thread.tacv2"},
        "tenant": {"id": "tenant-1"},
    },
    "locale": "nl-BE",
    "localTimezone": "Europe/Brussels",
}
INBOUND: dict[str, dict[str, Any]] = {
    "teams-channel-message": TEAMS_MESSAGE,
    "conversation-update": {
        "type": "conversationUpdate",
        "membersAdded": [{"id": "28:bot-id"}, {"id": "29:1abc", "aadObjectId": "aad"}],
        "timestamp": "2026-11-23T12:00:00Z",
        "id": "f:1",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "from": {"id": "29:1abc"},
        "conversation": {"conversationType": "personal", "tenantId": "t", "id": "a:1"},
        "recipient": {"id": "28:bot-id", "name": "NWOW"},
        "channelData": {"tenant": {"id": "t"}},
    },
    "installation-update": {
        "type": "installationUpdate",
        "action": "add",
        "id": "f:2",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "conversation": {"id": "a:1"},
        "from": {"id": "29:1abc"},
        "recipient": {"id": "28:bot-id"},
    },
    "invoke-card-action": {
        "type": "invoke",
        "name": "adaptiveCard/action",
        "value": {
            "action": {"type": "Action.Execute", "verb": "feedback", "data": {"action": "vote", "n": 1}}
        },
        "id": "f:3",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "conversation": {"id": "a:1"},
        "from": {"id": "29:1abc"},
        "recipient": {"id": "28:bot-id"},
        "replyToId": "1:abc",
    },
    "reaction": {
        "type": "messageReaction",
        "reactionsAdded": [{"type": "like"}],
        "replyToId": "1:abc",
        "id": "f:4",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "conversation": {"id": "a:1"},
        "from": {"id": "29:1abc"},
        "recipient": {"id": "28:bot-id"},
    },
    "unknown-keys-and-nulls": {
        "type": "message",
        "text": None,
        "someFutureField": {"x": [1, 2]},
        "conversation": {"id": "a:1", "brandNew": True},
        "suggestedActions": {"to": ["29:1"], "actions": [{"type": "imBack", "title": "Yes", "value": "yes"}]},
        "textHighlights": [{"text": "x", "occurrence": 1}],
        "semanticAction": {"id": "s", "entities": {"e": {"type": "thing"}}, "state": "start"},
        "listenFor": ["a", None],
        "importance": "high",
        "expiration": "2026-12-01T00:00:00+00:00",
    },
}


def _typed(value: Any) -> Any:
    """JSON data with each leaf tagged by its exact type (a str Enum equals its value, but is not one)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _state(value: Any) -> Any:
    """A comparable picture of a model tree: class names, attributes, additional properties."""
    if isinstance(value, Model):
        return (type(value).__name__, {k: _state(v) for k, v in vars(value).items()})
    if isinstance(value, dict):
        return {k: _state(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_state(v) for v in value]
    return value


@pytest.mark.parametrize("name", list(INBOUND))
def test_inbound_activities_load_exactly_as_msrest_loads_them(name: str) -> None:
    data = INBOUND[name]

    fast = model_from_json(Activity, copy.deepcopy(data))
    reference = Activity.deserialize(copy.deepcopy(data))

    assert _state(fast) == _state(reference)


@pytest.mark.parametrize(
    "data",
    [
        {"type": "message", "from": "someone"},
        {"type": "message", "conversation": 5},
        {"type": "message", "entities": "x"},
        {"type": "message", "timestamp": "not a date"},
    ],
    ids=["from-string", "conversation-number", "entities-string", "bad-timestamp"],
)
def test_ill_typed_activities_fail_as_msrest_fails(data: dict[str, Any]) -> None:
    with pytest.raises(DeserializationError):
        Activity.deserialize(copy.deepcopy(data))
    with pytest.raises(DeserializationError):
        model_from_json(Activity, data)


def test_values_msrest_coerces_are_coerced_the_same() -> None:
    data = {"type": 5, "textFormat": True, "serviceUrl": SERVICE_URL}

    assert _state(model_from_json(Activity, dict(data))) == _state(Activity.deserialize(dict(data)))


def _replies() -> dict[str, Activity]:
    incoming = Activity.deserialize(copy.deepcopy(TEAMS_MESSAGE))
    reference = TurnContext.get_conversation_reference(incoming)
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Hallo"}]}
    with_card = MessageFactory.attachment(CardFactory.adaptive_card(card))
    hero = MessageFactory.attachment(CardFactory.hero_card(HeroCard(title="Kantoor", subtitle="Brussel")))
    mention = MessageFactory.text("<at>Agent</at> hier is het")
    mention.entities = [
        Mention(mentioned=ChannelAccount(id="29:1abc", name="Agent"), text="<at>Agent</at>", type="mention")
    ]
    suggested = MessageFactory.text("Kies")
    suggested.suggested_actions = SuggestedActions(
        actions=[CardAction(type="imBack", title="Ja", value="ja"), CardAction(type="imBack", title="Nee")]
    )
    typing = Activity(type=ActivityTypes.typing)
    timed = MessageFactory.text("tijd")
    timed.timestamp = datetime.datetime(2026, 11, 23, 12, 0, 1, 123456, tzinfo=datetime.UTC)
    odd_object = MessageFactory.text("odd")
    odd_object.channel_data = {"notification": {"alert": True}, 1: "int key", "nested": [None, 1.5, "x"]}
    replies = {
        "text": MessageFactory.text("echo"),
        "adaptive-card": with_card,
        "hero-card-model-in-object": hero,
        "mention": mention,
        "suggested-actions": suggested,
        "typing-enum-type": typing,
        "timestamp": timed,
        "odd-object": odd_object,
    }
    for activity in replies.values():
        TurnContext.apply_conversation_reference(activity, reference)
    return replies


@pytest.mark.parametrize("name", list(_replies()))
def test_replies_dump_exactly_as_msrest_dumps_them(name: str) -> None:
    activity = _replies()[name]

    assert _typed(model_to_json(activity)) == _typed(activity.serialize())


def test_conversation_parameters_and_responses_round_trip_like_msrest() -> None:
    parameters = ConversationParameters(
        bot=ChannelAccount(id="28:bot"),
        members=[ChannelAccount(id="29:user")],
        tenant_id="tenant-1",
        activity=MessageFactory.text("Digest"),
        channel_data={"tenant": {"id": "tenant-1"}},
        is_group=False,
    )
    payload = {"id": "a:new", "activityId": "1:x", "serviceUrl": SERVICE_URL}

    assert _typed(model_to_json(parameters)) == _typed(parameters.serialize())
    assert _state(model_from_json(ConversationResourceResponse, dict(payload))) == _state(
        ConversationResourceResponse.deserialize(dict(payload))
    )


def test_a_conversation_reference_round_trips() -> None:
    incoming = Activity.deserialize(copy.deepcopy(TEAMS_MESSAGE))
    reference = TurnContext.get_conversation_reference(incoming)

    assert _typed(model_to_json(reference)) == _typed(reference.serialize())


def test_a_model_where_msrest_is_needed_falls_back() -> None:
    broken = MessageFactory.text("x")
    broken.conversation = {"id": "a dict, not a ConversationAccount"}

    with pytest.raises(Exception) as fast_error:
        model_to_json(broken)
    with pytest.raises(Exception) as msrest_error:
        broken.serialize()
    assert type(fast_error.value) is type(msrest_error.value)
