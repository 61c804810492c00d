"""Check a card the way Teams will see it: the official Adaptive Card 1.5 schema plus Teams' own rules.

Use `assert_valid_card(card)` in every card test. It checks, in order:

1. Teams rules the schema cannot express: top-level `version` is exactly "1.5"; every `Action.Submit`
   carries its `data` as an object with an "action" key (the command table routes on it); no element or
   action type this bot does not handle in Teams (see `UNSUPPORTED_TYPES`); the Teams-only `msteams`
   extension holds only the keys Teams defines; element ids are unique.
2. The official Adaptive Card 1.5 JSON schema, kept in `tests/schemas/adaptive-card-1.5.json` (where it
   comes from and its licence: `tests/schemas/README.md`).
3. The size of the message that carries the card (see `MAX_MESSAGE_BYTES`).

Schema quirks handled here:
- It declares draft-06 and names its base URI with the draft-04 keyword `id`; all `$ref`s are local
  (`#/definitions/...`) so that does not matter. Validated with `Draft6Validator` and its format checker.
- `AdaptiveCard` has `additionalProperties: false`, so Teams' `msteams` extension would fail it: it is
  checked by the Teams rules above and removed from the copy given to the schema.
- The enum-like string patterns are written `^(a)|(b)$`, which anchors only the first alternative at the
  start and the last at the end (so "leftish" passes `^([l|L]eft)|...`). They are tightened to
  `^(?:(a)|(b))$` when the schema is loaded; the case-insensitive character classes are kept as they are.
- Loading checks that no definition in the file is newer than 1.5, so that a newer schema put in its
  place would be noticed, not silently used.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, Final

from jsonschema import Draft6Validator
from jsonschema.exceptions import ValidationError, best_match

from bot.cards.message import MAX_MESSAGE_BYTES as MAX_MESSAGE_BYTES
from bot.cards.message import message_size as message_size

CARD_VERSION: Final = "1.5"

# The size budget of a message and how it is measured: bot/cards/message.py, where cards become messages.

# Valid Adaptive Card 1.5, but not for this bot in Teams:
UNSUPPORTED_TYPES: Final[dict[str, str]] = {
    "Action.Execute": "Universal Actions need an adaptiveCard/action handler; the bot uses Action.Submit",
    "Media": "Teams plays media only from OneDrive/SharePoint/YouTube/Vimeo links; not used by this bot",
}
# Card-level properties for features the bot does not implement (Universal Actions refresh, SSO auth).
UNSUPPORTED_CARD_PROPERTIES: Final[dict[str, str]] = {
    "refresh": "needs Universal Actions (Action.Execute), not implemented",
    "authentication": "needs SSO token exchange in cards, not implemented",
}
# What Teams reads from the `msteams` property of a card (full width, @mentions).
MSTEAMS_KEYS: Final = frozenset({"width", "entities"})

SCHEMA_FILE: Final = Path(__file__).parent / "schemas" / "adaptive-card-1.5.json"
_LOOSE_ENUM_PATTERN = re.compile(r"^\^(\(.*\))\$$")


def assert_valid_card(card: dict[str, Any]) -> None:
    """Fail the test with every problem found if `card` is not a valid Adaptive Card 1.5 for Teams."""
    problems = card_problems(card)
    if problems:
        raise AssertionError("invalid Adaptive Card:\n" + "\n".join(f"  - {p}" for p in problems))


def card_problems(card: object) -> list[str]:
    """Every problem found in `card`, as readable lines (empty when the card is valid)."""
    if not isinstance(card, dict):
        return [f"a card is a JSON object, got {type(card).__name__}"]
    problems = _teams_problems(card)
    problems.extend(_schema_problems(card))
    size = message_size(card)
    if size > MAX_MESSAGE_BYTES:
        problems.append(
            f"the message carrying this card is {size} bytes; the Teams limit used is {MAX_MESSAGE_BYTES}"
        )
    return problems


def card_objects(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every JSON object in `node` with its path, parents before children, keys and items in order.

    The path of the root is "(card)", the others are like "/body/0/actions/1". A list root (a message's
    attachments) is not yielded itself, only what it holds. Every card-reading test helper walks with this.
    """
    if isinstance(node, dict):
        yield path or "(card)", node
        for key, value in node.items():
            yield from card_objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from card_objects(value, f"{path}/{index}")


def _teams_problems(card: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if card.get("type") != "AdaptiveCard":
        problems.append(f"type must be 'AdaptiveCard', got {card.get('type')!r}")
    if card.get("version") != CARD_VERSION:
        problems.append(f"version must be {CARD_VERSION!r} (Teams bots), got {card.get('version')!r}")
    for name, reason in UNSUPPORTED_CARD_PROPERTIES.items():
        if name in card:
            problems.append(f"card property {name!r} is not supported here: {reason}")
    msteams = card.get("msteams")
    if msteams is not None:
        if not isinstance(msteams, dict):
            problems.append("msteams must be an object")
        else:
            extra = sorted(set(msteams) - MSTEAMS_KEYS)
            if extra:
                problems.append(f"msteams has keys Teams does not read: {extra}")
            if "width" in msteams and msteams["width"] != "Full":
                problems.append(f"msteams.width must be 'Full', got {msteams['width']!r}")
            if "entities" in msteams and not isinstance(msteams["entities"], list):
                problems.append("msteams.entities must be a list of mention entities")
    seen_ids: set[str] = set()
    for path, node in card_objects(card):
        kind = node.get("type")
        if kind in UNSUPPORTED_TYPES:
            problems.append(f"{path}: {kind} is not supported here: {UNSUPPORTED_TYPES[kind]}")
        if kind == "Action.Submit":
            data = node.get("data")
            if not isinstance(data, dict):
                problems.append(f"{path}: Action.Submit data must be an object, got {type(data).__name__}")
            elif "action" not in data:
                problems.append(f"{path}: Action.Submit data needs an 'action' key")
        element_id = node.get("id")
        if isinstance(kind, str) and isinstance(element_id, str):
            if element_id in seen_ids:
                problems.append(f"{path}: duplicate id {element_id!r}")
            seen_ids.add(element_id)
    return problems


def _schema_problems(card: dict[str, Any]) -> list[str]:
    document = copy.deepcopy(card)
    document.pop("msteams", None)
    problems: list[str] = []
    for error in _validator().iter_errors(document):
        for leaf in _explain(error):
            where = "/".join(str(p) for p in leaf.absolute_path) or "(card)"
            problems.append(f"schema: at /{where}: {leaf.message}")
    return sorted(set(problems))


def _explain(error: ValidationError) -> list[ValidationError]:
    """The errors a person can act on, instead of "not valid under any of the given schemas".

    An element is checked against `anyOf` every element type; keep only the errors of the branch whose
    type the element names, or say that the type is unknown.
    """
    if error.validator != "anyOf" or not error.context:
        return [error]
    kind = error.instance.get("type") if isinstance(error.instance, dict) else None
    if not isinstance(kind, str):
        reasons = " or ".join(sorted({leaf.message for sub in error.context for leaf in _explain(sub)}))
        return [ValidationError(reasons, instance=error.instance, path=error.absolute_path)]
    alternatives = error.validator_value if isinstance(error.validator_value, list) else []
    branches: dict[str | int, str | None] = {
        index: _branch_type(branch) for index, branch in enumerate(alternatives) if isinstance(branch, dict)
    }
    if kind not in branches.values():
        known = sorted(t for t in branches.values() if t)
        message = f"unknown type {kind!r}; expected one of {', '.join(known)}"
        return [ValidationError(message, instance=error.instance, path=error.absolute_path)]
    chosen = [
        sub
        for sub in error.context
        if sub.relative_schema_path and branches.get(sub.relative_schema_path[0]) == kind
    ]
    if not chosen:
        return [best_match(error.context)]
    return [leaf for sub in chosen for leaf in _explain(sub)]


def _branch_type(branch: dict[str, Any]) -> str | None:
    for ref_holder in (branch, *branch.get("allOf", ())):
        ref = ref_holder.get("$ref") if isinstance(ref_holder, dict) else None
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            return ref.removeprefix("#/definitions/")
    return None


@cache
def _load_schema(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    newest = max(
        (tuple(int(p) for p in v.split(".")) for v in _versions(schema)),
        default=(0, 0),
    )
    if newest > (1, 5):
        raise RuntimeError(f"{path} has definitions from version {newest}: it is not the 1.5 schema")
    Draft6Validator.check_schema(schema)
    # The root is `anyOf: [AdaptiveCard]`; a plain `allOf` reports the card's own errors, not one wrapper.
    schema.pop("anyOf", None)
    schema["allOf"] = [{"$ref": "#/definitions/AdaptiveCard"}]
    tightened: dict[str, Any] = _tighten_patterns(schema)
    return tightened


def _validator() -> Draft6Validator:
    return Draft6Validator(_load_schema(SCHEMA_FILE), format_checker=Draft6Validator.FORMAT_CHECKER)


def _versions(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        version = node.get("version")
        if isinstance(version, str) and re.fullmatch(r"\d+\.\d+", version):
            yield version
        for value in node.values():
            yield from _versions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _versions(value)


def _tighten_patterns(node: Any) -> Any:
    if isinstance(node, dict):
        tightened = {key: _tighten_patterns(value) for key, value in node.items()}
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            match = _LOOSE_ENUM_PATTERN.match(pattern)
            if match:
                tightened["pattern"] = f"^(?:{match.group(1)})$"
        return tightened
    if isinstance(node, list):
        return [_tighten_patterns(value) for value in node]
    return node
