"""The card checker accepts what Teams renders and rejects what it would not."""

from __future__ import annotations

from typing import Any

import pytest

from bot.cards.base import adaptive_card, open_url_action, submit_action, text_block
from tests.cardcheck import MAX_MESSAGE_BYTES, assert_valid_card, card_problems, message_size


def good_card() -> dict[str, Any]:
    return adaptive_card(
        [
            text_block("Telewerk", weight="Bolder", size="Large", style="heading"),
            {
                "type": "Container",
                "items": [
                    {
                        "type": "ColumnSet",
                        "columns": [
                            {"type": "Column", "width": "auto", "items": [text_block("Brussel")]},
                            {"type": "Column", "width": "stretch", "items": [text_block("3,2 km")]},
                        ],
                        "selectAction": submit_action("", {"action": "office", "id": "bru"}),
                    },
                    {"type": "FactSet", "facts": [{"title": "Adres", "value": "Rue Royale 1"}]},
                ],
            },
            {"type": "Input.Text", "id": "comment", "label": "Opmerking", "isMultiline": True},
        ],
        [
            submit_action("Verstuur", {"action": "feedback"}),
            open_url_action("Intranet", "https://intranet.example/nwow"),
            {
                "type": "Action.ShowCard",
                "title": "Meer",
                "card": {"type": "AdaptiveCard", "body": [text_block("Meer info")]},
            },
        ],
        lang="nl",
        fallback_text="Telewerk",
    )


def test_a_card_built_with_the_shared_helpers_is_valid() -> None:
    assert card_problems(good_card()) == []
    assert_valid_card(good_card())


def test_wrong_card_type_is_rejected() -> None:
    card = good_card()
    card["type"] = "HeroCard"

    problems = card_problems(card)

    assert any("type must be 'AdaptiveCard'" in p for p in problems)
    with pytest.raises(AssertionError, match="invalid Adaptive Card"):
        assert_valid_card(card)


def test_a_card_that_is_not_an_object_is_rejected() -> None:
    assert card_problems(["AdaptiveCard"]) == ["a card is a JSON object, got list"]


@pytest.mark.parametrize("version", ["1.4", "1.6", 1.5, None])
def test_version_must_be_exactly_1_5(version: object) -> None:
    card = good_card()
    card["version"] = version

    assert any("version must be '1.5'" in p for p in card_problems(card))


def test_unknown_element_is_named_with_its_path() -> None:
    card = good_card()
    card["body"][1]["items"].append({"type": "Textblock", "text": "typo"})

    problems = card_problems(card)

    assert problems == [
        "schema: at /body/1/items/2: unknown type 'Textblock'; expected one of ActionSet, ColumnSet, "
        "Container, FactSet, Image, ImageSet, Input.ChoiceSet, Input.Date, Input.Number, Input.Text, "
        "Input.Time, Input.Toggle, Media, RichTextBlock, Table, TextBlock"
    ]


def test_unknown_property_on_a_known_element_is_rejected() -> None:
    card = good_card()
    card["body"][0]["colour"] = "Accent"

    problems = card_problems(card)

    assert len(problems) == 1
    assert problems[0].startswith("schema: at /body/0: Additional properties are not allowed ('colour'")


def test_enum_values_are_checked_whole_not_by_prefix() -> None:
    # The official schema's pattern "^(left)|(center)|(right)$" alone would accept "leftish".
    card = good_card()
    card["body"][0]["horizontalAlignment"] = "leftish"

    problems = card_problems(card)

    assert len(problems) == 1
    assert problems[0].startswith("schema: at /body/0/horizontalAlignment: 'leftish'")


def test_enum_values_keep_their_case_insensitivity() -> None:
    card = good_card()
    card["body"][0]["horizontalAlignment"] = "Center"

    assert card_problems(card) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("feedback", "Action.Submit data must be an object, got str"),
        (None, "Action.Submit data must be an object, got NoneType"),
        ({"office": "bru"}, "Action.Submit data needs an 'action' key"),
    ],
)
def test_submit_data_is_an_object_with_an_action(data: object, expected: str) -> None:
    card = good_card()
    card["actions"][0] = {"type": "Action.Submit", "title": "Go", "data": data}

    assert any(p == f"/actions/0: {expected}" for p in card_problems(card))


def test_submit_in_a_select_action_is_checked_too() -> None:
    card = good_card()
    card["body"][1]["items"][0]["selectAction"]["data"] = {"id": "bru"}

    assert card_problems(card) == ["/body/1/items/0/selectAction: Action.Submit data needs an 'action' key"]


def test_elements_the_bot_does_not_support_in_teams_are_rejected() -> None:
    card = good_card()
    card["body"].append(
        {"type": "Media", "sources": [{"mimeType": "video/mp4", "url": "https://video.example/a.mp4"}]}
    )

    problems = card_problems(card)

    assert problems
    assert all("is not supported here" in p for p in problems)


def test_a_universal_action_must_name_a_verb_the_bot_handles() -> None:
    card = good_card()
    unknown = {"type": "Action.Execute", "title": "Go", "verb": "go", "data": {"action": "go"}}
    known = {
        "type": "Action.Execute",
        "title": "Take",
        "verb": "ticket.claim",
        "data": {"action": "ticket.claim"},
    }
    mismatched = {"type": "Action.Execute", "title": "Take", "verb": "ticket.claim", "data": {"action": "x"}}
    card["body"].append({"type": "ActionSet", "actions": [unknown, known, mismatched]})

    assert card_problems(card) == [
        f"/body/{len(card['body']) - 1}/actions/0: Action.Execute verb 'go' is not one the bot handles",
        f"/body/{len(card['body']) - 1}/actions/2: Action.Execute data must be an object whose 'action' is its verb",
    ]


def test_universal_action_refresh_is_rejected() -> None:
    card = good_card()
    card["refresh"] = {"action": {"type": "Action.Execute", "verb": "refresh"}}

    problems = card_problems(card)

    assert "card property 'refresh' is not supported here: needs Universal Actions" in "\n".join(problems)


def test_msteams_extension_is_checked_by_teams_rules_not_the_schema() -> None:
    card = good_card()
    card["msteams"] = {"width": "Wide", "theme": "dark"}

    assert card_problems(card) == [
        "msteams has keys Teams does not read: ['theme']",
        "msteams.width must be 'Full', got 'Wide'",
    ]


def test_duplicate_ids_are_rejected() -> None:
    card = good_card()
    card["body"].append({"type": "Input.Text", "id": "comment"})

    assert card_problems(card) == ["/body/3: duplicate id 'comment'"]


def test_a_card_over_the_teams_size_limit_is_rejected() -> None:
    card = good_card()
    filler = "x" * (MAX_MESSAGE_BYTES - message_size(card))
    card["body"].append(text_block(filler))

    problems = card_problems(card)

    assert message_size(card) > MAX_MESSAGE_BYTES
    assert len(problems) == 1
    assert problems[0].startswith(f"the message carrying this card is {message_size(card)} bytes")


def test_a_card_just_under_the_limit_is_accepted() -> None:
    card = good_card()
    card["body"].append(text_block(""))
    card["body"][-1]["text"] = "x" * (MAX_MESSAGE_BYTES - message_size(card))

    assert message_size(card) == MAX_MESSAGE_BYTES
    assert card_problems(card) == []


def test_size_counts_encoded_bytes_not_characters() -> None:
    card = good_card()
    before = message_size(card)
    card["body"].append(text_block("é" * 100))

    assert message_size(card) - before == len(',{"type":"TextBlock","text":"","wrap":true}') + 200
