"""Hypothesis strategies for hostile activities: odd text, huge strings, any JSON in any field, card values.

Also the checks every fuzzed answer must pass (`Observed`), and the settings every fuzz test runs with:
a bounded number of examples, no per-example deadline (the bot runs in another process on a shared
machine), and derandomized in CI (CI=true) so a failure there reproduces exactly; on a developer's machine
each run explores new examples and Hypothesis keeps failures in .hypothesis/ to replay them.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.hostile.served import BotProcess, ConnectorThread

FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("NWOW_FUZZ_EXAMPLES", "200")),
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    print_blob=True,
)

# Strings people (and attackers) send that break naive code: controls, lone surrogates, markup, bidi
# overrides, combining marks, Teams mention tags, SQL and format strings, numbers that are not ASCII.
SPECIAL_STRINGS = (
    "",
    " ",
    "\x00",
    "vraag\x00over",
    "\ud800",
    "\udfff lone",
    "\r\n\t",
    "<at>",
    "</at>",
    "<at>NWOW</at> help",
    "<at" * 50,
    "&amp;&lt;&#0;&#x110000;",
    "e\u0301\u0302\u0303\u0304" * 20,
    "a" + "\u0301\u0316\u0327\u05b0\u0591" * 400,  # combining classes that normalisation reorders
    "\u202e\u2066evil\u2069",
    "\ufeff\u200b\u200d",
    "\U0001f469\u200d\U0001f4bb",
    "'; DROP TABLE surveys; --",
    "%s%n{0}{}",
    "²",
    "١٢٣",
    "9" * 5000,
    "-1",
    "1e309",
    "NaN",
    "true",
    "null",
    "http://example.com/",
    "javascript:alert(1)",
    "[link](http://evil.test)",
)

odd_text = st.one_of(
    st.sampled_from(SPECIAL_STRINGS),
    st.text(st.characters(exclude_categories=()), max_size=60),  # any code point, surrogates included
)
huge_text = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(
        ["a", "<at>", "é", "\u0301\u0316\u0327", "ab cd ", "\ud800", "satellietkantoor ", "\x00"]
    ),
    st.integers(min_value=1_000, max_value=30_000),
)
any_text = st.one_of(odd_text, odd_text, odd_text, huge_text)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    any_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(odd_text, children, max_size=4),
    max_leaves=12,
)


def deeply_nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


nested = st.integers(min_value=20, max_value=200).map(deeply_nested)
any_json = st.one_of(json_values, json_values, json_values, nested)


@dataclass
class Observed:
    """What one request did: its status, what the connector received and what the bot logged meanwhile."""

    request: str
    status: int
    sent_to_user: list[Any]
    log_records: list[dict[str, Any]]


# What a stack trace or an exception's text looks like in a message to the user.
LEAK = re.compile(r"Traceback|File \"|line \d+, in |\w+(Error|Exception)\b|<class '|object at 0x")


def observe(
    bot: BotProcess, connector: ConnectorThread, activity: Any = None, *, data: bytes | None = None
) -> Observed:
    """POST one activity (or raw body) and collect what followed it."""
    requests_before = len(connector.connector.requests)
    log_before = len(bot.log_lines())
    answer = bot.post(activity, data=data)
    sent = [r.body for r in connector.requests_since(requests_before)]
    records = bot.log_records()[log_before:]
    request = (
        data.decode("utf-8", "replace") if data is not None else json.dumps(activity, ensure_ascii=False)
    )
    return Observed(request, answer.status, sent, records)


def assert_handled_cleanly(
    observed: Observed, *, invoke: bool = False, failed_turns: list[str] | None = None
) -> None:
    """Never a 5xx (an invoke the bot does not implement: 501, the Bot Framework's answer), no crash in the
    log, and nothing that looks like a stack trace or an exception in anything sent to the user.

    With `failed_turns`, a turn that failed inside the bot's handlers (the error handler's "turn.error"
    record: the user got the apology) is not an assertion error but appended there, as the exception type
    and the last frame in the project; any other ERROR still is.
    """
    allowed = {501} if invoke else set()
    assert observed.status < 500 or observed.status in allowed, observed.status
    failures = [r for r in observed.log_records if r.get("level") in ("ERROR", "CRITICAL", "RAW")]
    if failed_turns is not None:
        failed_turns.extend(failure_signature(r) for r in failures if r.get("event") == "turn.error")
        failures = [r for r in failures if r.get("event") != "turn.error"]
    assert failures == [], failures
    for body in observed.sent_to_user:
        text = json.dumps(body, ensure_ascii=False)
        leaks = [m.group() for m in LEAK.finditer(text) if m.group() not in observed.request]  # not an echo
        assert leaks == [], text[:2000]


_FRAME = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<function>\S+)')
_WITHHELD = re.compile(r"\n(?P<type>\S+) \(message withheld\)$")


def failure_signature(record: dict[str, Any]) -> str:
    """'TypeError at nwow/feedback/units.py:32 (name)': the exception and the last frame of our code."""
    message = str(record.get("message", ""))
    ours = [m for m in _FRAME.finditer(message) if "site-packages" not in m["path"]]
    found = _WITHHELD.search(message)
    where = ""
    if ours:
        last = ours[-1]
        path = last["path"].split("/wt/")[-1].split("/", 1)[-1] if "/wt/" in last["path"] else last["path"]
        where = f" at {path}:{last['line']} ({last['function']})"
    return f"{found['type'] if found else 'turn failed'}{where}"
