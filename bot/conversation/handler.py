"""The activity handler: turns a Teams activity into a call on the domain and renders the result as a card.

Routing is explicit: card submits go through the `CardAction` table, typed commands through the
`Command` table (bot/conversation/commands.py); anything else is a question for the office finder or the FAQ.
A card submit's data is read by its card's parser (bot/cards/: what the button offered, or a refusal);
the dialogs read the submits of their own cards the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botbuilder.core import (
    ActivityHandler,
    ConversationState,
    InvokeResponse,
    TurnContext,
    UserState,
)
from botbuilder.dialogs import (
    Dialog,
    DialogContext,
    DialogSet,
    DialogState,
    DialogTurnResult,
    DialogTurnStatus,
)
from botbuilder.schema import Activity, ActivityTypes

from bot.cards import faq as faq_cards
from bot.cards import privacy as privacy_cards
from bot.cards import tickets as ticket_cards
from bot.cards import welcome as welcome_cards
from bot.cards.actions import CardAction, parse_card_action, parse_card_verb
from bot.cards.message import card_message
from bot.cards.values import MAX_ID, Refusal, card_language
from bot.conversation.commands import Command, lookup_command
from bot.conversation.identity import submission_id, user_key_for
from bot.conversation.pulses import PulseDesk
from bot.conversation.refusal import refuse
from bot.conversation.staff import StaffReports
from bot.conversation.teams_text import is_group_conversation, mentions_bot, user_text
from bot.conversation.tickets import Reply, TicketDesk
from bot.metrics import BotMetrics
from bot.proactive import Proactive, card_payload, text_payload
from bot.settings import Settings
from bot.strings import t
from bot.turn.retry import save_states
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.model import Answer
from nwow.feedback.models import UnansweredQuestion, Vote
from nwow.feedback.store import FeedbackStore
from nwow.feedback.units import Units
from nwow.language import Lang, normalize_locale
from nwow.tickets import Origin
from nwow.tickets.questions import Outcome

logger = logging.getLogger(__name__)

# Activities of a personal chat from which the user's address is kept (bot/proactive).
_ADDRESS_UPDATES = frozenset({ActivityTypes.message, ActivityTypes.installation_update})
# turn_state flag: the user's data was deleted in this turn, so their state is not saved again.
_FORGOTTEN = "nwow.handler.forgotten"

# Universal Actions: the invoke of an Action.Execute click, and the content types of its answers.
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
INVOKE_CARD = "application/vnd.microsoft.card.adaptive"
INVOKE_MESSAGE = "application/vnd.microsoft.activity.message"

# Dialog ids (the class names of the dialogs in dialogs/).
OFFICE_FINDER = "OfficeFinderDialog"
FEEDBACK_SURVEY = "FeedbackSurveyDialog"

Handler = Callable[[TurnContext, Lang], Awaitable[None]]
ActionHandler = Callable[[TurnContext, dict[str, Any], Lang], Awaitable[None]]


@dataclass(frozen=True)
class BotServices:
    settings: Settings
    knowledge: Callable[[], KnowledgeBase]
    feedback: FeedbackStore
    conversation_state: ConversationState
    user_state: UserState
    dialogs: Sequence[Dialog]
    is_office_question: Callable[[str], bool]
    # The language of an office question (text, the client's locale): place and province names count.
    office_language: Callable[[str, str | None], Lang]
    staff: StaffReports
    metrics: BotMetrics
    on_installed: Callable[[Activity], Awaitable[object]]
    proactive: Proactive
    tickets: TicketDesk
    pulses: PulseDesk
    units: Callable[[], Units]
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


class NwowBot(ActivityHandler):  # type: ignore[misc]
    def __init__(self, services: BotServices) -> None:
        self._services = services
        self._settings = services.settings
        self._dialog_state = services.conversation_state.create_property("DialogState")
        self._welcomed_user = services.user_state.create_property("Welcomed")
        self._welcomed_conversation = services.conversation_state.create_property("Welcomed")
        self._dialog_set = DialogSet(self._dialog_state)
        for dialog in services.dialogs:
            self._dialog_set.add(dialog)
        self._commands: dict[Command, Handler] = {
            Command.HELP: self._help,
            Command.GREETING: self._reply_text("smalltalk.greeting"),
            Command.THANKS: self._reply_text("smalltalk.thanks"),
            Command.GOODBYE: self._reply_text("smalltalk.goodbye"),
            Command.CANCEL: self._cancel,
            Command.TOPICS: self._topics,
            Command.FEEDBACK: self._start_dialog(FEEDBACK_SURVEY),
            Command.OFFICES: self._start_dialog(OFFICE_FINDER),
            Command.FORGET_HOME: self._forget_home,
            Command.MY_DATA: self._my_data,
            Command.DELETE_MY_DATA: self._confirm_delete,
            Command.SUMMARY: self._summary,
            Command.UNANSWERED: self._unanswered,
            Command.MY_QUESTIONS: self._my_questions,
            Command.PULSES: self._pulses,
        }
        self._actions: dict[CardAction, ActionHandler] = {
            CardAction.FAQ_SHOW: self._show_entry,
            CardAction.FAQ_VOTE: self._vote,
            CardAction.TOPICS: self._ignore_value(self._topics),
            CardAction.TOPIC_SHOW: self._show_topic,
            CardAction.HELP: self._ignore_value(self._help),
            CardAction.FEEDBACK_START: self._ignore_value(self._start_dialog(FEEDBACK_SURVEY)),
            CardAction.OFFICES_START: self._ignore_value(self._start_dialog(OFFICE_FINDER)),
            CardAction.MY_DATA: self._ignore_value(self._my_data),
            CardAction.DELETE_MY_DATA: self._ignore_value(self._confirm_delete),
            CardAction.DELETE_CONFIRMED: self._ignore_value(self._delete_data),
            CardAction.DELETE_DECLINED: self._ignore_value(self._reply_text("mydata.kept")),
            CardAction.TICKET_ASK: self._ticket_reply(CardAction.TICKET_ASK, services.tickets.ask),
            CardAction.TICKET_RATE: self._ticket_reply(CardAction.TICKET_RATE, services.tickets.rate),
            CardAction.TICKET_REOPEN: self._ticket_reply(CardAction.TICKET_REOPEN, services.tickets.reopen),
            CardAction.TICKET_SHOW: self._ticket_reply(CardAction.TICKET_SHOW, services.tickets.show),
            CardAction.MY_QUESTIONS: self._ignore_value(self._my_questions),
            CardAction.PULSE_ANSWER: self._ticket_reply(CardAction.PULSE_ANSWER, services.pulses.answer),
            CardAction.PULSE_OPT_OUT: self._ticket_reply(CardAction.PULSE_OPT_OUT, services.pulses.opt_out),
        }
        # Card actions that answer a step of a dialog, and that dialog: they continue it when it is
        # running, else they start it with the button's data.
        self._dialog_actions: dict[CardAction, str] = {
            CardAction.FEEDBACK_SUBMIT: FEEDBACK_SURVEY,
            CardAction.OFFICES_PLACE: OFFICE_FINDER,
            CardAction.OFFICES_REMEMBER: OFFICE_FINDER,
            CardAction.OFFICES_PROVINCE: OFFICE_FINDER,
        }

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.type in _ADDRESS_UPDATES and not is_group_conversation(activity):
            # Where this user's personal chat is, for answers and pulses sent to them later.
            await self._services.proactive.remember_personal(self._user_key(turn_context), activity)
        # Where the ambassadors' team is, for the questions sent to its channels.
        await self._services.tickets.remember_team(activity)
        await super().on_turn(turn_context)
        # Both states in one write (one transaction): a StorageConflict leaves neither saved, and
        # bot/turn/retry.py runs the turn again from fresh state.
        if not turn_context.turn_state.get(_FORGOTTEN):
            await save_states(turn_context, (self._services.conversation_state, self._services.user_state))

    # --- welcome -----------------------------------------------------------------------------------

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        # The welcome follows the app's installation (personal chat, team or group chat): Teams sends an
        # installationUpdate for each, with the user's locale. It also sends a conversationUpdate in the
        # same instant; welcoming on one event type only keeps the two from racing, and the "welcomed"
        # flag keeps a re-install from welcoming twice.
        await self._welcome_once(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        # The user removed the app from their personal scope: nothing may be sent to them any more.
        if not is_group_conversation(turn_context.activity):
            await self._services.proactive.forget(self._user_key(turn_context))

    async def _welcome_once(self, turn_context: TurnContext) -> None:
        await self._services.on_installed(turn_context.activity)
        flag = (
            self._welcomed_conversation
            if is_group_conversation(turn_context.activity)
            else self._welcomed_user
        )
        if await flag.get(turn_context, False):
            return
        await flag.set(turn_context, True)
        lang = normalize_locale(turn_context.activity.locale) or "nl"
        await self._send_card(turn_context, welcome_cards.render_welcome(lang))

    # --- messages ----------------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        action = parse_card_action(value)
        text = user_text(activity)
        if is_group_conversation(activity) and action is None and not mentions_bot(activity):
            return
        dialog_context = await self._running_dialog(turn_context)

        if action is not None and value is not None:
            # A button of a dialog step goes to the running dialog first; one that dialog hands back (a
            # button of another flow, e.g. a place while the survey is open) is handled anew below.
            if (
                action in self._dialog_actions
                and dialog_context is not None
                and not await self._continue_dialog(dialog_context, turn_context)
            ):
                return
            lang = self._language(activity, text, value)
            if action in self._dialog_actions:
                await self._start_dialog_with(turn_context, lang, self._dialog_actions[action], value)
                return
            await self._actions[action](turn_context, value, lang)
            return
        if not text:
            return
        if dialog_context is not None and not await self._continue_dialog(dialog_context, turn_context):
            return
        await self._route_text(turn_context, text)

    async def _running_dialog(self, turn_context: TurnContext) -> DialogContext | None:
        """The dialog context when a dialog is running, else None.

        Most messages are questions with no dialog running; a DialogContext costs more than the state
        check (it builds the dialog memory scopes), so it is only made when there is a dialog to continue.
        """
        state = await self._dialog_state.get(turn_context, DialogState)
        if not state.dialog_stack:
            return None
        return await self._dialog_set.create_context(turn_context)

    async def _route_text(self, turn_context: TurnContext, text: str) -> None:
        """A typed message: a command, a question for the office finder, or a question for the FAQ.

        (The FAQ match detects the language itself; it is not detected twice.)
        """
        locale = turn_context.activity.locale
        command = lookup_command(text)
        if command is not None:
            found, phrase_lang = command
            reply_lang = (
                phrase_lang or normalize_locale(locale) or self._language(turn_context.activity, text)
            )
            await self._commands[found](turn_context, reply_lang)
        elif self._services.is_office_question(text):
            lang = self._services.office_language(text, locale)
            await self._start_dialog_with(turn_context, lang, OFFICE_FINDER, {"question": text})
        else:
            await self._answer_question(turn_context, text)

    async def _continue_dialog(self, dialog_context: DialogContext, turn_context: TurnContext) -> bool:
        """Give the message to the running dialog; True when the dialog handed it back (status complete,
        {"reroute": True}) because the user moved on to something else instead of answering its question."""
        result = await dialog_context.continue_dialog()
        self._count_survey(result)
        return bool(
            result.status == DialogTurnStatus.Complete
            and isinstance(result.result, dict)
            and result.result.get("reroute")
        )

    def _count_survey(self, result: DialogTurnResult) -> None:
        if isinstance(result.result, dict) and "stored" in result.result:
            self._services.metrics.feedback.labels(
                kind="survey", new=str(result.result["stored"]).lower()
            ).inc()

    def _language(self, activity: Activity, text: str, value: dict[str, Any] | None = None) -> Lang:
        return card_language(value) or self._services.knowledge().detect_language(text, activity.locale)

    # --- FAQ ---------------------------------------------------------------------------------------

    async def _answer_question(self, turn_context: TurnContext, text: str) -> None:
        kb = self._services.knowledge()
        metrics = self._services.metrics
        desk = self._services.tickets
        activity = turn_context.activity
        with metrics.answer_latency.time():
            result = kb.match(
                text,
                activity.locale,
                threshold=self._settings.match_threshold,
                gap=self._settings.match_ambiguity_gap,
            )
        metrics.questions.labels(result=result.status).inc()
        lang = result.lang
        if result.status == "answered" and result.answer is not None:
            entry = result.answer.entry
            q = await desk.record_question(
                activity, Outcome.ANSWERED, lang, topic=entry.topic, entry_id=entry.id
            )
            await self._send_answer(turn_context, kb, result.answer, q=q, question=text)
            return
        if result.status == "ambiguous":
            topic = result.choices[0].topic if result.choices else ""
            q = await desk.record_question(activity, Outcome.SUGGESTED, lang, topic=topic)
            offer = desk.offer(Origin.NONE_OF_THESE, text, lang, q=q, topic=topic)
            await self._send_card(turn_context, faq_cards.render_did_you_mean(result.choices, lang, offer))
            return
        await self._services.feedback.record_unanswered(
            UnansweredQuestion(
                submission_id=submission_id(activity, self._settings.effective_pseudonym_key),
                text=text,
                lang=lang,
                asked_at=self._services.clock(),
                candidates=tuple((c.entry_id, round(c.score, 4)) for c in result.candidates[:3]),
            )
        )
        topic = desk.topic_of(result.candidates)
        if not kb.covers(text):
            q = await desk.record_question(activity, Outcome.OUT_OF_SCOPE, lang)
            offer = desk.offer(Origin.OUT_OF_SCOPE, text, lang, q=q)
            await self._send_card(turn_context, ticket_cards.render_out_of_scope(offer, lang))
            return
        q = await desk.record_question(activity, Outcome.UNANSWERED, lang, topic=topic)
        offer = desk.offer(Origin.UNANSWERED, text, lang, q=q, topic=topic)
        await self._send_card(turn_context, faq_cards.render_unknown(lang, offer))

    async def _show_entry(self, turn_context: TurnContext, value: dict[str, Any], lang: Lang) -> None:
        choice = faq_cards.parse_entry_choice(value)
        if isinstance(choice, Refusal):
            await refuse(turn_context, choice, CardAction.FAQ_SHOW.value, lang)
            return
        kb = self._services.knowledge()
        entry = kb.entry(choice.entry_id)
        if entry is None:
            await turn_context.send_activity(t("faq.entry_gone", lang))
            return
        if choice.q and choice.question:
            # Chosen under "Did you mean": the question is resolved, and the entry learns its wording.
            await self._services.tickets.resolved_by_suggestion(
                turn_context.activity, choice.q, choice.question, entry, lang
            )
        content_lang, _content = entry.content_for(lang)
        answer = Answer(entry=entry, lang=content_lang, asked_lang=lang, score=1.0)
        await self._send_answer(turn_context, kb, answer, q=choice.q, question=choice.question)

    async def _send_answer(
        self, turn_context: TurnContext, kb: KnowledgeBase, answer: Answer, *, q: str = "", question: str = ""
    ) -> None:
        """The answer card, with the entry's related questions; votes on it name this activity's id."""
        related = [e for e in (kb.entry(i) for i in answer.entry.related) if e is not None]
        answer_id = turn_context.activity.id or ""
        card = faq_cards.render_answer(
            answer, answer_id, related, settings=self._settings.answer_values, q=q, question=question
        )
        await self._send_card(turn_context, card)

    async def _vote(self, turn_context: TurnContext, value: dict[str, Any], lang: Lang) -> None:
        vote = faq_cards.parse_vote(value)
        if isinstance(vote, Refusal):
            await refuse(turn_context, vote, CardAction.FAQ_VOTE.value, lang)
            return
        if self._services.knowledge().entry(vote.entry_id) is None:
            await turn_context.send_activity(t("faq.entry_gone", lang))
            return
        stored = await self._services.feedback.record_vote(
            Vote(
                submission_id=submission_id(turn_context.activity, self._settings.effective_pseudonym_key),
                user_key=self._user_key(turn_context),
                entry_id=vote.entry_id,
                answer_id=vote.answer_id or (turn_context.activity.reply_to_id or "")[:MAX_ID],
                helpful=vote.helpful,
                lang=lang,
                voted_at=self._services.clock(),
            )
        )
        self._services.metrics.feedback.labels(kind="vote", new=str(stored).lower()).inc()
        if vote.q:
            await self._services.tickets.voted(turn_context.activity, vote.q, vote.helpful)
        if not vote.helpful and vote.question:
            # 👎: what was missing? An ambassador can answer.
            offer = self._services.tickets.offer(
                Origin.THUMBS_DOWN, vote.question, lang, q=vote.q, entry_id=vote.entry_id
            )
            await self._send_card(turn_context, ticket_cards.render_ask_form(offer, lang))
            return
        thanks = "faq.vote_thanks_up" if vote.helpful else "faq.vote_thanks_down"
        await turn_context.send_activity(t(thanks, lang))

    async def _topics(self, turn_context: TurnContext, lang: Lang) -> None:
        topics = self._services.knowledge().topics_in(lang)
        rows = [(topic.topic, topic.name, len(topic.entries)) for topic in topics]
        await self._send_card(turn_context, faq_cards.render_topics(rows, lang))

    async def _show_topic(self, turn_context: TurnContext, value: dict[str, Any], lang: Lang) -> None:
        choice = faq_cards.parse_topic_choice(value)
        if isinstance(choice, Refusal):
            await refuse(turn_context, choice, CardAction.TOPIC_SHOW.value, lang)
            return
        for topic in self._services.knowledge().topics_in(lang):
            if topic.topic == choice.topic:
                card = faq_cards.render_topic_entries(topic.name, topic.entries, lang)
                await self._send_card(turn_context, card)
                return
        await self._topics(turn_context, lang)

    # --- simple commands ---------------------------------------------------------------------------

    async def _help(self, turn_context: TurnContext, lang: Lang) -> None:
        staff = self._services.staff.is_ambassador(turn_context.activity)  # DRI members are ambassadors too
        await self._send_card(turn_context, welcome_cards.render_help(lang, staff=staff))

    def _reply_text(self, key: str) -> Handler:
        async def reply(turn_context: TurnContext, lang: Lang) -> None:
            await turn_context.send_activity(t(key, lang))

        return reply

    @staticmethod
    def _ignore_value(handler: Handler) -> ActionHandler:
        async def run(turn_context: TurnContext, _value: dict[str, Any], lang: Lang) -> None:
            await handler(turn_context, lang)

        return run

    async def _cancel(self, turn_context: TurnContext, lang: Lang) -> None:
        await turn_context.send_activity(t("common.cancelled", lang))

    def _start_dialog(self, dialog_id: str) -> Handler:
        async def start(turn_context: TurnContext, lang: Lang) -> None:
            await self._start_dialog_with(turn_context, lang, dialog_id, {})

        return start

    async def _start_dialog_with(
        self, turn_context: TurnContext, lang: Lang, dialog_id: str, extra: dict[str, Any]
    ) -> None:
        dialog_context = await self._dialog_set.create_context(turn_context)
        await dialog_context.cancel_all_dialogs()
        user_key = self._user_key(turn_context)
        if dialog_id == OFFICE_FINDER and is_group_conversation(turn_context.activity):
            # In a team or group chat the finder neither shows nor offers to remember a home area: without a
            # user key it treats the user as anonymous.
            user_key = ""
        # The button's data first: it must not override who the user is or the language chosen here.
        options = {**extra, "lang": lang, "user_key": user_key}
        self._count_survey(await dialog_context.begin_dialog(dialog_id, options))

    async def _forget_home(self, turn_context: TurnContext, lang: Lang) -> None:
        await self._services.feedback.forget(self._user_key(turn_context), privacy_cards.HOME_AREA)
        await self._reply_personally(turn_context, lang, text_payload(t("offices.forgotten", lang)))

    # --- privacy -----------------------------------------------------------------------------------

    async def _my_data(self, turn_context: TurnContext, lang: Lang) -> None:
        user_key = self._user_key(turn_context)
        data = await self._services.feedback.user_data(user_key)
        tickets = await self._services.tickets.counts(user_key)
        pulses = await self._services.pulses.user_data(user_key)
        units = self._services.units()
        await self._reply_personally(
            turn_context,
            lang,
            card_payload(
                privacy_cards.render_my_data(
                    data,
                    lang,
                    retention_days=self._settings.retention_days,
                    tickets=tickets,
                    pulses=pulses,
                    unit_name=lambda unit_id: units.label(unit_id, lang),
                )
            ),
        )

    async def _confirm_delete(self, turn_context: TurnContext, lang: Lang) -> None:
        card = privacy_cards.render_delete_confirm(lang, min_group=self._settings.min_group_size)
        await self._reply_personally(turn_context, lang, card_payload(card))

    async def _delete_data(self, turn_context: TurnContext, lang: Lang) -> None:
        user_key = self._user_key(turn_context)
        count = await self._services.feedback.delete_user_data(user_key)
        count += await self._services.tickets.forget_user(user_key)
        count += await self._services.pulses.forget_user(user_key)
        await self._services.proactive.forget(user_key)
        for state in (self._services.user_state, self._services.conversation_state):
            await state.load(turn_context)  # BotState.delete only works on loaded state
            await state.delete(turn_context)
        # Nothing of the user's is written again in this turn (not even the "welcomed" flag), and the
        # confirmation goes to the chat the button was pressed in without keeping its address.
        turn_context.turn_state[_FORGOTTEN] = True
        await turn_context.send_activity(t("mydata.deleted", lang, count=count))

    # --- ask an ambassador -------------------------------------------------------------------------

    def _ticket_reply(
        self, action: CardAction, run_action: Callable[[TurnContext, dict[str, Any], Lang], Awaitable[Reply]]
    ) -> ActionHandler:
        """A ticket action of the user, answered (privately, from a group) with its card or text."""

        async def run(turn_context: TurnContext, value: dict[str, Any], lang: Lang) -> None:
            reply = await run_action(turn_context, value, lang)
            if isinstance(reply, Refusal):
                await refuse(turn_context, reply, action.value, lang)
                return
            payload = card_payload(reply) if isinstance(reply, dict) else text_payload(reply)
            await self._reply_personally(turn_context, lang, payload)

        return run

    async def _my_questions(self, turn_context: TurnContext, lang: Lang) -> None:
        card = await self._services.tickets.my_questions(turn_context.activity, lang)
        await self._reply_personally(turn_context, lang, card_payload(card))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """Action.Execute clicks of this bot's verbs (the ambassadors' cards) are answered with the card as
        it is now (or a message); every other invoke, malformed ones included, gets the SDK's answer (400 in
        the Adaptive Card error shape, 501 for a verb or invoke the bot does not implement)."""
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        found = value.get("action")
        action: dict[str, Any] = found if isinstance(found, dict) else {}
        verb = parse_card_verb(action.get("verb")) if action.get("type") == "Action.Execute" else None
        if activity.name != ADAPTIVE_CARD_ACTION or verb is None:
            return await super().on_invoke_activity(turn_context)
        raw = action.get("data")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        reply = await self._services.tickets.act(activity, verb, data)
        if reply.card is not None:
            return InvokeResponse(
                status=200, body={"statusCode": 200, "type": INVOKE_CARD, "value": reply.card}
            )
        return InvokeResponse(
            status=200, body={"statusCode": 200, "type": INVOKE_MESSAGE, "value": reply.text}
        )

    # --- staff -------------------------------------------------------------------------------------

    async def _summary(self, turn_context: TurnContext, lang: Lang) -> None:
        card = await self._services.staff.summary_card(turn_context.activity, lang)
        await self._send_staff_card(turn_context, card, "staff.audience_dri", lang)

    async def _pulses(self, turn_context: TurnContext, lang: Lang) -> None:
        card = await self._services.pulses.status_card(turn_context.activity, lang)
        await self._send_staff_card(turn_context, card, "staff.audience_dri", lang)

    async def _unanswered(self, turn_context: TurnContext, lang: Lang) -> None:
        card = await self._services.staff.unanswered_card(turn_context.activity, lang)
        await self._send_staff_card(turn_context, card, "staff.audience_ambassadors", lang)

    async def _send_staff_card(
        self, turn_context: TurnContext, card: dict[str, Any] | None, audience_key: str, lang: Lang
    ) -> None:
        """A staff report, only ever in the member's personal chat; a polite refusal to anyone else."""
        if card is None:
            logger.warning(
                "refused %s to a user who is not a member",
                audience_key,
                extra={"activity_id": turn_context.activity.id, "event": "staff.refused"},
            )
            refusal = t("staff.refused", lang, audience=t(audience_key, lang))
            await self._reply_personally(turn_context, lang, text_payload(refusal))
            return
        await self._reply_personally(turn_context, lang, card_payload(card))

    async def _reply_personally(self, turn_context: TurnContext, lang: Lang, payload: dict[str, Any]) -> None:
        """A reply with personal data or a staff report: in a personal chat, as a reply; in a team or group
        chat, sent to the user's personal chat with the bot, and the group is only told so."""
        activity = turn_context.activity
        if not is_group_conversation(activity):
            await turn_context.send_activity(_activity_of(payload))
            return
        sent = await self._services.proactive.send_privately(
            self._user_key(turn_context), activity, [payload]
        )
        await turn_context.send_activity(
            t("privacy.sent_privately" if sent else "privacy.ask_privately", lang)
        )

    # --- helpers -----------------------------------------------------------------------------------

    def _user_key(self, turn_context: TurnContext) -> str:
        return user_key_for(turn_context.activity, self._settings.effective_pseudonym_key)

    @staticmethod
    async def _send_card(turn_context: TurnContext, card: dict[str, Any]) -> None:
        # card_message: the SDK's per-send deep copy of the whole card is skipped (bot/cards/message.py).
        await turn_context.send_activity(card_message(card))


def _activity_of(payload: dict[str, Any]) -> Activity:
    """The reply for a payload built for the outbox (bot/proactive/payloads.py)."""
    if payload.get("attachments"):
        return card_message(payload["attachments"][0]["content"])
    return Activity(type=ActivityTypes.message, text=payload.get("text", ""))
