"""Ask an ambassador, as turns: the user's form, the ambassadors' buttons, the answer in the user's chat.

The handler calls `TicketDesk` from its command and action tables; everything sent unasked (the card in the
ambassadors' channel and its updates, the answer to the user, the reminder) goes through the outbox
(`Proactive.queue`). Each state change is one atomic store call (nwow/tickets/store.py), so several replicas
and double clicks are safe: the outbox keys name the change (ticket number and version, or the answering
submission), so a retried turn queues nothing twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.cards import ambassadors as ambassador_cards
from bot.cards import tickets as ticket_cards
from bot.cards.actions import CardVerb
from bot.cards.ambassadors import AnswerSubmit, parse_answer, parse_answer_entry, parse_ticket_click
from bot.cards.tickets import AskOffer, parse_ask, parse_rate, parse_reopen, parse_ticket
from bot.cards.values import Refusal
from bot.conversation.ambassadors import AmbassadorTeam, ambassador_of
from bot.conversation.identity import submission_id, user_key_for
from bot.conversation.ticket_delivery import KIND_CARD, KIND_REMINDER, TicketCardView, card_key
from bot.proactive import Proactive, card_payload
from bot.settings import Settings
from bot.strings import t
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.model import Candidate, FaqEntry, Link
from nwow.faq.text import normalize_question
from nwow.feedback.units import Units
from nwow.language import Lang
from nwow.outbox import OutboxMessage
from nwow.privacy import scrub_personal_data
from nwow.tickets import Act, Acted, Ambassador, NewTicket, Origin, Ticket, TicketAnswer, TicketStatus
from nwow.tickets.proposals import NewProposal, ProposalKind
from nwow.tickets.questions import AskedQuestion, Outcome
from nwow.tickets.routing import Routing
from nwow.tickets.store import ProposalStore, QuestionLog, TicketStore

__all__ = [
    "KIND_ANSWER",
    "KIND_CARD",
    "KIND_REMINDER",
    "InvokeReply",
    "Reply",
    "TicketDesk",
    "TicketServices",
]

logger = logging.getLogger(__name__)

KIND_ANSWER: Final = "ticket-answer"
GROUP: Final = "tickets"
# A candidate this close names the topic a question is routed by.
TOPIC_FLOOR: Final = 0.25
SWEEP_BATCH: Final = 50


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


# What a ticket action of the user is answered with: a card, a text, or a refusal of what the card sent.
Reply = dict[str, Any] | str | Refusal


@dataclass(frozen=True)
class InvokeReply:
    """The answer to an ambassador's click: the card as it is now (with a note for them), or a text."""

    card: dict[str, Any] | None = None
    text: str = ""


@dataclass(frozen=True)
class TicketServices:
    settings: Settings
    tickets: TicketStore
    questions: QuestionLog
    proposals: ProposalStore
    proactive: Proactive
    team: AmbassadorTeam
    knowledge: Callable[[], KnowledgeBase]
    routing: Callable[[], Routing]
    units: Callable[[], Units]
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


class TicketDesk:
    def __init__(self, services: TicketServices, view: TicketCardView) -> None:
        self._s = services
        self._view = view
        self._settings = services.settings
        self._hours = services.settings.working_hours
        self._team_lang: Lang = services.settings.digest_lang  # type: ignore[assignment]

    # --- questions and what became of them -------------------------------------------------------

    def question_ref(self, activity: Activity) -> str:
        """The reference of the question this activity asks (also its unanswered record's id)."""
        return submission_id(activity, self._settings.effective_pseudonym_key)

    async def record_question(
        self, activity: Activity, outcome: Outcome, lang: Lang, *, topic: str = "", entry_id: str = ""
    ) -> str:
        ref = self.question_ref(activity)
        await self._s.questions.record(
            AskedQuestion(
                ref=ref,
                user_key=self._user_key(activity),
                asked_at=self._s.clock(),
                lang=lang,
                outcome=outcome,
                topic=topic,
                entry_id=entry_id,
            )
        )
        return ref

    def topic_of(self, candidates: tuple[Candidate, ...]) -> str:
        kb = self._s.knowledge()
        for candidate in candidates[:1]:
            entry = kb.entry(candidate.entry_id)
            if entry is not None and candidate.score >= TOPIC_FLOOR:
                return entry.topic
        return ""

    def offer(
        self, origin: Origin, question: str, lang: Lang, *, q: str = "", topic: str = "", entry_id: str = ""
    ) -> AskOffer:
        return AskOffer(
            origin, question, q=q, topic=topic, entry_id=entry_id, units=self._s.units().choices(lang)
        )

    async def resolved_by_suggestion(
        self, activity: Activity, q: str, question: str, entry: FaqEntry, lang: Lang
    ) -> None:
        """The user chose `entry` under "Did you mean" for `question`: the question is resolved, and its
        wording becomes a proposed variant of the entry."""
        user_key = self._user_key(activity)
        await self._s.questions.move(
            q, user_key, Outcome.RESOLVED, self._s.clock(), entry_id=entry.id, topic=entry.topic
        )
        await self._propose_variant(entry, question, lang, source=f"suggestion:{q}", user_key=user_key)

    async def voted(self, activity: Activity, q: str, helpful: bool) -> None:
        await self._s.questions.rate(q, self._user_key(activity), helpful, self._s.clock())

    # --- the user ----------------------------------------------------------------------------------

    async def ask(self, turn_context: TurnContext, value: Mapping[str, object], lang: Lang) -> Reply:
        """Open a ticket from the form; the card (or text) to answer the user with."""
        activity = turn_context.activity
        kb = self._s.knowledge()
        submit = parse_ask(
            value,
            topics=frozenset(kb.topics) | {e.topic for e in kb.entries.values()},
            entries=kb.entries.keys(),
            units=self._s.units().ids(),
        )
        if isinstance(submit, Refusal):
            return submit
        now = self._s.clock()
        channel = self._s.routing().route(submit.topic, lang)
        channel_id = channel.id or self._settings.ambassador_team_id
        name = (activity.from_property.name or "").strip()[:200] if activity.from_property else ""
        reminder = self._settings.ticket_reminder_hours
        user_key = self._user_key(activity)
        ticket, created = await self._s.tickets.create(
            NewTicket(
                submission_id=self._form_key(user_key, submit.q, activity),
                user_key=user_key,
                question=submit.question,
                context=submit.context,
                lang=lang,
                origin=submit.origin,
                topic=submit.topic,
                entry_id=submit.entry_id,
                unit=submit.unit,
                requester_name=(name or None) if submit.share_name else None,
                question_ref=submit.q,
                channel=channel_id,
                candidates=self._candidates(kb, submit.question, lang),
                created_at=now,
                remind_at=self._hours.add(now, timedelta(hours=reminder)) if reminder > 0 else None,
            )
        )
        if created:
            logger.info("ticket %d opened", ticket.number, extra={"event": "tickets.opened"})
            if submit.q:
                await self._s.questions.move(
                    submit.q, ticket.user_key, Outcome.ESCALATED, now, ticket=ticket.number
                )
            await self._show_to_ambassadors(ticket)
        return ticket_cards.render_ticket_created(ticket.number, lang, again=not created)

    async def rate(self, turn_context: TurnContext, value: Mapping[str, object], lang: Lang) -> Reply:
        submit = parse_rate(value)
        if isinstance(submit, Refusal):
            return submit
        acted = await self._s.tickets.rate(
            submit.ticket, self._user_key(turn_context.activity), submit.helpful, self._s.clock()
        )
        if acted.act is Act.MISSING:
            return t("ticket.gone", lang)
        if acted.act is Act.NOT_ANSWERED:
            return t("ticket.not_answered_yet", lang, number=submit.ticket)
        if acted.changed and acted.ticket is not None:
            await self._s.questions.rate_ticket(submit.ticket, submit.helpful, self._s.clock())
            await self._update_card(acted.ticket)
        return t("ticket.rated_up" if submit.helpful else "ticket.rated_down", lang)

    async def reopen(self, turn_context: TurnContext, value: Mapping[str, object], lang: Lang) -> Reply:
        submit = parse_reopen(value)
        if isinstance(submit, Refusal):
            return submit
        now = self._s.clock()
        reminder = self._settings.ticket_reminder_hours
        acted = await self._s.tickets.reopen(
            submit.ticket,
            self._user_key(turn_context.activity),
            submit.note,
            self.question_ref(turn_context.activity),
            now,
            self._hours.add(now, timedelta(hours=reminder)) if reminder > 0 else None,
        )
        if acted.act is Act.MISSING:
            return t("ticket.gone", lang)
        if acted.act is Act.NOT_ANSWERED:
            return t("ticket.not_answered_yet", lang, number=submit.ticket)
        if acted.changed and acted.ticket is not None:
            await self._s.questions.move_ticket(submit.ticket, Outcome.ESCALATED, now)
            await self._update_card(acted.ticket)
        return t("ticket.reopened", lang, number=submit.ticket)

    async def show(self, turn_context: TurnContext, value: Mapping[str, object], lang: Lang) -> Reply:
        """The answer of one of the user's tickets again (from "my questions")."""
        number = parse_ticket(value)
        if isinstance(number, Refusal):
            return number
        ticket = await self._s.tickets.get(number)
        if ticket is None or ticket.user_key != self._user_key(turn_context.activity):
            return t("ticket.gone", lang)
        if ticket.status is not TicketStatus.ANSWERED:
            return t("ticket.not_answered_yet", lang, number=number)
        return self._answer_card(ticket, lang)

    async def my_questions(self, activity: Activity, lang: Lang) -> dict[str, Any]:
        user_key = self._user_key(activity)
        tickets = await self._s.tickets.for_user(user_key, ticket_cards.MY_QUESTIONS_SHOWN)
        total = (
            await self._s.tickets.count_for_user(user_key)
            if len(tickets) >= ticket_cards.MY_QUESTIONS_SHOWN
            else len(tickets)
        )
        return ticket_cards.render_my_questions(tickets, total, lang)

    # --- the ambassadors ---------------------------------------------------------------------------

    async def act(self, activity: Activity, verb: CardVerb, value: Mapping[str, object]) -> InvokeReply:
        """An ambassador's click on a question's card; the card as it is now, with a note for them."""
        lang = self._team_lang
        ambassador = ambassador_of(activity, self._settings)
        if ambassador is None:
            logger.warning(
                "a click on a question's card by someone who is not an ambassador",
                extra={"event": "tickets.refused_role"},
            )
            return InvokeReply(text=t("amb.note.not_ambassador", lang))
        kb = self._s.knowledge()
        if verb in (CardVerb.CLAIM, CardVerb.RELEASE):
            number = parse_ticket_click(value)
            if isinstance(number, Refusal):
                return self._refused(activity, verb, number)
            act = self._s.tickets.claim if verb is CardVerb.CLAIM else self._s.tickets.release
            acted = await act(number, ambassador, self._s.clock())
        else:
            if verb is CardVerb.ANSWER:
                links = {link.key for entry in kb.entries.values() for link in entry.links}
                submit = parse_answer(value, links=links)
            else:
                submit = parse_answer_entry(value, entries=kb.entries.keys())
            if isinstance(submit, Refusal):
                return self._refused(activity, verb, submit)
            number = submit.ticket
            acted = await self._answer(activity, ambassador, submit)
        if acted.ticket is None:
            return InvokeReply(card=ambassador_cards.render_ticket_deleted(number, lang))
        if acted.changed:
            await self._update_card(acted.ticket)
        note, kind = self._note(verb, acted, ambassador)
        card = ambassador_cards.render_ticket_card(
            acted.ticket, self._view.context(acted.ticket), lang, note=note, note_kind=kind
        )
        return InvokeReply(card=card)

    def _refused(self, activity: Activity, verb: CardVerb, refusal: Refusal) -> InvokeReply:
        logger.warning(
            "refused the %s field of a %s click",
            refusal.field,
            verb.value,
            extra={"activity_id": activity.id, "event": "card.refused"},
        )
        return InvokeReply(text=t("card.not_right", self._team_lang))

    async def _answer(self, activity: Activity, ambassador: Ambassador, submit: AnswerSubmit) -> Acted:
        answer = (
            TicketAnswer(entry_id=submit.entry_id)
            if submit.entry_id
            else TicketAnswer(text=submit.text, links=submit.links)
        )
        submission = self.question_ref(activity)
        now = self._s.clock()
        acted = await self._s.tickets.answer(submit.ticket, ambassador, answer, submission, now)
        if not acted.changed or acted.ticket is None:
            return acted
        ticket = acted.ticket
        await self._s.proactive.queue(
            [
                OutboxMessage(
                    key=f"{KIND_ANSWER}:{ticket.number}:{_digest(submission)}",
                    kind=KIND_ANSWER,
                    recipient=ticket.user_key,
                    payload=card_payload(self._answer_card(ticket, ticket.lang)),
                    not_before=now,
                    group=GROUP,
                )
            ]
        )
        await self._s.questions.move_ticket(ticket.number, Outcome.AMBASSADOR_ANSWERED, now)
        kb = self._s.knowledge()
        entry = kb.entry(submit.entry_id) if submit.entry_id else None
        if entry is not None:
            await self._propose_variant(
                entry,
                ticket.question,
                ticket.lang,
                source=f"ticket:{ticket.number}",
                user_key=ticket.user_key,
            )
        elif submit.draft:
            await self._propose_draft(ticket, answer, ambassador)
        logger.info("ticket %d answered", ticket.number, extra={"event": "tickets.answered"})
        return acted

    def _note(
        self, verb: CardVerb, acted: Acted, ambassador: Ambassador
    ) -> tuple[str | None, ambassador_cards.NoteKind]:
        """What the card tells the ambassador who clicked (nobody else sees it)."""
        lang = self._team_lang
        ticket = acted.ticket
        holder = ticket.claimed_by.name if ticket is not None and ticket.claimed_by is not None else ""
        if acted.act is Act.TAKEN:
            key = "amb.note.taken" if verb is CardVerb.CLAIM else "amb.note.not_yours"
            return t(key, lang, name=holder), "warning"
        if acted.act is Act.NOT_YOURS:
            return t("amb.note.not_yours", lang, name=holder), "warning"
        if acted.act is Act.ANSWERED:
            return t("amb.note.answered", lang), "warning"
        if verb in (CardVerb.ANSWER, CardVerb.ANSWER_ENTRY):
            return t("amb.note.sent", lang), "good"
        if verb is CardVerb.RELEASE:
            return t("amb.note.released", lang), "good"
        if ticket is not None and ticket.claimed_by == ambassador:
            return t("amb.note.claimed", lang), "good"
        return None, "good"

    # --- the ambassadors' channel ------------------------------------------------------------------

    async def remember_team(self, activity: Activity) -> None:
        """Keep the team's address from its activities; when the bot meets the team for the first time in
        this process, post the cards of questions asked before it knew the team."""
        if await self._s.team.remember(activity):
            await self.post_waiting_cards()

    async def post_waiting_cards(self) -> int:
        posted = 0
        for ticket in await self._s.tickets.cards_to_post(SWEEP_BATCH):
            posted += await self._post_card(ticket)
        return posted

    async def _show_to_ambassadors(self, ticket: Ticket) -> None:
        if not ticket.channel:
            logger.warning(
                "ticket %d: no ambassadors' team is configured (NWOW_AMBASSADOR_TEAM_ID)", ticket.number
            )
            return
        await self._post_card(ticket)

    async def _post_card(self, ticket: Ticket) -> int:
        recipient = await self._s.team.channel(ticket.channel) if ticket.channel else None
        if recipient is None:
            return 0
        message = OutboxMessage(
            card_key(ticket.number), KIND_CARD, recipient, {"ticket": ticket.number}, self._s.clock(), GROUP
        )
        queued = await self._s.proactive.queue([message])
        await self._s.tickets.card_queued(ticket.number)
        return queued

    async def _update_card(self, ticket: Ticket) -> None:
        """Show the ticket's new state on its card in the channel, for everyone (rendered when sent)."""
        if not ticket.card_queued:
            await self._show_to_ambassadors(ticket)
            return
        await self._replace_card(ticket, f"v{ticket.version}")

    async def _replace_card(self, ticket: Ticket, change: str) -> None:
        """Queue an update of the ticket's card, named by `change` (queued once per change)."""
        recipient = await self._s.team.channel(ticket.channel)
        if recipient is None:
            return
        update = OutboxMessage(
            f"{card_key(ticket.number)}:{change}",
            KIND_CARD,
            recipient,
            {"ticket": ticket.number},
            self._s.clock(),
            GROUP,
            replaces=card_key(ticket.number),
        )
        await self._s.proactive.queue([update])

    async def sweep(self) -> int:
        """Reminders that are due (each once, across replicas), and cards still to post; the number queued."""
        queued = 0
        for ticket in await self._s.tickets.claim_reminders(self._s.clock(), SWEEP_BATCH):
            recipient = await self._s.team.channel(ticket.channel) if ticket.channel else None
            if recipient is None:
                continue
            key = f"{KIND_REMINDER}:{ticket.number}:{ticket.reopened}"
            queued += await self._s.proactive.queue(
                [
                    OutboxMessage(
                        key, KIND_REMINDER, recipient, {"ticket": ticket.number}, self._s.clock(), GROUP
                    )
                ]
            )
        return queued + await self.post_waiting_cards()

    # --- privacy -----------------------------------------------------------------------------------

    async def counts(self, user_key: str) -> tuple[int, int, int]:
        """(tickets, question records, proposal supports) kept for the user."""
        return (
            await self._s.tickets.count_for_user(user_key),
            await self._s.questions.count_for_user(user_key),
            await self._s.proposals.count_for_user(user_key),
        )

    async def forget_user(self, user_key: str) -> int:
        """Delete everything of the user's; the ambassadors' cards of their questions are wiped."""
        tickets = await self._s.tickets.for_user(user_key, 100_000)
        deleted = await self._s.tickets.delete_for_user(user_key)
        for ticket in tickets:
            if ticket.number in deleted and ticket.card_queued:
                await self._replace_card(ticket, "deleted")  # rendered then: the question is gone
        removed = len(deleted)
        removed += await self._s.questions.delete_for_user(user_key)
        removed += await self._s.proposals.delete_for_user(user_key)
        return removed

    # --- helpers -----------------------------------------------------------------------------------

    def _user_key(self, activity: Activity) -> str:
        return user_key_for(activity, self._settings.effective_pseudonym_key)

    def _form_key(self, user_key: str, q: str, activity: Activity) -> str:
        """What makes a ticket once: the user's question it was offered for (the same form sent twice, a
        double click, is one ticket), else the submit itself."""
        if not q:
            return self.question_ref(activity)
        return "form:" + hashlib.sha256(f"{user_key}|{q}".encode()).hexdigest()

    def _candidates(self, kb: KnowledgeBase, question: str, lang: Lang) -> tuple[str, ...]:
        result = kb.match(
            question, lang, threshold=self._settings.match_threshold, gap=self._settings.match_ambiguity_gap
        )
        return tuple(c.entry_id for c in result.candidates[:3] if c.score >= TOPIC_FLOOR)

    def _answer_card(self, ticket: Ticket, lang: Lang) -> dict[str, Any]:
        kb = self._s.knowledge()
        answer = ticket.answer
        entry = kb.entry(answer.entry_id) if answer is not None and answer.entry_id else None
        links = self._links(kb, answer.links if answer is not None else ())
        return ticket_cards.render_ticket_answer(ticket, lang, entry=entry, links=links)

    @staticmethod
    def _links(kb: KnowledgeBase, keys: tuple[str, ...]) -> list[Link]:
        known = {link.key: link for entry in kb.entries.values() for link in entry.links}
        return [known[k] for k in keys if k in known]

    async def _propose_variant(
        self, entry: FaqEntry, question: str, lang: Lang, *, source: str, user_key: str
    ) -> None:
        text = scrub_personal_data(question, lang).text.strip()
        norm = normalize_question(text)
        known = {normalize_question(q) for content in entry.content.values() for q in content.questions}
        if not norm or norm in known:
            return
        proposal = NewProposal(ProposalKind.VARIANT, entry.id, lang, text, norm, topic=entry.topic)
        await self._s.proposals.propose(proposal, source, user_key, self._s.clock())

    async def _propose_draft(self, ticket: Ticket, answer: TicketAnswer, ambassador: Ambassador) -> None:
        text = scrub_personal_data(ticket.question, ticket.lang).text.strip()
        norm = normalize_question(text)
        if not norm:
            return
        # The draft ends up in a file in git: the ambassador's answer is scrubbed too (a greeting by name).
        proposal = NewProposal(
            ProposalKind.DRAFT,
            "",
            ticket.lang,
            text,
            norm,
            topic=ticket.topic,
            answer=scrub_personal_data(answer.text, ticket.lang).text,
            links=answer.links,
            ticket=ticket.number,
        )
        await self._s.proposals.propose(proposal, f"ticket:{ticket.number}", ticket.user_key, self._s.clock())
        logger.info(
            "ticket %d proposed as a draft entry by an ambassador",
            ticket.number,
            extra={"event": "tickets.draft"},
        )
