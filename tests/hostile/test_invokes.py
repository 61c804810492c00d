"""adaptiveCard/action invokes the SDK refuses get its 400 answer in the Adaptive Card error shape (its own
answer carried an Exception that could not be serialised: HTTP 500), on the real bot."""

from __future__ import annotations

from typing import Any

import pytest

from tests.hostile.conftest import chat_message, new_conversation
from tests.hostile.served import BotProcess, ConnectorThread


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ({"verb": "x", "unknownField": 1}, "BadRequest"),  # not an AdaptiveCardInvokeValue
        ({"trigger": "manual"}, "BadRequest"),  # no action
        ({"action": {"type": "Action.Submit", "verb": "x"}}, "NotSupported"),
    ],
)
def test_a_malformed_adaptive_card_action_gets_a_400_in_the_error_shape(
    value: dict[str, Any], code: str, hostile_bot: BotProcess, connector: ConnectorThread
) -> None:
    invoke = chat_message(
        connector.base_url, None, new_conversation(), type="invoke", name="adaptiveCard/action"
    )
    invoke["value"] = value

    answer = hostile_bot.post(invoke)

    assert answer.status == 400
    body = answer.json()
    assert body["statusCode"] == 400
    assert body["type"] == "application/vnd.microsoft.error"
    assert body["value"]["code"] == code
    assert isinstance(body["value"]["message"], str)


def test_an_invoke_the_bot_does_not_implement_gets_501_not_a_crash(
    hostile_bot: BotProcess, connector: ConnectorThread
) -> None:
    invoke = chat_message(
        connector.base_url, None, new_conversation(), type="invoke", name="adaptiveCard/action"
    )
    invoke["value"] = {"action": {"type": "Action.Execute", "verb": "refresh", "data": {}}}
    log_before = len(hostile_bot.log_lines())

    answer = hostile_bot.post(invoke)

    assert answer.status == 501  # the Bot Framework's answer for an invoke a bot has no handler for
    assert [r for r in hostile_bot.log_records()[log_before:] if r.get("level") == "ERROR"] == []
