"""Exceptions in the log without the user's text: the type and the frames, never the message.

An exception's message may quote what a user typed: a database driver's error names the value it could not
store ("invalid input for query argument $2: 'the question...'"), a UnicodeError carries the whole string,
aiohttp's LineTooLong quotes the first 100 bytes of the header (a token). So wherever the bot logs a
failure that a request can cause, it logs `describe(exc)` (type, and the HTTP status when the exception
has one) and `redacted_traceback(exc)`: the frames (file, line, function, source line: code, never data)
of the exception and of its causes, each ending in the exception's type only.

`RedactingLogger` applies the same rule to a logger we do not control: aiohttp's request handler (given
to it through the application's `handler_args`), which logs "Error handling request" with the exception.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import MutableMapping
from typing import Any

from aiohttp.http_exceptions import BadHttpMessage

__all__ = ["RedactingLogger", "describe", "redacted_traceback"]

_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def describe(exc: BaseException) -> str:
    """'ValueError', or 'OutboundError (HTTP 403)' when the exception carries an integer status."""
    name = type(exc).__qualname__
    module = type(exc).__module__
    if module not in ("builtins", "__main__"):
        name = f"{module}.{name}"
    status = getattr(exc, "status", None)
    return f"{name} (HTTP {status})" if isinstance(status, int) else name


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """The exception and its causes, oldest first, each with the line that leads to the next (newer) one."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    chain.reverse()
    return chain


def redacted_traceback(exc: BaseException) -> str:
    """The traceback of `exc` as Python prints it, with every exception message left out."""
    parts: list[str] = []
    for item, link in _chain(exc):
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.StackSummary.extract(traceback.walk_tb(item.__traceback__)).format())
        parts.append(f"{describe(item)} (message withheld)\n")
        parts.append(link)
    return "".join(parts).rstrip("\n")


class RedactingLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """A logger for aiohttp's request handler: exceptions logged by type and frames, HTTP parse errors
    (a client's malformed request: a header over the limit, a bad request line) as a warning without them.
    """

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__(logger, {})

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        exc_info = kwargs.pop("exc_info", None)
        if exc_info is True:
            exc_info = sys.exc_info()[1]
        elif isinstance(exc_info, tuple):
            exc_info = exc_info[1]
        if isinstance(exc_info, BaseException):
            if _is_bad_request(exc_info):
                level = min(level, logging.WARNING)
                msg, args = f"{msg}: %s", (*args, describe(exc_info))
            else:
                msg, args = f"{msg}: %s\n%s", (*args, describe(exc_info), redacted_traceback(exc_info))
        super().log(level, msg, *args, **kwargs)

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        return msg, kwargs


def _is_bad_request(exc: BaseException) -> bool:
    return isinstance(exc, BadHttpMessage)
