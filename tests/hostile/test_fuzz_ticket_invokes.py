"""Property-based fuzzing of the ambassadors' Action.Execute buttons: for every `CardVerb`, random `data`
(the keys the ambassadors' cards submit, plausible and hostile values, unknown keys), clicked by a member of
the ambassadors' team or by somebody outside it, posted as `adaptiveCard/action` invokes over HTTP to the
real bot (development mode, SQLite) while one question waits.

Properties: never a 5xx (other than the Bot Framework's 501 for a verb the bot does not implement), no
failed turn or crash in the bot's log, nothing that looks like an exception in the answer or in what is sent
to anyone, an answer in one of the Universal Action shapes, and the clicks of somebody outside the team
never change the question.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.cards.actions import CardVerb
from tests.harness.ambassadors import (
    ANN,
    TEAM,
    actions_of,
    card_in,
    team_channel,
    team_install,
    unanswered_question,
)
from tests.hostile.conftest import chat_message, new_conversation, warm_up
from tests.hostile.served import BotProcess, ConnectorThread, start_bot_process
from tests.hostile.strategies import FUZZ_SETTINGS, any_text, assert_handled_cleanly, json_values, observe

pytestmark = pytest.mark.timeout(180)

STRANGER = {"id": "29:stranger", "name": "Sam Vreemd", "aadObjectId": "cccccccc-0000-0000-0000-00000000000c"}
ELSEWHERE = "19:another-team@thread.tacv2"  # a channel of a team that is not the ambassadors' team
SHAPES = {
    "application/vnd.microsoft.card.adaptive",
    "application/vnd.microsoft.activity.message",
    "application/vnd.microsoft.error",
}

plausible: dict[str, st.SearchStrategy[Any]] = {
    "ticket": st.sampled_from([1, 2, 0, -1, 10**13, "1", 1.0, True, None]),
    "answer": st.sampled_from(["Zo doe je dat: **Delen**.", "", " ", "x" * 4_500]) | any_text,
    "links": st.sampled_from(["", "teams", "teams,teams", "no-such-link", "," * 500]) | any_text,
    "draft": st.sampled_from(["true", "false", True, "", None]),
    "entry": st.sampled_from(["teams-scherm-delen", "no-such-entry", "", "../x"]) | any_text,
    "lang": st.sampled_from(["nl", "fr", "de", "en", "xx", ""]),
}
KEYS = [*sorted(plausible), "action", "card"]
_ids = itertools.count(1)


@pytest.fixture(scope="module")
def ambassador_bot(
    tmp_path_factory: pytest.TempPathFactory, connector: ConnectorThread
) -> Iterator[BotProcess]:
    """The bot in the ambassadors' team (development mode, SQLite), with question #1 waiting."""
    folder = tmp_path_factory.mktemp("ambassador-bot")
    with start_bot_process(
        folder, f"sqlite:///{folder / 'nwow.sqlite3'}", NWOW_AMBASSADOR_TEAM_ID=TEAM
    ) as bot:
        warm_up(bot, connector)
        assert bot.post(team_install(connector.base_url)).status in (200, 201)
        conversation = new_conversation()
        before = len(connector.connector.requests)
        question = unanswered_question()
        assert bot.post(chat_message(connector.base_url, question, conversation)).status == 201
        [offer] = [r for r in connector.requests_since(before) if (r.body or {}).get("attachments")]
        [send] = [
            a["data"]
            for a in actions_of(card_in(offer), "Action.Submit")
            if a["data"]["action"] == "ticket.ask"
        ]
        assert bot.post(chat_message(connector.base_url, "", conversation, value=send)).status == 201
        assert _ticket(bot) == ("open", None, None)
        yield bot


def _ticket(bot: BotProcess) -> tuple[str, str | None, str | None]:
    path = bot.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        row = connection.execute(
            "SELECT status, claimed_by_id, answer_text FROM tickets WHERE number = 1"
        ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


@st.composite
def click_data(draw: st.DrawFn, verb: CardVerb) -> dict[str, Any]:
    """The data of a button of `verb`, with any keys and values."""
    data: dict[str, Any] = {"action": verb.value}
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=6, unique=True)):
        strategy = plausible.get(key)
        use_plausible = strategy is not None and draw(st.integers(0, 2)) > 0
        data[key] = draw(strategy) if use_plausible and strategy is not None else draw(json_values)
    if draw(st.integers(0, 5)) == 0:
        data.update(draw(st.dictionaries(any_text, json_values, max_size=3)))  # keys no card has
    return data


def _invoke(service_url: str, verb: CardVerb, data: Any, who: dict[str, Any], team: str) -> dict[str, Any]:
    return chat_message(
        service_url,
        None,
        "",
        activity_id=f"fuzz-invoke-{next(_ids)}",
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": verb.value, "data": data}, "trigger": "manual"},
        **{**team_channel(team, team), "from": who},
    )


@pytest.mark.parametrize("verb", list(CardVerb), ids=[verb.value for verb in CardVerb])
def test_random_clicks_on_every_ambassador_button_are_answered_cleanly_and_strangers_change_nothing(
    verb: CardVerb, ambassador_bot: BotProcess, connector: ConnectorThread
) -> None:
    shapes: Counter[str] = Counter()
    stranger = settings(FUZZ_SETTINGS, max_examples=max(10, FUZZ_SETTINGS.max_examples // 8))

    @stranger
    @given(data=click_data(verb) | json_values)
    def from_a_stranger(data: Any) -> None:
        before = _ticket(ambassador_bot)
        observed = observe(
            ambassador_bot, connector, _invoke(connector.base_url, verb, data, STRANGER, ELSEWHERE)
        )
        assert_handled_cleanly(observed, invoke=True)
        assert _ticket(ambassador_bot) == before

    @settings(FUZZ_SETTINGS, max_examples=max(10, FUZZ_SETTINGS.max_examples // len(CardVerb)))
    @given(data=click_data(verb) | json_values)
    @example(data={"action": verb.value, "ticket": 1, "lang": "nl"})  # as the card sends it
    def from_an_ambassador(data: Any) -> None:
        request = _invoke(connector.base_url, verb, data, ANN, TEAM)
        answer = ambassador_bot.post(request)
        assert answer.status < 500, answer
        if answer.status == 413:  # a body over the endpoint's bound: refused before any handler
            shapes["413"] += 1
            return
        body = answer.json()
        assert isinstance(body, dict) and body.get("type") in SHAPES, body
        shapes[body["type"]] += 1
        leaked = [w for w in ("Traceback", "Error", "Exception") if w in json.dumps(body)]
        assert leaked == [] or all(w in json.dumps(data) for w in leaked), body

    from_a_stranger()
    from_an_ambassador()
    log = [r for r in ambassador_bot.log_records() if r.get("level") in ("ERROR", "CRITICAL", "RAW")]
    assert log == [], log[:3]
    print(f"{verb.value}: answers {dict(shapes)}")
