"""Adoption pulses in the conversation: the card as the outbox sends it, the user's answer and "don't ask
me again", DRI's status card, and what "my data" and "delete my data" do with pulses.

The card is a live outbox kind (bot/proactive/dispatcher.py): drawn when it is sent, in the recipient's
language, with the unit they let the bot remember pre-selected; withdrawn when the pulse closed, or the user
answered or opted out meanwhile (a reminder also when their card never arrived).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.cards import pulse as pulse_cards
from bot.cards.values import Refusal
from bot.conversation.identity import submission_id, user_key_for
from bot.conversation.tickets import Reply
from bot.proactive import card_payload
from bot.proactive.dispatcher import LiveRenderer
from bot.settings import Settings
from bot.strings import t
from nwow.feedback.store import FeedbackStore
from nwow.feedback.units import Units
from nwow.language import Lang, normalize_locale
from nwow.outbox import Delivery, OutboxStore, PendingMessage
from nwow.pulses.answering import check_answer
from nwow.pulses.launch import KIND_PULSE, KIND_REMINDER, deliverable, pulse_status
from nwow.pulses.model import card_key
from nwow.pulses.store import UNIT_PREFERENCE, AnswerRecorded, PulseStore

__all__ = ["PulseDesk", "PulseServices"]

logger = logging.getLogger(__name__)

# Pulses shown in DRI's status card, latest first.
STATUS_SHOWN = 5


@dataclass(frozen=True)
class PulseServices:
    settings: Settings
    pulses: PulseStore
    outbox: OutboxStore
    feedback: FeedbackStore
    units: Callable[[], Units]
    is_dri: Callable[[Activity], bool]
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


class PulseDesk:
    def __init__(self, services: PulseServices) -> None:
        self._s = services

    def _min_group(self, pulse_min: int) -> int:
        return max(pulse_min, self._s.settings.min_group_size)

    # --- the outbox ----------------------------------------------------------------------------------

    def live(self) -> Mapping[str, LiveRenderer]:
        """The outbox kinds drawn when they are sent: the pulse card and its reminder."""
        return {KIND_PULSE: self._render, KIND_REMINDER: self._render}

    async def _render(self, message: PendingMessage) -> Mapping[str, Any] | None:
        pulse_id = str(message.payload["pulse"])
        lang = normalize_locale(str(message.payload.get("lang", ""))) or "nl"
        reminder = message.kind == KIND_REMINDER
        started = await deliverable(
            self._s.pulses,
            self._s.outbox,
            pulse_id,
            message.recipient,
            reminder=reminder,
            now=self._s.clock(),
        )
        if started is None:
            return None
        units = self._s.units()
        unit = await self._s.feedback.recall(message.recipient, UNIT_PREFERENCE)
        card = pulse_cards.render_pulse(
            started.pulse,
            lang,
            units.choices(lang),
            min_group=self._min_group(started.pulse.min_group),
            reminder=reminder,
            unit=unit if unit in units.ids() else None,
        )
        return card_payload(card)

    # --- the user ------------------------------------------------------------------------------------

    async def answer(self, turn_context: TurnContext, value: dict[str, Any], lang: Lang) -> Reply:
        activity = turn_context.activity
        pulse_id = pulse_cards.parse_pulse_id(value)
        if pulse_id is None:
            return Refusal("pulse")
        started = await self._s.pulses.get(pulse_id)
        if started is None:
            return Refusal("pulse")
        units = self._s.units()
        unit_ids = units.ids()
        submitted = pulse_cards.parse_pulse_submit(value, started.pulse, units=unit_ids)
        if isinstance(submitted, Refusal):
            return submitted
        user_key = user_key_for(activity, self._s.settings.effective_pseudonym_key)
        now = self._s.clock()
        if not started.takes_answers(now):
            return t("pulse.closed", lang)
        recipient = await self._s.pulses.recipient(pulse_id, user_key)
        key = card_key(pulse_id, user_key)
        card = (await self._s.outbox.delivery([key])).get(key)
        if recipient is None or card is None or card[0] is not Delivery.SENT:
            # Only someone whose card was sent can answer it (a forged submit, or a card not sent yet).
            return t("pulse.not_for_you", lang)
        checked = check_answer(
            started.pulse,
            submitted.given,
            unit=submitted.unit,
            units=unit_ids,
            user_key=user_key,
            lang=lang,
            submission_id=submission_id(activity, self._s.settings.effective_pseudonym_key),
            now=now,
        )
        if checked.answer is None:
            given = {key: text for key, text in submitted.given.items() if text}
            return pulse_cards.render_pulse(
                started.pulse,
                lang,
                units.choices(lang),
                min_group=self._min_group(started.pulse.min_group),
                unit=submitted.unit,
                remember_unit=submitted.remember_unit,
                answers=given,
                missing=checked.missing,
            )
        recorded = await self._s.pulses.record_answer(checked.answer, started.closes_at)
        if recorded is AnswerRecorded.CLOSED:
            return t("pulse.closed", lang)
        if recorded is AnswerRecorded.ALREADY:
            return t("pulse.already", lang)
        # Stored now, or by an earlier attempt of this very turn: the unit choice is the user's either way.
        if submitted.remember_unit and submitted.unit:
            await self._s.feedback.remember(user_key, UNIT_PREFERENCE, submitted.unit)
        elif not submitted.remember_unit:
            await self._s.feedback.forget(user_key, UNIT_PREFERENCE)
        if recorded:
            logger.info("pulse answer stored", extra={"event": "pulse.answered", "activity_id": activity.id})
        return t("pulse.thanks", lang)

    async def opt_out(self, turn_context: TurnContext, value: dict[str, Any], lang: Lang) -> Reply:
        activity = turn_context.activity
        found = pulse_cards.parse_pulse_opt_out(value)
        if isinstance(found, Refusal):
            return found
        user_key = user_key_for(activity, self._s.settings.effective_pseudonym_key)
        if await self._s.pulses.opt_out(user_key, self._s.clock()):
            logger.info("a user opted out of pulses", extra={"event": "pulse.opted_out"})
            return t("pulse.opted_out", lang)
        return t("pulse.opted_out_already", lang)

    async def user_data(self, user_key: str) -> tuple[int, bool]:
        """(pulse answers kept, asked never to be asked again)."""
        data = await self._s.pulses.user_data(user_key)
        return len(data.answers), data.opted_out

    async def forget_user(self, user_key: str) -> int:
        return await self._s.pulses.delete_user(user_key)

    # --- DRI -----------------------------------------------------------------------------------------

    async def status_card(self, activity: Activity, lang: Lang) -> dict[str, Any] | None:
        """The latest pulses' delivery and answers; None for anyone but DRI."""
        if not self._s.is_dri(activity):
            return None
        statuses = []
        for started in (await self._s.pulses.all())[:STATUS_SHOWN]:
            status = await pulse_status(
                self._s.pulses, started.pulse.id, min_group=self._s.settings.min_group_size
            )
            if status is not None:
                statuses.append(status)
        units = self._s.units()
        names = {unit_id: units.label(unit_id, lang) for unit_id in units.ids()}
        return pulse_cards.render_pulse_status(
            statuses, lang, names, now=self._s.clock(), min_group=self._s.settings.min_group_size
        )
