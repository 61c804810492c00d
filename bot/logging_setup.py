"""Root logging as readable text or JSON lines (one object per line, ids but never message text)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from bot.turn.log_context import TurnIdsFilter

_EXTRA_FIELDS = ("activity_id", "conversation_id", "channel_id", "event")
# Libraries that log the data they handle at DEBUG: aiosqlite writes every statement with its parameters,
# which are users' questions and comments. They stay at INFO whatever the bot's level.
_DATA_LOGGERS = ("aiosqlite",)


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                payload[name] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def install_log_handler(level: str, fmt: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(TurnIdsFilter())  # the current turn's activity/conversation ids on every record
    if fmt == "json":
        handler.setFormatter(JsonLineFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in _DATA_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    # Warnings the bot raises on purpose (e.g. bot.cards.message.CardTooLarge) are log records too.
    logging.captureWarnings(True)
