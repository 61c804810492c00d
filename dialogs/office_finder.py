"""The satellite-office finder: where is the user, then the nearest offices, then (with consent) remember.

Options given to `begin_dialog` (all optional): "lang", "user_key", and what started the flow: a
"question" (a typed question, which may name the place or a province), or the data of a card button
pressed after the dialog ended, with its "action": a place button ("place"), the "all offices in ..."
button ("province") or a yes/no button of the consent card ("remember" with "place"). Button data is read
by its card's parser (bot/cards/offices.py): a value the card could not have sent is refused politely, and
a place to remember must be a known place (its label is what is kept, never the text as sent).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import (
    Dialog,
    DialogContext,
    DialogTurnResult,
    DialogTurnStatus,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt
from botbuilder.schema import Activity

from bot.cards.actions import CardAction, parse_card_action
from bot.cards.message import card_message
from bot.cards.offices import (
    PlaceChoice,
    ProvinceChoice,
    RememberAnswer,
    parse_place_choice,
    parse_province_choice,
    parse_remember,
    render_nearest,
    render_place_choice,
    render_province,
    render_remember_offer,
)
from bot.cards.privacy import HOME_AREA
from bot.cards.values import Refusal, card_language
from bot.conversation.refusal import refuse
from bot.strings import t
from dialogs.interruptible import InterruptibleDialog
from nwow.language import LANGS, Lang, detect_language, fold
from nwow.offices.detect import OfficeQuery, office_language, understand
from nwow.offices.model import OfficeDirectory, Province
from nwow.offices.places import PlaceIndex, default_place_index
from nwow.offices.ranking import nearest_to, province_offices

logger = logging.getLogger(__name__)

FLOW: Final = "OfficeFinderDialog.flow"
PLACE_PROMPT: Final = "OfficeFinderDialog.place"
# A reply of more words than this that names no place is taken as a new question, not as a place.
MAX_PLACE_WORDS: Final = 5
# A reply of at least this many words is a sentence: the finder answers in its language.
SENTENCE_WORDS: Final = 3

_YES: Final = frozenset(
    {"ja", "ja graag", "yes", "yes please", "oui", "oui merci", "ok", "oke", "okay", "graag"}
)
_NO: Final = frozenset(
    {"nee", "neen", "nee bedankt", "no", "no thanks", "non", "non merci", "nein", "nein danke"}
)


class PreferenceStore(Protocol):
    """Where a user's home area is kept with their consent (the feedback store implements it)."""

    async def recall(self, user_key: str, name: str) -> str | None: ...

    async def remember(self, user_key: str, name: str, value: str) -> None: ...

    async def forget(self, user_key: str, name: str) -> bool: ...


class OfficeFinderDialog(InterruptibleDialog):
    """The flow; `other_question(text, locale)` tells whether a reply to "where?" is a question the FAQ
    answers (then it leaves the flow for the bot to answer it, instead of being taken for a place)."""

    def __init__(
        self,
        directory: Callable[[], OfficeDirectory],
        preferences: PreferenceStore,
        *,
        places: Callable[[], PlaceIndex] = default_place_index,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        other_question: Callable[[str, str | None], bool] = lambda _text, _locale: False,
        max_tries: int = 3,
        count: int = 3,
    ) -> None:
        super().__init__(OfficeFinderDialog.__name__)
        self._directory = directory
        self._preferences = preferences
        self._places = places
        self._place_index: PlaceIndex | None = None
        self._clock = clock
        self._other_question = other_question
        self._max_tries = max_tries
        self._count = count
        self.add_dialog(TextPrompt(PLACE_PROMPT, self._validate_place))
        self.add_dialog(WaterfallDialog(FLOW, [self.locate_step, self.answer_step, self.remember_step]))
        self.initial_dialog_id = FLOW

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        """An "all offices in <province>" button pressed while the flow waits: list them and stop."""
        value = inner_dc.context.activity.value
        if parse_card_action(value) is CardAction.OFFICES_PROVINCE:
            lang: Lang = card_language(value) or "nl"
            choice = parse_province_choice(value)
            if isinstance(choice, Refusal):
                await refuse(inner_dc.context, choice, CardAction.OFFICES_PROVINCE.value, lang)
                return Dialog.end_of_turn
            index = await self._index()
            province = index.province(choice.province)
            if province is not None:
                await self._send_province(inner_dc.context, province, lang)
                await inner_dc.cancel_all_dialogs()
                return DialogTurnResult(DialogTurnStatus.Complete, {"province": province.id})
        continued: DialogTurnResult = await super().on_continue_dialog(inner_dc)
        return continued

    async def locate_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Find the place: in the options or the question, else the remembered home area, else ask."""
        options = _options(step)
        lang: Lang = options["lang"]
        user_key: str = options["user_key"]
        step.values.update(lang=lang, user_key=user_key, remembered=False)
        index = await self._index()

        button = _button(options)
        if isinstance(button, Refusal):
            action = parse_card_action(options)
            await refuse(step.context, button, action.value if action else "unknown", lang)
            return await step.end_dialog({"refused": button.field})
        if isinstance(button, RememberAnswer):
            remembered = await self._consent(step.context, user_key, button.place, button.remember, lang)
            return await step.end_dialog({"remembered": remembered})
        if isinstance(button, ProvinceChoice):
            province = index.province(button.province)
            if province is not None:
                return await self._list_province(step, province, lang)
        if isinstance(button, PlaceChoice):  # pressed after the flow ended: its label names one place
            chosen = index.resolve(button.place).place
            if chosen is not None:
                return await step.next({"place": chosen.label})
            query = understand(button.place, index, answering=True)
        else:
            query = understand("" if button else options["question"], index)

        if query.provinces and not query.needs_choice:
            return await self._list_province(step, query.provinces[0], lang)
        if query.needs_choice:
            card = _card_activity(self._choice_card(query, lang, index))
            return await step.prompt(PLACE_PROMPT, PromptOptions(prompt=card, validations={"lang": lang}))
        if query.place is not None and query.place.place is not None:
            return await step.next({"place": query.place.place.label})

        home = await self._preferences.recall(user_key, HOME_AREA) if user_key else None
        if home:
            step.values["has_home"] = True
            resolution = index.resolve(home)
            if resolution.place is not None:
                step.values["remembered"] = True
                return await step.next({"place": resolution.place.label})
            logger.info("the remembered home area no longer resolves; asking again")
        prompt = MessageFactory.text(t("offices.ask_place", lang))
        return await step.prompt(PLACE_PROMPT, PromptOptions(prompt=prompt, validations={"lang": lang}))

    async def answer_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """The nearest offices; then, if nothing is remembered yet, offer to remember the place."""
        outcome: dict[str, Any] = step.result if isinstance(step.result, dict) else {}
        if outcome.get("reroute"):
            return await step.end_dialog({"reroute": True})
        if outcome.get("lang") in LANGS:
            step.values["lang"] = outcome["lang"]
        lang: Lang = step.values["lang"]
        index = await self._index()
        if outcome.get("province"):
            named = index.province(str(outcome["province"]))
            if named is not None:
                return await self._list_province(step, named, lang)
        place = index.resolve(str(outcome["place"])).place if outcome.get("place") else None
        if place is None:
            await step.context.send_activity(t("offices.gave_up", lang))
            return await step.end_dialog({"place": None})
        result = nearest_to(
            self._directory(), place, self._clock(), self._count, remembered=step.values["remembered"]
        )
        await _send_card(step.context, render_nearest(result, lang))
        step.values["place"] = place.label
        if not await self._may_offer(step):
            return await step.end_dialog({"place": place.label})
        await _send_card(step.context, render_remember_offer(place.label, lang, name=place.name(lang)))
        return Dialog.end_of_turn

    async def remember_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Keep the place as home area on "yes"; anything else than yes/no is a new message for the bot."""
        lang: Lang = step.values["lang"]
        consent = _consent_answer(step.context.activity)
        if consent is None:
            return await step.end_dialog({"reroute": True})
        if isinstance(consent, Refusal):
            await refuse(step.context, consent, CardAction.OFFICES_REMEMBER.value, lang)
            return await step.end_dialog({"place": step.values["place"], "remembered": False})
        # The place this flow offered, whatever place the button names.
        remembered = await self._consent(
            step.context, step.values["user_key"], step.values["place"], consent, lang
        )
        return await step.end_dialog({"place": step.values["place"], "remembered": remembered})

    async def _validate_place(self, prompt: PromptValidatorContext) -> bool:
        """The reply to "where?" or "which one?": a place (or its button), a province, or something else.

        Something else leaves the flow, for the bot to handle as a new message: a new office question
        (perhaps in another language), a question the FAQ answers, or a sentence that names no place.
        """
        activity = prompt.context.activity
        text = str(prompt.recognized.value) if prompt.recognized.succeeded else ""
        lang: Lang = (prompt.options.validations or {}).get("lang", "nl")
        action = parse_card_action(activity.value)
        if not text and action is not None and action is not CardAction.OFFICES_PLACE:
            # A button of another card (a survey form, a vote) while this waits for a place: hand it back.
            return _recognized(prompt, {"reroute": True})
        index = await self._index()
        if not text and action is CardAction.OFFICES_PLACE:
            choice = parse_place_choice(activity.value)
            if isinstance(choice, Refusal):
                await refuse(prompt.context, choice, CardAction.OFFICES_PLACE.value, lang)
                return False
            text = choice.place
            chosen = index.resolve(text).place  # a button's label names one place
            if chosen is not None:
                return _recognized(prompt, {"place": chosen.label, "lang": lang})
        elif text and understand(text, index).is_office_question:
            return _recognized(prompt, {"reroute": True})  # a new office question, asked anew
        words = len(text.split())
        if words >= SENTENCE_WORDS:
            lang = office_language(text, activity.locale or lang, index)
        query = understand(text, index, answering=True)
        if query.provinces and not query.needs_choice:
            return _recognized(prompt, {"province": query.provinces[0].id, "lang": lang})
        if query.place is not None and query.place.place is not None and not query.needs_choice:
            return _recognized(prompt, {"place": query.place.place.label, "lang": lang})
        names_nothing = query.place is None or (query.place.status == "unknown" and not query.places)
        if names_nothing and (words > MAX_PLACE_WORDS or self._other_question(text, activity.locale)):
            return _recognized(prompt, {"reroute": True})
        tries = int(prompt.state.get("tries", 0)) + 1
        prompt.state["tries"] = tries
        if tries >= self._max_tries:
            return _recognized(prompt, {"lang": lang})
        await _send_card(prompt.context, self._choice_card(query, lang, index))
        return False

    def _choice_card(self, query: OfficeQuery, lang: Lang, index: PlaceIndex) -> dict[str, Any]:
        """ "Which place (or province) did you mean?"; "I don't know that place" when there is none."""
        return render_place_choice(query.choice, lang, provinces=query.provinces, province_of=index.provinces)

    async def _may_offer(self, step: WaterfallStepContext) -> bool:
        """Offer to remember only to an identified user who has no home area yet."""
        if step.values["remembered"] or not step.values["user_key"]:
            return False
        if "has_home" not in step.values:
            step.values["has_home"] = bool(await self._preferences.recall(step.values["user_key"], HOME_AREA))
        return not step.values["has_home"]

    async def _consent(
        self, context: TurnContext, user_key: str, place: str, consent: bool, lang: Lang
    ) -> bool:
        """Keep `place` (as the label of the known place it names) on consent; whether it was kept."""
        known = (await self._index()).resolve(place).place if consent and user_key else None
        if known is None:
            await context.send_activity(t("offices.not_remembered", lang))
            return False
        await self._preferences.remember(user_key, HOME_AREA, known.label)
        await context.send_activity(t("offices.remembered", lang, place=known.name(lang)))
        return True

    async def _list_province(
        self, step: WaterfallStepContext, province: Province, lang: Lang
    ) -> DialogTurnResult:
        await self._send_province(step.context, province, lang)
        return await step.end_dialog({"province": province.id})

    async def _send_province(self, context: TurnContext, province: Province, lang: Lang) -> None:
        listing = province_offices(self._directory(), province, self._clock())
        await _send_card(context, render_province(listing, lang))

    async def _index(self) -> PlaceIndex:
        """The place index (shipped data, never reloaded): fetched once, off the event loop because the
        first fetch in a process builds it (about a second); later turns use it without a thread hop."""
        if self._place_index is None:
            self._place_index = await asyncio.to_thread(self._places)
        return self._place_index


def _recognized(prompt: PromptValidatorContext, outcome: dict[str, Any]) -> bool:
    """End the prompt with `outcome` for answer_step: {"place": label} or {"province": code} (with the
    reply's "lang"), {"reroute": True}, or neither (given up)."""
    prompt.recognized.succeeded, prompt.recognized.value = True, outcome
    return True


def _options(step: WaterfallStepContext) -> dict[str, Any]:
    """The begin options, completed from the activity when the dialog was started without them."""
    options: dict[str, Any] = dict(step.options) if isinstance(step.options, dict) else {}
    activity = step.context.activity
    text = activity.text or ""
    question = options.get("question")
    options["question"] = question if isinstance(question, str) and "action" not in options else text
    lang = options.get("lang")
    options["lang"] = lang if lang in LANGS else detect_language(text, activity.locale)
    options["user_key"] = str(options.get("user_key") or "")
    return options


OfficeButton = PlaceChoice | RememberAnswer | ProvinceChoice
_BUTTONS: Final[dict[CardAction, Callable[[object], OfficeButton | Refusal]]] = {
    CardAction.OFFICES_PLACE: parse_place_choice,
    CardAction.OFFICES_REMEMBER: parse_remember,
    CardAction.OFFICES_PROVINCE: parse_province_choice,
}


def _button(options: dict[str, Any]) -> OfficeButton | Refusal | None:
    """The card button that started the flow, as its card offered it; None when a message started it."""
    action = parse_card_action(options)
    parse = _BUTTONS.get(action) if action is not None else None
    if parse is None:
        return None if "action" not in options else Refusal("action")
    return parse(options)


def _consent_answer(activity: Activity) -> bool | Refusal | None:
    value = activity.value
    if parse_card_action(value) is CardAction.OFFICES_REMEMBER:
        answer = parse_remember(value)
        return answer if isinstance(answer, Refusal) else answer.remember
    words = " ".join(fold(activity.text or "").replace(",", " ").replace("!", " ").replace(".", " ").split())
    if words in _YES:
        return True
    if words in _NO:
        return False
    return None


def _card_activity(card: dict[str, Any]) -> Activity:
    return card_message(card)


async def _send_card(context: TurnContext, card: dict[str, Any]) -> None:
    await context.send_activity(_card_activity(card))


__all__ = ["OfficeFinderDialog", "PreferenceStore"]
