"""Running a turn again when its state save lost a race, without the user seeing the lost attempt.

Two turns of one conversation can run at the same time (on two replicas, or a quick double submit on
one). Both read the conversation state, both change it; the second save names an e_tag that is no longer
the stored one and `SqlStorage` raises `StorageConflict`. `ConflictRetryingBot` then runs the turn again
from fresh state, at most `attempts` times in all, and counts each conflict in
`metrics.storage_conflicts`. When every attempt conflicts it raises `TurnConflict`, which the adapter's
error handler turns into a polite "please try again".

So that the user never sees the replies of an attempt that is thrown away, each attempt's outgoing
activities go into a `ReplyBuffer` kept in `turn_context.turn_state` (`NwowAdapter.send_activities`
asks `hold_replies` first, handing it the adapter's delivery function) and are delivered with that
function only after the state was saved: each reply passes the adapter's send method once. Two consequences of the SDK's
public behaviour: during the turn `send_activity` returns a placeholder resource id ("pending-N"), and
when the bot raises, the replies of that attempt are dropped (the error handler speaks instead). Typing
indicators are not held: they carry nothing a retry would repeat.

A retry repeats the turn's side effects; the ones this bot has are idempotent (feedback, votes and
unanswered questions are keyed on the activity id).

`save_states` writes every changed state of a turn in one `Storage.write` (one transaction): a conflict
on either the conversation or the user state then leaves neither saved, so the retry starts from a
consistent picture. A state that did not exist when the turn read it is written as "create only"
(`nwow.storage.kv.ABSENT`), so two first turns of a new conversation cannot both create it. The same
write keeps the turn's replies (bot/turn/saved_replies.py): when the replica dies after the
save and before the replies are out, the channel's redelivery, taken over by another replica
(`redelivered`), sends the saved replies instead of running the turn again on the advanced state.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from botbuilder.core import Bot, BotState, Storage, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ResourceResponse

from bot.metrics import BotMetrics
from bot.turn.log_context import turn_ids
from bot.turn.saved_replies import replies_document, replies_key_of, saved_replies
from bot.turn.state_storage import E_TAG, StorageConflict
from nwow.storage.kv import ABSENT

__all__ = [
    "REPLY_BUFFER",
    "ConflictRetryingBot",
    "ReplyBuffer",
    "TurnConflict",
    "hold_replies",
    "save_states",
]

logger = logging.getLogger(__name__)

REPLY_BUFFER = "nwow.turn_retry.reply_buffer"
DEFAULT_ATTEMPTS = 3

TurnFinished = Callable[[TurnContext], Awaitable[None]]
Redelivered = Callable[[TurnContext], bool]


class TurnConflict(Exception):
    """Every attempt of a turn lost its state save to a concurrent turn."""

    def __init__(self, attempts: int) -> None:
        self.attempts = attempts
        super().__init__(f"state save conflicted on each of {attempts} attempts")


Deliver = Callable[[TurnContext, list[Activity]], Awaitable[list[ResourceResponse]]]


@dataclass
class ReplyBuffer:
    """The activities one attempt of a turn wants to send, in order, and how to deliver them."""

    activities: list[Activity] = field(default_factory=list)
    deliver: Deliver | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def hold(self, activities: Sequence[Activity], deliver: Deliver) -> list[ResourceResponse]:
        self.activities.extend(activities)
        self.deliver = deliver
        return [ResourceResponse(id=f"pending-{next(self._ids)}") for _ in activities]

    async def flush(self, context: TurnContext) -> None:
        if self.activities and self.deliver is not None:
            await self.deliver(context, self.activities)


def hold_replies(
    context: TurnContext, activities: Sequence[Activity], deliver: Deliver
) -> list[ResourceResponse] | None:
    """Placeholder responses when the turn's replies are being held (`deliver` sends them later), else
    None (send them now)."""
    buffer = context.turn_state.get(REPLY_BUFFER)
    if not isinstance(buffer, ReplyBuffer):
        return None
    if all(activity.type == ActivityTypes.typing for activity in activities):
        return None
    return buffer.hold(activities, deliver)


def _storage_of(state: BotState) -> Storage:
    # BotState keeps its storage in `_storage` (botbuilder-core 4.17.1, pinned) and has no public
    # accessor; batching the turn's writes into one transaction needs it.
    storage: Storage = state._storage
    return storage


async def save_states(turn_context: TurnContext, states: Sequence[BotState]) -> None:
    """Save the changed ones among `states` (which must share one storage) in one `Storage.write`.

    The same contract as `BotState.save_changes`, batched: on success each state's cache is marked clean;
    on `StorageConflict` nothing was written.
    """
    if not states:
        return
    storage = _storage_of(states[0])
    if any(_storage_of(state) is not storage for state in states[1:]):
        raise ValueError("save_states() needs states that share one storage")
    changes: dict[str, object] = {}
    saved = []
    for state in states:
        cached = state.get_cached_state(turn_context)
        if cached is not None and cached.is_changed:
            if isinstance(cached.state, dict) and not cached.state.get(E_TAG):
                # Absent when this turn read it: create it, or conflict if a concurrent turn did first
                # (without an e_tag the Storage contract would overwrite that turn's state silently).
                cached.state[E_TAG] = ABSENT
            changes[state.get_storage_key(turn_context)] = cached.state
            saved.append(cached)
    if not changes:
        return
    replies = replies_key_of(turn_context)
    buffer = turn_context.turn_state.get(REPLY_BUFFER)
    if replies is not None and isinstance(buffer, ReplyBuffer):
        changes[replies] = replies_document(
            [a for a in buffer.activities if a.type != ActivityTypes.invoke_response]
        )
    await storage.write(changes)
    for cached in saved:
        cached.hash = cached.compute_hash(cached.state)


def _state_kind(key: str) -> str:
    # Keys are "{channel}/conversations/{id}" and "{channel}/users/{id}"; the ids stay out of the log.
    parts = key.split("/")
    return parts[1] if len(parts) > 2 else "other"


def _ids(turn_context: TurnContext) -> dict[str, str | None]:
    activity = turn_context.activity
    return {
        "activity_id": activity.id,
        "conversation_id": activity.conversation.id if activity.conversation else None,
    }


class ConflictRetryingBot(Bot):  # type: ignore[misc]
    """Runs `inner.on_turn` with its replies held, again from fresh state after a `StorageConflict`.

    `states` are reloaded (`load(force=True)`) before a retry. `on_finished`, when given, is awaited once
    the turn is over (replies sent, or the bot raised and the error handler will answer); the shared
    deduplicator uses it to mark the activity processed. `redelivered`, when given, says whether this
    turn's activity was claimed before by a replica that did not finish it: then its saved replies are looked up
    first, and when that replica had saved the turn, its replies are sent instead of running it again.
    """

    def __init__(
        self,
        inner: Bot,
        states: Sequence[BotState],
        metrics: BotMetrics,
        *,
        attempts: int = DEFAULT_ATTEMPTS,
        on_finished: TurnFinished | None = None,
        redelivered: Redelivered | None = None,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self._inner = inner
        self._states = tuple(states)
        self._metrics = metrics
        self._attempts = attempts
        self._on_finished = on_finished
        self._redelivered = redelivered

    async def on_turn(self, context: TurnContext) -> None:
        with turn_ids(context.activity):
            try:
                if not await self._send_saved_replies(context):
                    await self._run(context)
            except Exception:
                await self._finished(context)
                raise
            await self._finished(context)

    async def _run(self, context: TurnContext) -> None:
        for attempt in range(1, self._attempts + 1):
            buffer = ReplyBuffer()
            context.turn_state[REPLY_BUFFER] = buffer
            try:
                await self._inner.on_turn(context)
            except StorageConflict as conflict:
                self._metrics.storage_conflicts.inc()
                logger.info(
                    "state conflict on the %s state (attempt %d of %d); %d held replies dropped",
                    _state_kind(conflict.key),
                    attempt,
                    self._attempts,
                    len(buffer.activities),
                    extra={**_ids(context), "event": "turn.conflict"},
                )
                if attempt == self._attempts:
                    raise TurnConflict(self._attempts) from conflict
                for state in self._states:
                    await state.load(context, force=True)
                continue
            finally:
                del context.turn_state[REPLY_BUFFER]
            await buffer.flush(context)
            return

    async def _send_saved_replies(self, context: TurnContext) -> bool:
        """True when this redelivered turn had been saved by the replica that died: its replies are sent."""
        if self._redelivered is None or not self._redelivered(context):
            return False
        key = replies_key_of(context)
        if key is None or not self._states:
            return False
        found = await _storage_of(self._states[0]).read([key])
        if key not in found:
            return False  # it died before saving: the turn runs (its side effects are idempotent)
        replies = saved_replies(found[key])
        logger.info(
            "redelivered turn had been saved by the replica that died; sending its %d saved replies",
            len(replies),
            extra={**_ids(context), "event": "turn.replayed"},
        )
        if replies:
            await context.adapter.send_activities(context, replies)
        return True

    async def _finished(self, context: TurnContext) -> None:
        if self._on_finished is None:
            return
        try:
            await self._on_finished(context)
        except Exception:
            logger.exception("could not record the end of the turn", extra=_ids(context))
