"""Fixtures of the hostile suite: the real bot on its own process (SQLite, or the database a test names),
a fake Bot Connector on its own thread, and what they recorded.

`hostile_bot` is shared by the tests of a module (a bot process starts in a few seconds); each test talks
in conversations of its own, so they do not see each other's state.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests.harness.activities import message_activity
from tests.hostile.served import BotProcess, ConnectorThread, start_bot_process

_conversations = itertools.count(1)


@pytest.fixture(scope="module")
def connector() -> Iterator[ConnectorThread]:
    thread = ConnectorThread().start()
    yield thread
    thread.stop()


@pytest.fixture(scope="module")
def hostile_bot(tmp_path_factory: pytest.TempPathFactory, connector: ConnectorThread) -> Iterator[BotProcess]:
    folder = tmp_path_factory.mktemp("hostile-bot")
    with start_bot_process(folder, f"sqlite:///{folder / 'nwow.sqlite3'}") as bot:
        warm_up(bot, connector)
        yield bot


# What a bot does once per process on its first turns (caches, the place index built in a thread): done
# before the measurements, as on any bot that has served for a minute.
WARM_UP = ("hallo", "Hoe vraag ik een vergoeding voor thuiswerk aan?", "satellietkantoor bij Gent", "help")


def warm_up(bot: BotProcess, connector: ConnectorThread) -> None:
    conversation = new_conversation()
    for text in WARM_UP:
        answer = bot.post(chat_message(connector.base_url, text, conversation))
        assert answer.status == 201, answer


def new_conversation() -> str:
    return f"a:hostile-{next(_conversations)}"


def chat_message(service_url: str, text: Any, conversation_id: str, **extra: Any) -> dict[str, Any]:
    """A 1:1 Teams message in `conversation_id` (text may be anything JSON allows)."""
    return message_activity(service_url, text, conversation_id=conversation_id, **extra)
