"""The feedback survey: one Adaptive Card form, sent back with what is missing until it is complete."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from botbuilder.dialogs import Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from bot.cards.actions import CardAction
from bot.cards.feedback import render_survey
from bot.cards.message import card_message
from bot.conversation.identity import contact_id, submission_id
from bot.strings import t
from dialogs.interruptible import InterruptibleDialog
from nwow.feedback.store import FeedbackStore
from nwow.feedback.survey import check_survey
from nwow.language import LANGS, Lang

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
        lang: Lang = options.get("lang", "nl")
        card = render_survey(
            lang,
            self._units(lang),
            min_group=self._min_group,
            values=options.get("values"),
            problems=options.get("problems", ()),
        )
        await step.context.send_activity(card_message(card))
        return Dialog.end_of_turn

    async def collect_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        options: dict[str, Any] = dict(step.options or {})
        lang: Lang = options.get("lang", "nl")
        activity = step.context.activity
        form = activity.value if isinstance(activity.value, dict) else None
        if form is None or form.get("action") != CardAction.FEEDBACK_SUBMIT:
            # The user typed something else instead of filling in the form: hand the message back.
            return await step.end_dialog({"reroute": True})
        lang = form["lang"] if form.get("lang") in LANGS else lang
        checked = check_survey(
            form,
            units={unit_id for unit_id, _ in self._units(lang)},
            submission_id=submission_id(activity, self._submission_key),
            user_key=options.get("user_key", ""),
            contact_id=contact_id(activity),
            lang=lang,
            now=self._clock(),
        )
        if checked.response is None:
            retry = {**options, "lang": lang, "values": form, "problems": list(checked.problems)}
            return await step.replace_dialog(self.initial_dialog_id, retry)
        stored = await self._store.record_survey(checked.response)
        # The submission id is this activity's, and a redelivered activity never reaches the dialog (the
        # endpoint's dedupe acknowledges it): a response already stored under it was stored by an earlier
        # attempt of this very turn (a retry after a lost state race, or a takeover from a replica that
        # died mid-turn) whose thanks the user never saw. So it is thanks either way; `stored` only tells
        # the metrics whether a row was added.
        await step.context.send_activity(t("survey.thanks", lang))
        return await step.end_dialog({"stored": stored})
