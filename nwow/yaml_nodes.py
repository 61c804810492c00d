"""Line numbers and plain-language kinds of YAML nodes, for problems that ambassadors can act on."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Final

from yaml.nodes import MappingNode, Node, SequenceNode

# The form of every id the knowledge-base files define (entries, topics, offices, units): lower-case
# letters and digits in parts joined by single hyphens, e.g. "teams-mobile-install".
ID_PATTERN: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
