"""Check a knowledge-base file against its JSON Schema (faq/schemas/, draft 2020-12) and say what is wrong in
words an ambassador can act on, at the line of the YAML value concerned.

The schemas declare the structure of each kind of file once; editors use them too (the modeline at the top of
each file). What a schema cannot express (ids unique over files, links that exist...) is checked in code by
each loader. Schema keywords the messages use besides the standard ones: `description` (what to add when a
field is missing), `title` (what a list item is called: "entry 'mfa-what'"), and the VS Code extensions
`errorMessage` and `patternErrorMessage`, which the Red Hat YAML extension shows in the editor as well.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, cast

from jsonschema import Draft202012Validator, ValidationError

from nwow.paths import default_faq_dir
from nwow.problems import Problem, ProblemList, did_you_mean, shown
from nwow.yaml_reader import JsonPath, YamlDocument, read_yaml

SchemaKind = Literal[
    "entries", "links", "topics", "synonyms", "offices", "units", "tests", "glossary", "routing", "pulse"
]
SCHEMA_KINDS: Final[tuple[SchemaKind, ...]] = (
    "entries",
    "links",
    "topics",
    "synonyms",
    "offices",
    "units",
    "tests",
    "glossary",
    "routing",
    "pulse",
)
# The schemas the modelines name: faq/schemas/<kind>.schema.json (and common.schema.json, shared).
SCHEMA_FILE: Final = "{kind}.schema.json"
# A file reports at most this many schema problems: the first ones are what to fix.
MAX_SCHEMA_PROBLEMS: Final = 100

_TYPE_WORDS: Final = {
    "object": "a mapping (key: value lines)",
    "array": "a list",
    "string": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}
_SHAPE: Final = frozenset({"type", "const", "enum"})


def schemas_dir() -> Path:
    """The shipped schemas (faq/schemas in a checkout, packaged in the wheel)."""
    return default_faq_dir() / "schemas"


@dataclass(frozen=True)
class SchemaCheck:
    """The problems of one document, and where they are (to build only the parts that passed)."""

    problems: list[Problem]
    error_paths: frozenset[JsonPath]
    complete: bool  # False when the check stopped at its problem limit: trust no part then

    def passed(self, path: JsonPath = ()) -> bool:
        """Whether the value at `path` (and everything in it) follows the schema."""
        return self.complete and not any(p[: len(path)] == path for p in self.error_paths)


def check_schema(document: YamlDocument, kind: SchemaKind, limit: int = MAX_SCHEMA_PROBLEMS) -> SchemaCheck:
    """What in `document` does not follow the schema of `kind`, at most `limit` problems."""
    return _schemas().check(document, kind, limit)


def read_checked(
    path: Path, kind: SchemaKind, *, empty: str | None
) -> tuple[YamlDocument | None, ProblemList, dict[str, bytes]]:
    """Read a file of `kind` and check it against its schema: the document (None when the file could not
    be read, is empty and `empty` says why that is an error, or does not follow the schema), the problems so
    far, and the bytes read by file name. With `empty=None` an empty file comes back unchecked, value None,
    for the caller to treat as it means."""
    problems = ProblemList()
    document = read_yaml(path)
    if isinstance(document, Problem):
        problems.add(document)
        return None, problems, {}
    problems.extend(document.problems)
    files = {path.name: document.raw}
    if document.value is None:
        if empty is None:
            return document, problems, files
        problems.error(path, 1, empty)
        return None, problems, files
    check = check_schema(document, kind)
    problems.extend(check.problems)
    return (document if check.passed() else None), problems, files


def kind_of_value(value: Any) -> str:
    """What a value read from YAML is, in words: "a list", "a number", "empty"…"""
    if isinstance(value, dict):
        return _TYPE_WORDS["object"]
    if isinstance(value, list):
        return _TYPE_WORDS["array"]
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return "a text"


@functools.cache
def _schemas() -> _SchemaSet:
    return _SchemaSet(schemas_dir())


class _SchemaSet:
    """The schema files of one folder, their validators, and the words for their errors."""

    def __init__(self, folder: Path) -> None:
        self.files = {
            path.name: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.schema.json"))
        }
        # References resolved once here: validating then costs no URI resolution per value (5 times faster).
        self.roots = {
            kind: self._inline(self.files[SCHEMA_FILE.format(kind=kind)], SCHEMA_FILE.format(kind=kind))
            for kind in SCHEMA_KINDS
        }
        self.validators = {
            kind: Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)
            for kind, root in self.roots.items()
        }

    def check(self, document: YamlDocument, kind: SchemaKind, limit: int) -> SchemaCheck:
        out: list[Problem] = []
        paths: set[JsonPath] = set()
        said: set[tuple[int, str]] = set()
        words = _Words(self, document, kind)
        for error in self.validators[kind].iter_errors(document.value):
            paths.add(tuple(error.absolute_path))
            for line, message in words.of(error):
                if (line, message) not in said:
                    said.add((line, message))
                    out.append(Problem(document.path, line, message))
            if len(out) >= limit:
                return SchemaCheck(out[:limit], frozenset(paths), complete=False)
        return SchemaCheck(out, frozenset(paths), complete=True)

    def schema_at(self, kind: SchemaKind, path: JsonPath) -> Mapping[str, Any] | None:
        """The schema that describes the value at `path` (following properties and items, and into the
        alternatives of allOf/anyOf/oneOf when the schema itself does not say)."""
        schema: Mapping[str, Any] | None = self.roots[kind]
        for step in path:
            schema = _step(schema, step) if schema is not None else None
        return schema

    def _inline(self, schema: Any, name: str) -> Any:
        """`schema` (of file `name`) with every $ref replaced by what it points to, merged with the
        keywords beside it (those win: they are annotations such as a description). References are
        "other.schema.json#/$defs/x" or "#/$defs/x"; the schemas have no recursive ones."""
        if isinstance(schema, list):
            return [self._inline(item, name) for item in schema]
        if not isinstance(schema, dict):
            return schema
        own = {
            key: self._inline(value, name) for key, value in schema.items() if key not in ("$ref", "$defs")
        }
        if "$ref" not in schema:
            return own
        target_file, _, pointer = str(schema["$ref"]).partition("#")
        target_file = target_file or name
        target: Any = self.files[target_file]
        for part in filter(None, pointer.split("/")):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return {**self._inline(target, target_file), **own}


class _Words:
    """Plain-language messages for the errors of one document."""

    def __init__(self, schemas: _SchemaSet, document: YamlDocument, kind: SchemaKind) -> None:
        self.schemas = schemas
        self.document = document
        self.kind = kind

    def of(self, error: ValidationError) -> Iterator[tuple[int, str]]:
        path: JsonPath = tuple(error.absolute_path)
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        custom = schema.get("errorMessage")
        keyword = error.validator
        if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
            key = error.instance
            predicate = schema.get("patternErrorMessage") or custom or "is not a valid key here"
            yield self.document.line((*path, key)), f"key {shown(key)} in {self.subject(path)} {predicate}"
        elif keyword == "required":
            names: Any = error.validator_value
            for name in names:
                if isinstance(error.instance, dict) and name not in error.instance:
                    yield self.document.line(path), self.missing(path, name)
        elif keyword == "additionalProperties" and isinstance(error.instance, dict):
            known = list(schema.get("properties", {}))
            for name in error.instance:
                if name not in known:
                    hint = did_you_mean(name, known, f"known fields are: {', '.join(known)}", quote="`")
                    yield (
                        self.document.line((*path, name)),
                        f"unknown field `{name}`{self.where(path)}; {hint}",
                    )
        elif keyword in ("anyOf", "oneOf") and error.context:
            yield from self.of_alternatives(error, custom)
        else:
            yield self.document.line(path), self.wrong_value(error, path, schema, custom)

    def of_alternatives(self, error: ValidationError, custom: str | None) -> Iterator[tuple[int, str]]:
        """The errors of the alternative the value was meant for (the one its shape fits)."""
        path = tuple(error.absolute_path)
        by_branch: dict[int, list[ValidationError]] = {}
        for sub in error.context or ():
            by_branch.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
        fitting = [
            subs
            for subs in by_branch.values()
            if not any(s.validator in _SHAPE and tuple(s.absolute_path) == path for s in subs)
        ]
        if len(fitting) == 1:
            for sub in fitting[0]:
                yield from self.of(sub)
            return
        if custom is not None:
            yield self.document.line(path), self.wrong_value(error, path, {}, custom)
            return
        best = min(by_branch.values(), key=len)
        for sub in best:
            yield from self.of(sub)

    def missing(self, path: JsonPath, name: str) -> str:
        described = self.schemas.schema_at(self.kind, (*path, name)) or {}
        what = described.get("description")
        return f"`{name}` is missing{self.where(path)}: add " + (what if isinstance(what, str) else "it")

    def wrong_value(
        self, error: ValidationError, path: JsonPath, schema: Mapping[str, Any], custom: str | None
    ) -> str:
        subject = self.subject(path)
        value = error.instance
        if isinstance(value, str) and not value.strip() and error.validator in ("pattern", "minLength"):
            return f"{subject} is empty: write it"
        predicate = custom or _predicate(error, schema)
        required = schema.get("required")
        if not path and error.validator == "type" and isinstance(required, list) and required:
            return f"the file must start with `{required[0]}:`, not be {kind_of_value(value)}"
        if error.validator == "type" and custom is None:
            return f"{subject} {predicate}"
        if isinstance(value, str | int | float | bool) or value is None:
            suggestion = _suggestion(error, value)
            if suggestion:
                return f"{subject} is {_value_words(value)}, which is not a known value; {suggestion}"
            return f"{subject} is {_value_words(value)}: it {predicate}"
        return f"{subject} {predicate}"

    def where(self, path: JsonPath) -> str:
        return f" in {self.subject(path)}" if path else " at the top of the file"

    def subject(self, path: JsonPath) -> str:
        """ "`questions` in `nl` of entry 'mfa-what'": what the value at `path` is, innermost first."""
        words: list[str] = []
        fields: list[str] = []
        index = len(path) - 1
        while index >= 0:
            described = self.schemas.schema_at(self.kind, path[: index + 1]) or {}
            title = described.get("title")
            if not isinstance(title, str):
                step = path[index]
                fields.append(f"item {step + 1}" if isinstance(step, int) else f"`{step}`")
                index -= 1
                continue
            if fields:
                words.append(" in ".join(fields))
                fields = []
            words.append(self.label(title, path[: index + 1]))
            index -= 2  # the list or mapping that holds the item is named by the label
        if fields:
            words.append(" in ".join(fields))
        return " of ".join(words) or "the file"

    def label(self, title: str, path: JsonPath) -> str:
        step = path[-1]
        if isinstance(step, str):
            return f"{title} {shown(step)}"
        item = _value_at(self.document.value, path)
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].strip():
            return f"{title} {shown(item['id'])}"
        return f"{title} {step + 1}"


def _step(schema: Mapping[str, Any], step: str | int) -> Mapping[str, Any] | None:
    """The schema of the child `step` of a value described by `schema`."""
    found: Any = None
    if isinstance(step, str):
        found = schema.get("properties", {}).get(step)
        if found is None and isinstance(schema.get("additionalProperties"), dict):
            found = schema["additionalProperties"]
    elif isinstance(schema.get("items"), dict):
        found = schema["items"]
    if isinstance(found, dict):
        return found
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword, ()):
            inner = _step(branch, step) if isinstance(branch, dict) else None
            if inner is not None:
                return inner
    return None


def _predicate(error: ValidationError, schema: Mapping[str, Any]) -> str:
    keyword, expected = error.validator, cast(Any, error.validator_value)
    if keyword == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        want = " or ".join(_TYPE_WORDS.get(k, k) for k in kinds)
        hint = "; write it as [a, b] or as lines starting with '- '" if kinds == ["array"] else ""
        return f"must be {want}, not {kind_of_value(error.instance)}{hint}"
    if keyword == "pattern":
        return str(schema.get("patternErrorMessage") or f"must match {expected}")
    if keyword in ("enum", "const"):
        values = expected if keyword == "enum" else [expected]
        return "must be " + " or ".join(f"`{v}`" for v in values)
    if keyword == "format":
        return "must be a date written as YYYY-MM-DD" if expected == "date" else f"must be a valid {expected}"
    if keyword == "minItems":
        return "must not be empty: add at least one" if expected == 1 else f"needs at least {expected} items"
    if keyword == "minimum":
        return f"must be at least {expected}"
    if keyword == "maximum":
        return f"must be at most {expected}"
    if keyword == "minProperties":
        return "must not be empty"
    if keyword == "not":
        return "is not allowed here"
    return error.message[:200]


def _suggestion(error: ValidationError, value: object) -> str:
    """ "did you mean `x`?" for a misspelt choice, else ""."""
    if error.validator != "enum" or not isinstance(value, str):
        return ""
    choices: Any = error.validator_value
    return did_you_mean(value, [str(v) for v in choices], "", quote="`")


def _value_words(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return shown(value)


def _value_at(value: Any, path: Sequence[str | int]) -> Any:
    for step in path:
        if isinstance(value, dict) and isinstance(step, str):
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
        else:
            return None
    return value
