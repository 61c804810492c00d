"""Line numbers and plain-language kinds of YAML nodes, for problems that ambassadors can act on."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

# The form of every id the knowledge-base files define (entries, topics, offices, units): lower-case
# letters and digits in parts joined by single hyphens, e.g. "teams-mobile-install".
ID_PATTERN: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class YamlFailure:
    """Why a file's bytes are not a YAML document: not UTF-8 text, or a syntax error (the parser's words)."""

    line: int
    not_utf8: bool = False
    context: str | None = None
    problem: str | None = None

    @property
    def what(self) -> str:
        """The parser's context and problem in one phrase."""
        return " ".join(part for part in (self.context, self.problem) if part)


def compose_yaml(raw: bytes, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Node | YamlFailure | None:
    """The node tree of a file's bytes (None for an empty document), or why there is none. Each loader turns
    a failure into its own message, naming its file."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return YamlFailure(raw[: exc.start].count(b"\n") + 1, not_utf8=True)
    try:
        node: Node | None = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return YamlFailure(mark.line + 1 if mark is not None else 1, context=exc.context, problem=exc.problem)
    return node


def node_line(node: Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


def node_kind(node: Node) -> str:
    """What a node is, in words: "a list", "a number", "empty"…"""
    if isinstance(node, MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag.endswith(":null"):
        return "empty"
    if node.tag.endswith(":int") or node.tag.endswith(":float"):
        return "a number"
    if node.tag.endswith(":bool"):
        return "true/false"
    if node.tag.endswith(":timestamp"):
        return "a date"
    return "a text"


def did_you_mean(name: str, known: Iterable[str], otherwise: str) -> str:
    """ "did you mean 'x'?" for the closest known name, else the `otherwise` hint."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else otherwise
