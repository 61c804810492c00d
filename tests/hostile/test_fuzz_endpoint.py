"""Property-based fuzzing of POST /api/messages on the real bot (development mode, SQLite).

Random JSON shapes, huge strings, odd Unicode and wrong types in every activity field: the answer is never
a 5xx, nothing crashes (no ERROR in the bot's log), nothing sent to the user looks like a stack trace or an
exception, and /healthz is answered within 50 ms throughout (a prober on its own thread, from the first
example to the last; the worst latency is printed).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from typing import Any

import pytest
from botbuilder.schema import Activity
from hypothesis import given
from hypothesis import strategies as st

from tests.hostile.conftest import chat_message
from tests.hostile.served import BotProcess, ConnectorThread, probing
from tests.hostile.strategies import (
    FUZZ_SETTINGS,
    any_json,
    any_text,
    assert_handled_cleanly,
    json_values,
    observe,
    odd_text,
)
from tests.hostile.test_long_messages import HEALTHZ_BOUND

_ids = itertools.count(1)

# A few hundred requests to a bot process: bounded, but longer than the default limit of one test.
pytestmark = pytest.mark.timeout(180)

# Every field of an activity as the Bot Connector writes it (msrest's JSON keys).
ACTIVITY_KEYS = sorted(desc["key"] for desc in Activity._attribute_map.values())
ACCOUNT_KEYS = ["id", "name", "aadObjectId", "role", "conversationType", "tenantId", "isGroup"]
TYPES = ["message"] * 6 + [
    "invoke",
    "conversationUpdate",
    "installationUpdate",
    "messageReaction",
    "event",
    "typing",
    "endOfConversation",
    "messageUpdate",
    "messageDelete",
]
INVOKE_NAMES = ["adaptiveCard/action", "task/fetch", "signin/verifyState", "composeExtension/query", "x"]


@st.composite
def activities(draw: st.DrawFn, service_url: str) -> dict[str, Any]:
    """A Teams message in one of a few conversations, then any of its fields replaced by anything."""
    conversation = draw(st.sampled_from(["a:fuzz-1", "a:fuzz-2", "19:fuzz-channel"]))
    activity = chat_message(service_url, draw(any_text), conversation, type=draw(st.sampled_from(TYPES)))
    if conversation.startswith("19:"):
        activity["conversation"]["conversationType"] = "channel"
    if activity["type"] == "invoke":
        activity["name"] = draw(st.sampled_from(INVOKE_NAMES) | odd_text)
    # Half the examples keep every field's type (the turn runs); the others get wrong types anywhere.
    if draw(st.booleans()):
        activity.update(
            draw(st.dictionaries(st.sampled_from(ACTIVITY_KEYS), any_json, min_size=1, max_size=4))
        )
    if draw(st.booleans()):
        for account in draw(st.lists(st.sampled_from(["from", "recipient", "conversation"]), max_size=2)):
            if isinstance(activity.get(account), dict):
                activity[account].update(
                    draw(st.dictionaries(st.sampled_from(ACCOUNT_KEYS), json_values, max_size=3))
                )
    if draw(st.booleans()):
        activity["value"] = draw(any_json)
    if draw(st.integers(0, 9)) == 0:
        activity["serviceUrl"] = draw(
            odd_text | st.sampled_from(["http://example.com/", "file:///etc/passwd"])
        )
    if draw(st.integers(0, 4)) > 0:
        activity["id"] = f"fuzz-{next(_ids)}"  # mostly new activities; sometimes a drawn (repeated) id
    return activity


def test_random_activities_are_answered_without_5xx_crash_or_leak(
    hostile_bot: BotProcess, connector: ConnectorThread
) -> None:
    statuses: Counter[int] = Counter()

    @FUZZ_SETTINGS
    @given(activity=activities(connector.base_url))
    def example(activity: dict[str, Any]) -> None:
        observed = observe(hostile_bot, connector, activity)
        statuses[observed.status] += 1
        assert_handled_cleanly(observed, invoke=activity.get("type") == "invoke")

    with probing(hostile_bot) as prober:
        example()

    print(f"answers {dict(statuses)}; {prober.summary()}")
    assert prober.failures == []
    assert prober.worst() < HEALTHZ_BOUND


raw_bodies = st.one_of(
    st.binary(max_size=2000),
    st.text(st.characters(exclude_categories=()), max_size=2000).map(
        lambda t: t.encode("utf-8", "surrogatepass")
    ),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.integers(1, 200_000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 100_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
)


def test_random_bodies_are_refused_with_4xx_and_nothing_runs(
    hostile_bot: BotProcess, connector: ConnectorThread
) -> None:
    statuses: Counter[int] = Counter()

    @FUZZ_SETTINGS
    @given(body=raw_bodies)
    def example(body: bytes) -> None:
        observed = observe(hostile_bot, connector, data=body)
        statuses[observed.status] += 1
        assert 400 <= observed.status < 500
        assert observed.sent_to_user == []
        assert_handled_cleanly(observed)

    with probing(hostile_bot) as prober:
        example()

    print(f"answers {dict(statuses)}; {prober.summary()}")
    assert prober.worst() < HEALTHZ_BOUND
