"""The feedback survey: one Adaptive Card form, sent back with what is missing until it is complete.

Each form carries a card id minted when it is first rendered (kept when it is sent back with problems):
the store keeps one response per user and card id, so a double click, a retried turn, or the same form
sent again later is one row. The first submission is thanked; a later one of the same form is told it
was already received. A submission of a form whose dialog is over (a second click, the retry of a turn
that lost a state race, a form left open while the user did something else) starts this dialog with the
button's data, and is handled like any other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from bot.cards.actions import CardAction, parse_card_action
from bot.cards.feedback import new_card_id, parse_survey, render_survey
from bot.cards.message import card_message
from bot.cards.values import Refusal, card_language
from bot.conversation.identity import contact_id, submission_id
from bot.conversation.refusal import refuse
from bot.strings import t
from dialogs.interruptible import InterruptibleDialog
from nwow.feedback.store import FeedbackStore, Recorded
from nwow.feedback.survey import SurveyAnswers, check_survey
from nwow.language import Lang

logger = logging.getLogger(__name__)

UnitChoices = Callable[[Lang], Sequence[tuple[str, str]]]


class FeedbackSurveyDialog(InterruptibleDialog):
    def __init__(
        self,
        store: FeedbackStore,
        units: UnitChoices,
        *,
        min_group: int,
        submission_key: bytes,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(FeedbackSurveyDialog.__name__)
        self._store = store
        self._submission_key = submission_key
        self._units = units
        self._min_group = min_group
        self._clock = clock
        self.add_dialog(
            WaterfallDialog("FeedbackSurveyDialog.form", [self.show_form_step, self.collect_step])
        )
        self.initial_dialog_id = "FeedbackSurveyDialog.form"

    async def show_form_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        options: dict[str, Any] = dict(step.options or {})
        if options.get("action") == CardAction.FEEDBACK_SUBMIT:
            return await self._collect(step, options)
        lang: Lang = options.get("lang", "nl")
        answers = options.get("answers")
        card = render_survey(
            lang,
            self._units(lang),
            card_id=options.get("card_id") or new_card_id(),
            min_group=self._min_group,
            answers=SurveyAnswers(**answers) if answers else None,
            problems=options.get("problems", ()),
        )
        if options.get("outdated"):
            await step.context.send_activity(t("survey.outdated", lang))
        await step.context.send_activity(card_message(card))
        return Dialog.end_of_turn

    async def collect_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        if parse_card_action(step.context.activity.value) is not CardAction.FEEDBACK_SUBMIT:
            # The user typed something else instead of filling in the form: hand the message back.
            return await step.end_dialog({"reroute": True})
        return await self._collect(step, dict(step.options or {}))

    async def _collect(self, step: WaterfallStepContext, options: dict[str, Any]) -> DialogTurnResult:
        activity = step.context.activity
        lang: Lang = card_language(activity.value) or options.get("lang", "nl")
        units = {unit_id for unit_id, _ in self._units(lang)}
        submitted = parse_survey(activity.value, units=units)
        if isinstance(submitted, Refusal):
            await refuse(step.context, submitted, CardAction.FEEDBACK_SUBMIT.value, lang)
            return await step.end_dialog({"refused": submitted.field})
        again = {"lang": lang, "user_key": options.get("user_key", ""), "answers": asdict(submitted.answers)}
        if submitted.card_id is None:
            return await step.replace_dialog(self.initial_dialog_id, {**again, "outdated": True})
        checked = check_survey(
            submitted.answers,
            units=units,
            submission_id=submission_id(activity, self._submission_key),
            card_id=submitted.card_id,
            user_key=options.get("user_key", ""),
            contact_id=contact_id(activity),
            lang=lang,
            now=self._clock(),
        )
        if checked.response is None:
            retry = {**again, "card_id": submitted.card_id, "problems": list(checked.problems)}
            return await step.replace_dialog(self.initial_dialog_id, retry)
        recorded = await self._store.record_survey(checked.response)
        # REPEATED: this very activity stored it in an earlier attempt of its turn (a retry after a lost
        # state race, or a takeover from a replica that died mid-turn) whose thanks the user never saw.
        reply = "survey.already" if recorded is Recorded.DUPLICATE else "survey.thanks"
        await step.context.send_activity(t(reply, lang))
        return await step.end_dialog({"stored": bool(recorded)})
