from __future__ import annotations

import pytest

from bot.cards.actions import CardAction, parse_card_action
from bot.conversation.commands import COMMAND_TABLE, Command, lookup_command


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("help", Command.HELP),
        ("Aide", Command.HELP),
        ("  HILFE! ", Command.HELP),
        ("mijn gegevens", Command.MY_DATA),
        ("Mes données", Command.MY_DATA),
        ("meine Daten", Command.MY_DATA),
        ("my data", Command.MY_DATA),
        ("delete my data", Command.DELETE_MY_DATA),
        ("supprimer mes données", Command.DELETE_MY_DATA),
        ("feedback", Command.FEEDBACK),
        ("avis", Command.FEEDBACK),
        ("samenvatting", Command.SUMMARY),
        ("résumé", Command.SUMMARY),
        ("onbeantwoord", Command.UNANSWERED),
        ("sans réponse", Command.UNANSWERED),
        ("merci", Command.THANKS),
        ("bonjour", Command.GREETING),
        ("annuleren", Command.CANCEL),
    ],
)
def test_phrases_map_to_their_command(text: str, command: Command) -> None:
    found = lookup_command(text)
    assert found is not None and found[0] is command


@pytest.mark.parametrize(
    "text",
    [
        "ik heb een vraag over mijn gegevens in OneDrive",
        "help me with teams on my phone please",
        "feedback geven over Teams is dat anoniem?",
        "hoe installeer ik teams",
    ],
)
def test_sentences_containing_a_command_word_are_not_commands(text: str) -> None:
    assert lookup_command(text) is None


def test_every_command_has_phrases_in_the_table() -> None:
    assert {command for command, _ in COMMAND_TABLE.values()} == set(Command)


def test_card_actions_are_parsed_from_submit_values_only() -> None:
    assert parse_card_action({"action": "faq.vote"}) is CardAction.FAQ_VOTE
    assert parse_card_action({"action": "nonsense"}) is None
    assert parse_card_action({"action": 3}) is None
    assert parse_card_action("faq.vote") is None
    assert parse_card_action(None) is None
