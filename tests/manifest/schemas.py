"""Microsoft's published Teams manifest schemas, validated the way Microsoft's own tooling reads them.

The schemas come from the npm package `@microsoft/app-manifest` (build/json-schemas/teams/v<X.Y>/),
installed into tools/schemas/node_modules by `npm ci --prefix tools/schemas`. They declare draft-04, but:
- they use `const` (draft-06+), so they are validated as Draft 7;
- newer ones use Unicode property escapes (`\\p{L}`) in `pattern`, which Python's `re` rejects: the
  `pattern`, `patternProperties` and `additionalProperties` keywords are re-implemented with the
  `regex` module, which understands them (ECMAScript `u`-flag semantics, as ajv uses);
- some subschemas put `maxLength` or `type` beside a `$ref`. Draft 7 says siblings of `$ref` are
  ignored; Microsoft validates with ajv 8, which applies them. Each `{"$ref": R, ...}` is rewritten to
  `{"allOf": [{"$ref": R}], ...}` so the siblings count here too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import regex
from jsonschema import Draft7Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from tests.harness.requirements import require

ROOT: Final = Path(__file__).resolve().parents[2]
NODE_PREFIX: Final = ROOT / "tools" / "schemas"
PACKAGE_DIR: Final = NODE_PREFIX / "node_modules" / "@microsoft" / "app-manifest"
TEAMS_SCHEMAS: Final = PACKAGE_DIR / "build" / "json-schemas" / "teams"
INSTALL_COMMAND: Final = "npm ci --prefix tools/schemas --ignore-scripts --no-audit --no-fund"


def teams_schema_dir(manifest_version: str) -> Path:
    """The folder of Microsoft's schemas for `manifest_version`; skips the test when not installed (fails
    it in CI)."""
    require(
        TEAMS_SCHEMAS.is_dir(),
        f"Microsoft's Teams manifest schemas ({TEAMS_SCHEMAS})",
        f"run `{INSTALL_COMMAND}` (or `make test-deps`)",
    )
    folder = TEAMS_SCHEMAS / f"v{manifest_version}"
    if not folder.is_dir():
        available = sorted(p.name for p in TEAMS_SCHEMAS.iterdir() if p.is_dir())
        raise AssertionError(
            f"@microsoft/app-manifest has no schema for v{manifest_version}; it has {available}"
        )
    return folder


def newest_manifest_version() -> str:
    """The newest numbered Teams manifest version the installed package publishes a schema for."""
    teams_schema_dir("1.0")
    versions = [
        tuple(int(n) for n in p.name[1:].split("."))
        for p in TEAMS_SCHEMAS.iterdir()
        if p.is_dir() and regex.fullmatch(r"v[0-9]+\.[0-9]+", p.name)
    ]
    return ".".join(str(n) for n in max(versions))


def validation_errors(document: Any, schema_file: Path) -> list[str]:
    """Every way `document` breaks the schema in `schema_file`, as 'path: message' lines."""
    validator = _validator(schema_file)
    return sorted(
        f"/{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    )


@cache
def _validator(schema_file: Path) -> Validator:
    schema = _siblings_beside_ref(json.loads(schema_file.read_text(encoding="utf-8")))
    schema.pop("$schema", None)
    return _Draft7Unicode(schema, format_checker=_FORMATS)


def _siblings_beside_ref(node: Any) -> Any:
    if isinstance(node, list):
        return [_siblings_beside_ref(item) for item in node]
    if not isinstance(node, dict):
        return node
    rewritten = {key: _siblings_beside_ref(value) for key, value in node.items()}
    if "$ref" in rewritten and len(rewritten) > 1:
        ref = rewritten.pop("$ref")
        rewritten["allOf"] = [{"$ref": ref}, *rewritten.get("allOf", [])]
    return rewritten


@cache
def _compiled(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


def _pattern(
    validator: Draft7Validator, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    validator: Draft7Validator, patterns: dict[str, Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _compiled(pattern).search(key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(
    validator: Draft7Validator, additional: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    known = schema.get("properties", {})
    patterns = [_compiled(p) for p in schema.get("patternProperties", {})]
    extras = [key for key in instance if key not in known and not any(p.search(key) for p in patterns)]
    if validator.is_type(additional, "object"):
        for key in extras:
            yield from validator.descend(instance[key], additional, path=key)
    elif additional is False and extras:
        yield ValidationError(
            f"Additional properties are not allowed ({', '.join(map(repr, sorted(extras)))})"
        )


# jsonschema checks "uri" only when the optional rfc3987 package is installed; ajv-formats always does.
_FORMATS = FormatChecker()


@_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(regex.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme)) and not regex.search(r"\s", value)


_Draft7Unicode: type[Draft7Validator] = validators.extend(  # type: ignore[no-untyped-call]
    Draft7Validator,
    {
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
    },
)
