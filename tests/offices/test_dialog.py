"""The office finder dialog, turn by turn, with botbuilder's TestAdapter and MemoryStorage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botbuilder.core import ConversationState, MemoryStorage, TurnContext
from botbuilder.core.adapters import TestAdapter, TestFlow
from botbuilder.dialogs import (
    ComponentDialog,
    DialogExtensions,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity, ActivityTypes

from bot.cards.privacy import HOME_AREA
from bot.strings import t
from dialogs.office_finder import OfficeFinderDialog
from nwow.offices.model import OfficeDirectory
from nwow.offices.places import PlaceIndex
from tests.cardcheck import assert_valid_card

MONDAY_MORNING = datetime(2026, 11, 23, 10, 15, tzinfo=ZoneInfo("Europe/Brussels"))
USER = "user-key-1"


class FakePreferences:
    """The preference store in memory; `calls` records what the dialog asked."""

    def __init__(self, saved: dict[tuple[str, str], str] | None = None) -> None:
        self.saved = dict(saved or {})
        self.calls: list[tuple[str, ...]] = []

    async def recall(self, user_key: str, name: str) -> str | None:
        self.calls.append(("recall", user_key, name))
        return self.saved.get((user_key, name))

    async def remember(self, user_key: str, name: str, value: str) -> None:
        self.calls.append(("remember", user_key, name, value))
        self.saved[(user_key, name)] = value

    async def forget(self, user_key: str, name: str) -> bool:
        self.calls.append(("forget", user_key, name))
        return self.saved.pop((user_key, name), None) is not None


class Starter(ComponentDialog):  # type: ignore[misc]
    """Starts the finder the way the bot does: options with lang and user_key, plus the question or the
    data of the card button that started it; records what the finder ended with."""

    def __init__(self, finder: OfficeFinderDialog, lang: str, user_key: str) -> None:
        super().__init__("Starter")
        self.results: list[Any] = []
        self._lang = lang
        self._user_key = user_key
        self.add_dialog(finder)
        self.add_dialog(WaterfallDialog("Starter.flow", [self.start_step, self.done_step]))
        self.initial_dialog_id = "Starter.flow"

    async def start_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        activity = step.context.activity
        extra = activity.value if isinstance(activity.value, dict) else {"question": activity.text or ""}
        options = {"lang": self._lang, "user_key": self._user_key, **extra}
        return await step.begin_dialog(OfficeFinderDialog.__name__, options)

    async def done_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        self.results.append(step.result)
        return await step.end_dialog(step.result)


class Harness:
    def __init__(
        self,
        directory: OfficeDirectory,
        places: PlaceIndex,
        preferences: FakePreferences,
        *,
        lang: str = "nl",
        user_key: str = USER,
        started: bool = True,
        other_question: Callable[[str, str | None], bool] = lambda _text, _locale: False,
    ) -> None:
        self.preferences = preferences
        finder = OfficeFinderDialog(
            directory=lambda: directory,
            preferences=preferences,
            places=lambda: places,
            clock=lambda: MONDAY_MORNING,
            other_question=other_question,
        )
        self.starter = Starter(finder, lang, user_key)
        root = self.starter if started else finder
        state = ConversationState(MemoryStorage())
        accessor = state.create_property("DialogState")

        async def logic(turn_context: TurnContext) -> None:
            await DialogExtensions.run_dialog(root, turn_context, accessor)
            await state.save_changes(turn_context)

        self.adapter = TestAdapter(logic)

    async def send(self, text: str) -> TestFlow:
        flow: TestFlow = await self.adapter.send(text)
        return flow

    async def press(self, data: dict[str, Any]) -> TestFlow:
        flow: TestFlow = await self.adapter.send(submit(data))
        return flow


def submit(data: dict[str, Any]) -> Activity:
    """What Teams sends when a card's Action.Submit button is pressed: no text, the data as value."""
    return Activity(type=ActivityTypes.message, value=data)


def card_of(reply: Activity) -> dict[str, Any]:
    assert reply.type == "message"
    assert reply.attachments, f"expected a card, got text {reply.text!r}"
    card: dict[str, Any] = reply.attachments[0].content
    assert_valid_card(card)
    return card


def title(card: dict[str, Any]) -> str:
    text: str = card["body"][0]["text"]
    return text


def office_headings(card: dict[str, Any]) -> list[str]:
    return [block["items"][0]["text"] for block in card["body"] if block.get("type") == "Container"]


def expect_card(check: Any) -> Any:
    """An inspector for `assert_reply`: the reply is a valid card and `check(card)` is None or True."""

    async def inspect(reply: Activity, _description: str) -> None:
        outcome = check(card_of(reply))
        assert outcome is None or outcome is True, "the card is not the expected one"

    return inspect


def expect_text(expected: str) -> Any:
    async def inspect(reply: Activity, _description: str) -> None:
        assert reply.type == "message"
        assert not reply.attachments
        assert reply.text == expected

    return inspect


@pytest.fixture
def harness(fixture_directory: OfficeDirectory, places: PlaceIndex) -> Harness:
    return Harness(fixture_directory, places, FakePreferences())


async def test_the_place_in_the_question_is_answered_at_once_then_consent_is_asked(harness: Harness) -> None:
    def nearest(card: dict[str, Any]) -> None:
        assert title(card) == "Satellietkantoren dicht bij Gent"
        assert [h.split(" · ")[0] for h in office_headings(card)] == [
            "Satellietkantoor Gent",
            "Satellietkantoor Aalst",
            "Satellietkantoor Brugge",
        ]

    def offer(card: dict[str, Any]) -> None:
        assert title(card) == t("offices.remember_offer", "nl", place="Gent")

    flow = await harness.send("waar is het dichtstbijzijnde satellietkantoor bij Gent")
    flow = await flow.assert_reply(expect_card(nearest))
    flow = await flow.assert_reply(expect_card(offer))
    flow = await flow.send("nee")
    await flow.assert_reply(expect_text(t("offices.not_remembered", "nl")))

    assert harness.starter.results == [{"place": "Gent / Gand", "remembered": False}]
    assert harness.preferences.saved == {}


async def test_without_a_place_it_asks_and_remembers_with_consent(harness: Harness) -> None:
    def nearest(card: dict[str, Any]) -> None:
        assert title(card) == "Satellietkantoren dicht bij Luik"
        assert office_headings(card)[0].startswith("Satellietkantoor Eupen · ")

    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    flow = await flow.send("Lüttich")
    flow = await flow.assert_reply(expect_card(nearest))
    flow = await flow.assert_reply(expect_card(lambda card: None))
    flow = await flow.send(submit({"action": "offices.remember", "remember": True, "place": "Luik / Liège"}))
    await flow.assert_reply(expect_text(t("offices.remembered", "nl", place="Luik")))

    assert harness.preferences.saved == {(USER, HOME_AREA): "Luik / Liège"}
    assert harness.starter.results == [{"place": "Luik / Liège", "remembered": True}]


async def test_a_remembered_home_area_answers_directly_without_asking_again(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    harness = Harness(fixture_directory, places, FakePreferences({(USER, HOME_AREA): "9300 Aalst"}))

    def nearest(card: dict[str, Any]) -> None:
        assert title(card) == "Satellietkantoren dicht bij 9300 Aalst"
        assert t("offices.remembered_note", "nl") in [b.get("text") for b in card["body"]]

    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_card(nearest))
    assert harness.adapter.activity_buffer == []

    assert harness.starter.results == [{"place": "9300 Aalst"}]


async def test_a_place_in_the_question_wins_over_the_home_area_and_nothing_is_offered(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    preferences = FakePreferences({(USER, HOME_AREA): "9300 Aalst"})
    harness = Harness(fixture_directory, places, preferences, lang="fr")

    flow = await harness.send("bureau satellite près de Bruges")
    flow = await flow.assert_reply(expect_card(lambda c: title(c) == "Bureaux satellites près de Bruges"))
    assert harness.adapter.activity_buffer == []

    assert preferences.saved == {(USER, HOME_AREA): "9300 Aalst"}
    assert harness.starter.results == [{"place": "Brugge / Bruges"}]


async def test_an_ambiguous_place_gets_buttons_and_a_button_answers(harness: Harness) -> None:
    def choice(card: dict[str, Any]) -> None:
        assert title(card) == t("offices.which_place", "nl", query="Deurne")
        assert [a["data"]["place"] for a in card["actions"]] == ["Deurne (Antwerpen)", "Deurne (Diest)"]

    flow = await harness.send("satellietkantoor bij Deurne")
    flow = await flow.assert_reply(expect_card(choice))
    flow = await flow.send(submit({"action": "offices.place", "place": "Deurne (Antwerpen)", "lang": "nl"}))
    await flow.assert_reply(
        expect_card(lambda c: title(c) == "Satellietkantoren dicht bij Deurne (Antwerpen)")
    )


async def test_a_typo_is_reprompted_with_suggestions_then_accepted(harness: Harness) -> None:
    def suggestions(card: dict[str, Any]) -> None:
        assert "Gent / Gand" in [a["data"]["place"] for a in card["actions"]]

    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    flow = await flow.send("Gnet")
    flow = await flow.assert_reply(expect_card(suggestions))
    flow = await flow.send("Gent")
    await flow.assert_reply(expect_card(lambda c: title(c) == "Satellietkantoren dicht bij Gent"))


async def test_three_unknown_places_give_up(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    flow = await flow.send("Xyzzyqwv")
    flow = await flow.assert_reply(expect_card(lambda c: not c.get("actions")))
    flow = await flow.send("Qwvzzy")
    flow = await flow.assert_reply(expect_card(lambda c: None))
    flow = await flow.send("Zzqqxx")
    await flow.assert_reply(expect_text(t("offices.gave_up", "nl")))

    assert harness.starter.results == [{"place": None}]


@pytest.mark.parametrize("word", ["annuleren", "cancel", "annuler", "abbrechen"])
async def test_cancel_at_the_place_prompt(harness: Harness, word: str) -> None:
    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    flow = await flow.send(word)
    flow = await flow.assert_reply(lambda reply, _d: _assert_cancelled(reply))
    # The flow is over: the next message starts a new one.
    flow = await flow.send("satellietkantoor")
    await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))

    assert harness.starter.results == [None]  # the finder ended without an answer


async def _assert_cancelled(reply: Activity) -> None:
    assert reply.text in {t("common.cancelled", lang) for lang in ("nl", "fr", "de", "en")}


async def test_cancel_at_the_consent_question_remembers_nothing(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor 9000")
    flow = await flow.assert_reply(expect_card(lambda c: title(c) == "Satellietkantoren dicht bij 9000 Gent"))
    flow = await flow.assert_reply(expect_card(lambda c: None))
    flow = await flow.send("annuleren")
    await flow.assert_reply(lambda reply, _d: _assert_cancelled(reply))

    assert harness.preferences.saved == {}


async def test_help_at_the_place_prompt_keeps_the_question_open(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    flow = await flow.send("help")
    flow = await flow.assert_reply(lambda reply, _d: _assert_flow_help(reply))
    flow = await flow.send("Hasselt")
    await flow.assert_reply(expect_card(lambda c: title(c) == "Satellietkantoren dicht bij Hasselt"))


async def _assert_flow_help(reply: Activity) -> None:
    assert reply.text in {t("common.flow_help", lang) for lang in ("nl", "fr", "de", "en")}


async def test_a_sentence_naming_a_place_at_the_prompt(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    flow = await flow.send("ik woon eigenlijk in de buurt van Eupen")
    await flow.assert_reply(expect_card(lambda c: title(c) == "Satellietkantoren dicht bij Eupen"))


async def test_a_new_question_at_the_prompt_is_handed_back(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    flow = await flow.send("hoe installeer ik Teams op mijn laptop van het werk")
    assert harness.adapter.activity_buffer == []

    assert harness.starter.results == [{"reroute": True}]


async def test_another_message_instead_of_yes_or_no_is_handed_back(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor Brugge")
    flow = await flow.assert_reply(expect_card(lambda c: None))
    flow = await flow.assert_reply(expect_card(lambda c: None))
    flow = await flow.send("hoe vraag ik thuiswerk aan?")
    assert harness.adapter.activity_buffer == []

    assert harness.starter.results == [{"reroute": True}]
    assert harness.preferences.saved == {}


async def test_province_listing_in_german(fixture_directory: OfficeDirectory, places: PlaceIndex) -> None:
    harness = Harness(fixture_directory, places, FakePreferences(), lang="de")

    def province(card: dict[str, Any]) -> None:
        assert title(card) == "Satellitenbüros: Provinz Lüttich"
        assert office_headings(card) == ["Satellitenbüro Eupen"]

    flow = await harness.send("alle Satellitenbüros in der Provinz Lüttich")
    await flow.assert_reply(expect_card(province))

    assert harness.starter.results == [{"province": "60000"}]


async def test_the_province_button(harness: Harness) -> None:
    flow = await harness.press({"action": "offices.province", "province": "40000", "lang": "nl"})
    await flow.assert_reply(
        expect_card(lambda c: title(c) == "Satellietkantoren in Provincie Oost-Vlaanderen")
    )


async def test_the_province_button_while_the_flow_waits(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor Brugge")
    flow = await flow.assert_reply(expect_card(lambda c: None))
    flow = await flow.assert_reply(
        expect_card(lambda c: title(c) == t("offices.remember_offer", "nl", place="Brugge"))
    )
    flow = await flow.send(submit({"action": "offices.province", "province": "30000", "lang": "fr"}))
    await flow.assert_reply(
        expect_card(lambda c: title(c) == "Bureaux satellites : Province de Flandre occidentale")
    )

    assert harness.starter.results == [{"province": "30000"}]
    assert harness.preferences.saved == {}


async def test_a_consent_button_pressed_after_the_flow_ended(harness: Harness) -> None:
    flow = await harness.press({"action": "offices.remember", "remember": True, "place": "9000 Gent"})
    await flow.assert_reply(expect_text(t("offices.remembered", "nl", place="9000 Gent")))

    assert harness.preferences.saved == {(USER, HOME_AREA): "9000 Gent"}


async def test_started_without_options_it_uses_the_message_and_offers_nothing(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    preferences = FakePreferences()
    harness = Harness(fixture_directory, places, preferences, started=False)

    flow = await harness.send("bureau satellite près de Gand")
    flow = await flow.assert_reply(expect_card(lambda c: title(c) == "Bureaux satellites près de Gand"))
    assert harness.adapter.activity_buffer == []

    assert preferences.calls == []


async def test_a_province_named_at_the_place_prompt_lists_its_offices(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    harness = Harness(fixture_directory, places, FakePreferences(), lang="en")
    flow = await harness.send("satellite office")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "en")))
    flow = await flow.send("East Flanders")
    await flow.assert_reply(
        expect_card(lambda c: title(c) == "Satellite offices in Province of East Flanders")
    )

    assert harness.starter.results == [{"province": "40000"}]
    assert harness.preferences.saved == {}


async def test_a_province_in_the_question_lists_its_offices_not_lookalike_places(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor in Oost-Vlaanderen")
    await flow.assert_reply(
        expect_card(lambda c: title(c) == "Satellietkantoren in Provincie Oost-Vlaanderen")
    )

    assert harness.starter.results == [{"province": "40000"}]


async def test_a_city_that_shares_its_provinces_name_is_still_a_place(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    flow = await flow.send("Namur")
    flow = await flow.assert_reply(expect_card(lambda c: title(c) == "Satellietkantoren dicht bij Namen"))


# --- province questions, namesakes, typos, and a prompt that does not trap the next message -----------


@pytest.mark.parametrize(
    ("lang", "question", "province_title"),
    [
        ("nl", "alle kantoren in Henegouwen", "Satellietkantoren in Provincie Henegouwen"),
        ("fr", "bureau satellite Hainaut", "Bureaux satellites : Province du Hainaut"),
        ("en", "satellite offices in West Flanders", "Satellite offices in Province of West Flanders"),
        ("de", "Satellitenbüros in Ostflandern", "Satellitenbüros: Provinz Ostflandern"),
        ("nl", "satellietkantoren in Limburg", "Satellietkantoren in Provincie Limburg"),
        (
            "fr",
            "quels sont les bureaux satellites en Flandre occidentale",
            "Bureaux satellites : Province de Flandre occidentale",
        ),
        ("nl", "welke kantoren zijn er in West-Vl.", "Satellietkantoren in Provincie West-Vlaanderen"),
        ("nl", "alle werkplekken in henegouw", "Satellietkantoren in Provincie Henegouwen"),
    ],
)
async def test_province_questions_in_every_language_list_the_province(
    fixture_directory: OfficeDirectory, places: PlaceIndex, lang: str, question: str, province_title: str
) -> None:
    harness = Harness(fixture_directory, places, FakePreferences(), lang=lang)

    flow = await harness.send(question)
    await flow.assert_reply(expect_card(lambda c: title(c) == province_title))

    assert len(harness.starter.results) == 1
    assert "province" in harness.starter.results[0]


async def test_working_near_a_town_is_an_office_question_answered_at_once(harness: Harness) -> None:
    flow = await harness.send("waar kan ik werken dicht bij Brugge")
    flow = await flow.assert_reply(expect_card(lambda c: title(c) == "Satellietkantoren dicht bij Brugge"))


async def test_a_name_that_is_a_province_and_a_town_elsewhere_asks_which_and_each_button_answers(
    harness: Harness,
) -> None:
    def choice(card: dict[str, Any]) -> None:
        assert title(card) == "Wat bedoel je met “Limburg”?"
        assert [a["data"].get("province") or a["data"].get("place") for a in card["actions"]] == [
            "70000",
            "Limburg / Limbourg",
        ]

    flow = await harness.send("satellietkantoor Limburg")
    flow = await flow.assert_reply(expect_card(choice))
    flow = await flow.send(submit({"action": "offices.place", "place": "Limburg / Limbourg", "lang": "nl"}))
    await flow.assert_reply(expect_card(lambda c: title(c) == "Satellietkantoren dicht bij Limburg"))


async def test_the_province_button_of_the_province_or_town_card(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor Limburg")
    flow = await flow.assert_reply(expect_card(lambda c: None))
    flow = await flow.send(submit({"action": "offices.province", "province": "70000", "lang": "nl"}))
    await flow.assert_reply(expect_card(lambda c: title(c) == "Satellietkantoren in Provincie Limburg"))

    assert harness.starter.results == [{"province": "70000"}]


@pytest.mark.parametrize(
    ("question", "typo", "meant"),
    [
        ("satellietkantoor Kortrjik", "Kortrjik", "Kortrijk / Courtrai"),
        ("kantoor in de buurt van Bruge", "Bruge", "Brugge / Bruges"),
    ],
)
async def test_a_misspelt_place_in_a_question_asks_which_place_was_meant(
    harness: Harness, question: str, typo: str, meant: str
) -> None:
    def choice(card: dict[str, Any]) -> None:
        assert title(card) == t("offices.which_place", "nl", query=typo)
        assert card["actions"][0]["data"]["place"] == meant

    flow = await harness.send(question)
    flow = await flow.assert_reply(expect_card(choice))
    flow = await flow.send(submit({"action": "offices.place", "place": meant, "lang": "nl"}))
    await flow.assert_reply(expect_card(lambda c: title(c).startswith("Satellietkantoren dicht bij ")))


async def test_an_abbreviated_saint_is_found(fixture_directory: OfficeDirectory, places: PlaceIndex) -> None:
    harness = Harness(fixture_directory, places, FakePreferences(), lang="de")
    flow = await harness.send("satellitenbüro st. vith")
    flow = await flow.assert_reply(
        expect_card(lambda c: title(c) == "Satellitenbüros in der Nähe von Sankt Vith")
    )


async def test_a_province_and_a_name_shared_with_a_town_at_the_prompt(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    flow = await flow.send("Limburg")
    flow = await flow.assert_reply(expect_card(lambda c: title(c) == "Wat bedoel je met “Limburg”?"))
    flow = await flow.send("Henegouwen")
    await flow.assert_reply(expect_card(lambda c: title(c) == "Satellietkantoren in Provincie Henegouwen"))

    assert harness.starter.results == [{"province": "50000"}]


@pytest.mark.parametrize(
    "reply",
    [
        "alle kantoren in Henegouwen",  # a new office request
        "Where is the nearest office to Leuven?",  # the same, in another language
        "topics",  # another command
        "feedback geven",
    ],
)
async def test_a_new_request_at_the_place_prompt_leaves_it(harness: Harness, reply: str) -> None:
    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    await flow.send(reply)
    assert harness.adapter.activity_buffer == []

    assert harness.starter.results == [{"reroute": True}]


async def test_a_question_the_faq_answers_at_the_place_prompt_leaves_it(
    fixture_directory: OfficeDirectory, places: PlaceIndex
) -> None:
    asked: list[tuple[str, str | None]] = []

    def other_question(text: str, locale: str | None) -> bool:
        asked.append((text, locale))
        return text == "wachtwoord vergeten"

    harness = Harness(fixture_directory, places, FakePreferences(), other_question=other_question)
    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    await flow.send("wachtwoord vergeten")
    assert harness.adapter.activity_buffer == []

    assert harness.starter.results == [{"reroute": True}]
    assert [text for text, _ in asked] == ["wachtwoord vergeten"]


async def test_a_sentence_in_another_language_at_the_prompt_is_answered_in_it(harness: Harness) -> None:
    flow = await harness.send("satellietkantoor")
    flow = await flow.assert_reply(expect_text(t("offices.ask_place", "nl")))
    flow = await flow.send("I live near Eupen")
    flow = await flow.assert_reply(expect_card(lambda c: title(c) == "Satellite offices near Eupen"))
    await flow.assert_reply(
        expect_card(lambda c: title(c) == t("offices.remember_offer", "en", place="Eupen"))
    )
