"""The office finder in the whole bot: activities over HTTP into `create_app`, replies from the fake connector."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.strings import t
from nwow.paths import default_faq_dir
from tests.e2e.conftest import SMALL_FAQ, Chat, card_of, card_text, chat, served, settings, submit_values
from tests.offices.conftest import FIXTURE_OFFICES

__all__ = ["chat", "served", "settings"]  # the e2e harness fixtures, used by name below


@pytest.fixture
def faq_dir(tmp_path: Path) -> Path:
    """The e2e harness's small knowledge base, with the four test offices as offices.yml."""
    folder = tmp_path / "faq"
    shutil.copytree(SMALL_FAQ, folder)
    shutil.copy(FIXTURE_OFFICES, folder / "offices.yml")
    shutil.copy(default_faq_dir() / "units.yml", folder / "units.yml")
    return folder


async def test_nearest_offices_remember_and_forget_the_home_area(chat: Chat) -> None:
    answer, offer = await chat.say(
        "waar is het dichtstbijzijnde satellietkantoor bij Gent", replies=2, locale="nl-BE"
    )
    assert "Satellietkantoren dicht bij Gent\n" in card_text(card_of(answer))
    assert "Satellietkantoor Gent · " in card_text(card_of(answer))
    yes = next(v for v in submit_values(card_of(offer)) if v.get("remember") is True)

    [remembered] = await chat.submit(yes, locale="nl-BE")
    assert remembered["text"] == t("offices.remembered", "nl", place="Gent")

    [again] = await chat.say("satellietkantoor", locale="nl-BE")
    assert t("offices.remembered_note", "nl") in card_text(card_of(again))

    [forgotten] = await chat.say("vergeet mijn woonplaats", locale="nl-BE")
    assert forgotten["text"] == t("offices.forgotten", "nl")

    [asked] = await chat.say("satellietkantoor", locale="nl-BE")
    assert asked["text"] == t("offices.ask_place", "nl")
    [cancelled] = await chat.say("annuleren", locale="nl-BE")
    assert cancelled["text"] == t("common.cancelled", "nl")


async def test_an_ambiguous_place_and_a_button_in_french(chat: Chat) -> None:
    [choice] = await chat.say("bureau satellite près de Deurne", locale="fr-BE")
    buttons = submit_values(card_of(choice))
    assert [b["place"] for b in buttons] == ["Deurne (Antwerpen)", "Deurne (Diest)"]

    answer, _offer = await chat.submit(buttons[0], replies=2, locale="fr-BE")
    assert "Bureaux satellites près de Deurne (Anvers)" in card_text(card_of(answer))


async def test_what_is_a_satellite_office_is_left_to_the_faq(chat: Chat) -> None:
    [reply] = await chat.say("Wat is een satellietkantoor?", locale="nl-BE")

    assert reply.get("text") != t("offices.ask_place", "nl")
    shown = card_text(card_of(reply)) if reply.get("attachments") else reply.get("text", "")
    assert "Satellietkantoren dicht bij" not in shown


async def test_a_place_button_pressed_while_the_survey_is_open_is_answered(chat: Chat) -> None:
    """The survey hands back a click that is not its own; the click is then handled as usual, not lost."""
    [choice] = await chat.say("bureau satellite près de Deurne", locale="fr-BE")
    buttons = submit_values(card_of(choice))
    await chat.say("annuler", locale="fr-BE")  # the office finder stops waiting for a place
    [form] = await chat.say("avis", locale="fr-BE")  # the survey form: the survey is now the running dialog
    assert any(e.get("id") == "rating" for e in card_of(form)["body"]), card_text(card_of(form))

    answer, _offer = await chat.submit(buttons[0], replies=2, locale="fr-BE")
    assert "Bureaux satellites près de Deurne (Anvers)" in card_text(card_of(answer))


async def test_the_place_prompt_lets_the_next_message_go_where_it_belongs(chat: Chat) -> None:
    """Asked "where?", the user asks something else: an FAQ question, a province, another language, help,
    cancel. Each is answered as such, in the language it is written in; none is taken for a place."""
    [asked] = await chat.say("satellietkantoor", locale="nl-BE")
    assert asked["text"] == t("offices.ask_place", "nl")

    [answer] = await chat.say("Wat is MFA?", locale="nl-BE")  # a short FAQ question
    assert "MFA vraagt naast je wachtwoord" in card_text(card_of(answer))

    await chat.say("satellietkantoor", locale="nl-BE")
    [help_text] = await chat.say("help", locale="nl-BE")
    assert help_text["text"] == t("common.flow_help", "nl")
    [province] = await chat.say("alle kantoren in Oost-Vlaanderen", locale="nl-BE")
    assert "Satellietkantoren in Provincie Oost-Vlaanderen" in card_text(card_of(province))

    await chat.say("satellietkantoor", locale="nl-BE")
    answer, _offer = await chat.say(
        "Where is the nearest satellite office to Ghent?", replies=2, locale="nl-BE"
    )
    assert "Satellite offices near Ghent" in card_text(card_of(answer))

    [asked_fr] = await chat.say("bureau satellite", locale="fr-BE")
    assert asked_fr["text"] == t("offices.ask_place", "fr")
    [cancelled] = await chat.say("annuler", locale="fr-BE")
    assert cancelled["text"] == t("common.cancelled", "fr")


async def test_a_province_question_and_a_typo_over_http(chat: Chat) -> None:
    [province] = await chat.say("bureau satellite Hainaut", locale="fr-BE")
    assert "Bureaux satellites : Province du Hainaut" in card_text(card_of(province))

    [choice] = await chat.say("satellietkantoor Kortrjik", locale="nl-BE")
    assert t("offices.which_place", "nl", query="Kortrjik") in card_text(card_of(choice))
    first = submit_values(card_of(choice))[0]
    assert first["place"] == "Kortrijk / Courtrai"
