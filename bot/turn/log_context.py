"""The ids of the turn being processed, stamped on every log record made during it.

`ConflictRetryingBot` wraps each turn in `turn_ids(activity)`; `TurnIdsFilter` (installed on the root
log handler) copies `activity_id` and `conversation_id` onto records that do not carry them already, so
JSON log lines of storage, dialogs and handlers can be joined on the turn without each call site passing
`extra=`. Only ids: never the message text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from botbuilder.schema import Activity

__all__ = ["TurnIdsFilter", "turn_ids"]

_TURN: ContextVar[tuple[str | None, str | None] | None] = ContextVar("nwow_turn_ids", default=None)


@contextmanager
def turn_ids(activity: Activity) -> Iterator[None]:
    conversation = activity.conversation.id if activity.conversation else None
    token = _TURN.set((activity.id, conversation))
    try:
        yield
    finally:
        _TURN.reset(token)


class TurnIdsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        ids = _TURN.get()
        if ids is not None:
            if getattr(record, "activity_id", None) is None:
                record.activity_id = ids[0]
            if getattr(record, "conversation_id", None) is None:
                record.conversation_id = ids[1]
        return True
