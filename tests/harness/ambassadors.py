"""Activities and lookups for "Ask an ambassador" tests: the ambassadors' team, its members' clicks
(Action.Execute invokes), and what the fake Bot Connector received per conversation."""

from __future__ import annotations

import itertools
from typing import Any

from bot.settings import Settings
from nwow.faq.loader import load_knowledge_base
from nwow.paths import default_faq_dir
from tests.cardcheck import card_objects
from tests.harness.activities import message_activity
from tests.harness.connector import FakeConnector, RecordedRequest

TEAM = "19:ambassadors-general@thread.tacv2"
ANN = {"id": "29:ann", "name": "Ann Peeters", "aadObjectId": "aaaaaaaa-0000-0000-0000-00000000000a"}
BEN = {"id": "29:ben", "name": "Ben Dupont", "aadObjectId": "bbbbbbbb-0000-0000-0000-00000000000b"}
USER = {"id": "29:user-1", "name": "Eva Janssens", "aadObjectId": "00000000-0000-0000-0000-000000000001"}
USER_CHAT = "a:personal-eva"

_ids = itertools.count(1)

# Questions within the shipped FAQ's scope that it does not answer; the first one it still leaves unanswered
# is asked, so that an FAQ (or matcher) that learns to answer one does not break the tests that need one.
UNANSWERED_CANDIDATES = (
    "Hoe vraag ik een nieuwe badge aan?",
    "Kan ik mijn Teams-status automatisch laten wisselen?",
    "Hoe verander ik de achtergrond van mijn bureaublad?",
)


def unanswered_question(locale: str = "en-US") -> str:
    """A question in Dutch that the shipped FAQ covers but does not answer, with the default settings."""
    kb = load_knowledge_base(default_faq_dir()).kb
    assert kb is not None
    defaults = Settings()
    for question in UNANSWERED_CANDIDATES:
        match = kb.match(
            question, locale, threshold=defaults.match_threshold, gap=defaults.match_ambiguity_gap
        )
        if match.status == "unanswered" and match.lang == "nl" and kb.covers(question):
            return question
    raise AssertionError(f"the shipped FAQ answers (or does not cover) each of {UNANSWERED_CANDIDATES}")


def team_channel(channel: str = TEAM, team: str = TEAM) -> dict[str, Any]:
    """What an activity in a channel of the ambassadors' team carries."""
    return {
        "conversation": {
            "id": f"{channel};messageid={next(_ids)}",
            "conversationType": "channel",
            "tenantId": "tenant-1",
        },
        "channelData": {"team": {"id": team}, "channel": {"id": channel}, "tenant": {"id": "tenant-1"}},
    }


def team_install(service_url: str, team: str = TEAM) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "type": "installationUpdate",
        "action": "add",
        **team_channel(team, team),
        "from": ANN,
    }
    return message_activity(service_url, None, **extra)


def click(
    service_url: str,
    verb: str,
    data: dict[str, Any],
    who: dict[str, Any] = ANN,
    *,
    where: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An ambassador's click on an Action.Execute button (the card's inputs merged into its data)."""
    value = {
        "action": {"type": "Action.Execute", "verb": verb, "data": {"action": verb, **data}},
        "trigger": "manual",
    }
    extra: dict[str, Any] = {
        "type": "invoke",
        "name": "adaptiveCard/action",
        "value": value,
        "locale": "nl-BE",
        **(where if where is not None else team_channel()),
        "from": who,
    }
    return message_activity(service_url, None, **extra)


def user_says(service_url: str, text: str | None = "", **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"conversation_id": USER_CHAT, "locale": "nl-BE", "from": USER, **extra}
    return message_activity(service_url, text, **fields)


def posted_to(connector: FakeConnector, conversation: str, method: str = "POST") -> list[RecordedRequest]:
    """Successful requests of `method` to activities of `conversation` (typing indicators left out)."""
    return [
        r
        for r in connector.requests
        if r.method == method
        and r.status < 300
        and r.conversation_id == conversation
        and (r.body or {}).get("type") == "message"
    ]


def card_in(request: RecordedRequest | dict[str, Any]) -> dict[str, Any]:
    body = request.body if isinstance(request, RecordedRequest) else request
    content: dict[str, Any] = body["attachments"][0]["content"]
    return content


def texts(card: dict[str, Any]) -> str:
    """Every text, run and title in a card (RichTextBlock runs included)."""
    return "\n".join(
        node[key]
        for _, node in card_objects(card)
        for key in ("text", "title", "label")
        if isinstance(node.get(key), str)
    )


def actions_of(card: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [node for _, node in card_objects(card) if node.get("type") == kind]
