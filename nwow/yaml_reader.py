"""Read a knowledge-base YAML file into plain values (dict, list, str, int, float, bool, None), with the line
of every value, at a cost bounded by the file's size whatever it holds.

- A file over `MAX_FILE_BYTES` is refused before it is parsed.
- Anchors and aliases (`&name`, `*name`) are refused: an alias makes one node count many times (an "alias
  bomb" of 500 KB expands to millions of values). These files have no use for them.
- Values are typed as YAML 1.2 does (the version editors use): `no`, `on` and `07:30` stay texts and a date
  such as `2026-09-15` is a text that the schemas check with their "date" format.
- Nesting deeper than `MAX_DEPTH` is refused (no recursion limit is reached later, in the schema check).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
)

from nwow.problems import Problem

MAX_FILE_BYTES: Final = 1024 * 1024
MAX_DEPTH: Final = 64

JsonPath = tuple[str | int, ...]

# libyaml's parser when PyYAML has it; the same events and marks either way.
_LOADER: Final[type[yaml.SafeLoader]] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The YAML 1.2 core schema's plain scalars (https://yaml.org/spec/1.2.2/#1023-core-schema).
_NULL: Final = re.compile(r"~|null|Null|NULL|")
_BOOL: Final = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT: Final = re.compile(r"[-+]?[0-9]+")
_OCT: Final = re.compile(r"0o[0-7]+")
_HEX: Final = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT: Final = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF: Final = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN: Final = re.compile(r"\.(nan|NaN|NAN)")
_STR_TAG: Final = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class YamlDocument:
    """A file's content as plain values, with where each value is."""

    path: Path
    raw: bytes
    value: Any
    # Per container (by id): the line of each child, as {key: line} for a mapping or [line] for a list.
    # The line of a mapping's value is the line of its key.
    child_lines: dict[int, dict[str, int] | list[int]] = field(repr=False)
    root_line: int = 1
    problems: tuple[Problem, ...] = ()  # found while reading (a key given twice), the value is still usable

    def line(self, path: Sequence[str | int]) -> int:
        """The line of the value at `path`, or of its nearest ancestor that exists."""
        line, node = self.root_line, self.value
        for step in path:
            lines = self.child_lines.get(id(node))
            if isinstance(node, dict) and isinstance(lines, dict) and step in node:
                line, node = lines[str(step)], node[step]
            elif isinstance(node, list) and isinstance(lines, list) and isinstance(step, int):
                if not 0 <= step < len(node):
                    break
                line, node = lines[step], node[step]
            else:
                break
        return line


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> YamlDocument | Problem:
    """The document in `path`, or the one problem that keeps it from being read (file, line, what to do)."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        return Problem(path, 1, f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > max_bytes:
        return Problem(
            path,
            1,
            f"the file is larger than {_size(max_bytes)}, the limit for a knowledge-base file (far above "
            "any real one): split it into smaller files, or check that it is the right file",
        )
    return parse_yaml(path, raw)


def parse_yaml(path: Path, raw: bytes) -> YamlDocument | Problem:
    """The document in `raw` (the bytes of `path`), or why it cannot be read."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Problem(
            path, raw[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text; save it as UTF-8"
        )
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.add(event)
    except _Refused as refused:
        return Problem(path, refused.line, refused.message)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return Problem(
            path,
            mark.line + 1 if mark is not None else 1,
            f"YAML syntax error: {what}. Check the indentation, and put texts that contain ': ' or start "
            "with a special character in quotes",
        )
    except yaml.YAMLError as exc:  # e.g. a control character (ReaderError): no mark, a position
        position = getattr(exc, "position", 0)
        line = text[:position].count("\n") + 1 if isinstance(position, int) else 1
        return Problem(path, line, f"YAML error: {exc}")
    return YamlDocument(
        path, raw, builder.root, builder.child_lines, builder.root_line, tuple(builder.problems(path))
    )


class _Frame:
    __slots__ = ("container", "first_line", "key", "key_line", "lines")

    def __init__(
        self, container: dict[str, Any] | list[Any] | None, lines: dict[str, int] | list[int]
    ) -> None:
        self.container = container  # None: a value being skipped (a repeated key's)
        self.lines = lines
        self.key: str | None = None
        self.key_line = 0
        self.first_line: dict[str, int] = {}


class _Builder:
    """Plain values from parser events, iteratively (no recursion), refusing what these files never need."""

    def __init__(self) -> None:
        self.root: Any = None
        self.root_line = 1
        self.child_lines: dict[int, dict[str, int] | list[int]] = {}
        self.stack: list[_Frame] = []
        self.documents = 0
        self.repeated: list[tuple[int, str, int]] = []

    def problems(self, path: Path) -> list[Problem]:
        return [
            Problem(path, line, f"`{key}` appears twice here (first on line {first}); keep one")
            for line, key, first in self.repeated
        ]

    def add(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Refused(line, "the file holds several YAML documents (a second '---'); keep one")
        elif isinstance(event, AliasEvent):
            raise _Refused(
                line,
                f"`*{event.anchor}` is a YAML alias: aliases and anchors (&name, *name) are not allowed in "
                "knowledge-base files; write the value out in full",
            )
        elif isinstance(event, NodeEvent) and event.anchor is not None:
            raise _Refused(
                line,
                f"`&{event.anchor}` is a YAML anchor: anchors and aliases (&name, *name) are not allowed in "
                "knowledge-base files; remove it and write each value out in full",
            )
        elif isinstance(event, ScalarEvent):
            self.place(_scalar(event, line), line, scalar_text=event.value)
        elif isinstance(event, CollectionStartEvent):
            if len(self.stack) >= MAX_DEPTH:
                raise _Refused(line, f"the values are nested more than {MAX_DEPTH} levels deep")
            container: dict[str, Any] | list[Any] = {} if isinstance(event, MappingStartEvent) else []
            kept = self.place(container, line)
            lines: dict[str, int] | list[int] = {} if isinstance(container, dict) else []
            if kept:
                self.child_lines[id(container)] = lines
            self.stack.append(_Frame(container if kept else None, lines))
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            self.stack.pop()

    def place(self, value: Any, line: int, scalar_text: str | None = None) -> bool:
        """Attach `value` where the parser is; False when it is skipped (the value of a repeated key)."""
        if not self.stack:
            self.root, self.root_line = value, line
            return True
        frame = self.stack[-1]
        if isinstance(frame.lines, list):
            if frame.container is None:
                return False
            assert isinstance(frame.container, list)
            frame.container.append(value)
            frame.lines.append(line)
            return True
        if frame.key is None:  # `value` is a key
            if scalar_text is None:
                raise _Refused(line, "a key must be a plain word, not a list or a mapping")
            frame.key, frame.key_line = scalar_text, line
            return True
        key, frame.key = frame.key, None
        if frame.container is None:
            return False
        assert isinstance(frame.container, dict) and isinstance(frame.lines, dict)
        if key in frame.container:
            self.repeated.append((frame.key_line, key, frame.first_line[key]))
            return False
        frame.container[key] = value
        frame.lines[key] = frame.key_line
        frame.first_line[key] = frame.key_line
        return True


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):g} MB"
    return f"{count / 1024:g} KB" if count >= 1024 else f"{count} bytes"


def _scalar(event: ScalarEvent, line: int) -> Any:
    text: str = event.value
    tag = event.tag
    plain = not event.style and event.implicit[0]
    if tag not in (None, "!") and not plain:
        if tag == _STR_TAG:
            return text
        raise _Refused(line, f"the YAML tag `{tag}` is not allowed here; remove it")
    if not plain:
        return text
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    try:
        if _INT.fullmatch(text):
            return int(text)
        if _OCT.fullmatch(text):
            return int(text[2:], 8)
        if _HEX.fullmatch(text):
            return int(text[2:], 16)
    except ValueError:  # more digits than Python converts: keep the text
        return text
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return text
