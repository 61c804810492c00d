"""Line numbers and plain-language kinds of YAML nodes, for problems that ambassadors can act on."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, SequenceNode


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
