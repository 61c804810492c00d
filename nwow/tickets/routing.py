"""Which channel of the ambassadors' team gets a question: faq/routing.yml, beside the knowledge base.

    channels:                     # the team's channels, by a key of your choosing
      general: {name: General}    # "general" without an id is the team's General channel
      francais: {id: "19:abc...@thread.tacv2", name: Questions en français}
    routes:                       # the first route that fits wins; each names topics and/or languages
      - {languages: [fr], channel: francais}
      - {topics: [mfa, security], channel: general}
    default: general              # everything else

Without the file every question goes to the General channel. `nwow faq check` reports every problem as
file:line; the running bot reloads the file when it changes and keeps the last good version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nwow.faq.loader import load_knowledge_base
from nwow.language import LANGS
from nwow.problems import Problem, has_errors
from nwow.yaml_nodes import ID_PATTERN, YamlFailure, compose_yaml, did_you_mean, node_line

__all__ = ["GENERAL", "ROUTING_FILE", "Channel", "Route", "Routing", "load_routing", "validate_faq_folder"]

ROUTING_FILE: Final = "routing.yml"
GENERAL: Final = "general"
# A Teams channel id: "19:" then the thread id, "@thread.tacv2" (or the older "@thread.skype").
CHANNEL_ID: Final = re.compile(r"^19:[A-Za-z0-9_.\-]{1,200}@thread\.(?:tacv2|skype)$")
_TOP_KEYS: Final = ("channels", "routes", "default")
_CHANNEL_KEYS: Final = ("id", "name")
_ROUTE_KEYS: Final = ("topics", "languages", "channel")


@dataclass(frozen=True)
class Channel:
    key: str
    id: str | None  # None: the team's General channel (its id is the team's id)
    name: str


@dataclass(frozen=True)
class Route:
    topics: frozenset[str]
    languages: frozenset[str]
    channel: str

    def fits(self, topic: str, lang: str) -> bool:
        return (not self.topics or topic in self.topics) and (not self.languages or lang in self.languages)


@dataclass(frozen=True)
class Routing:
    channels: Mapping[str, Channel]
    routes: tuple[Route, ...]
    default: str

    @classmethod
    def general_only(cls) -> Routing:
        return cls({GENERAL: Channel(GENERAL, None, "General")}, (), GENERAL)

    def route(self, topic: str, lang: str) -> Channel:
        for route in self.routes:
            if route.fits(topic, lang):
                return self.channels[route.channel]
        return self.channels[self.default]

    def channel_id(self, channel: Channel, team_id: str) -> str:
        """The conversation id of a channel: its own id, or the team's for the General channel."""
        return channel.id or team_id


class _Reader:
    def __init__(self, path: Path, topics: frozenset[str] | None) -> None:
        self.path = path
        self.topics = topics
        self.problems: list[Problem] = []

    def error(self, node: Node | None, message: str) -> None:
        self.problems.append(Problem(self.path, node_line(node) if node is not None else 1, message))

    def warn(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.path, node_line(node), message, "warning"))

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping (key: value lines)")
            return None
        out: dict[str, Node] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self.error(key_node, f"a key in {what} must be a plain word")
            elif key not in allowed:
                self.error(
                    key_node,
                    f"unknown field '{key}' in {what}; {did_you_mean(key, allowed, 'use ' + ', '.join(allowed))}",
                )
            elif key in out:
                self.error(key_node, f"'{key}' appears twice in {what}; keep one")
            else:
                out[key] = value
        return out

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not node.value.strip():
            self.error(node, f"{what} must be a non-empty text")
            return None
        return str(node.value).strip()

    def words(self, node: Node, what: str) -> list[tuple[str, Node]]:
        if not isinstance(node, SequenceNode) or not node.value:
            self.error(node, f"{what} must be a list, e.g. [a, b]")
            return []
        out = []
        for item in node.value:
            value = self.text(item, f"each item of {what}")
            if value is not None:
                out.append((value, item))
        return out

    def channel(self, key: str, key_node: Node, node: Node) -> Channel | None:
        if not ID_PATTERN.match(key):
            self.error(key_node, f"channel key '{key}' must be lower-case letters, digits and '-'")
            return None
        if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            fields: dict[str, Node] = {}
        else:
            found = self.mapping(node, f"channel '{key}'", _CHANNEL_KEYS)
            if found is None:
                return None
            fields = found
        channel_id = self.text(fields["id"], f"the id of channel '{key}'") if "id" in fields else None
        if channel_id is not None and not CHANNEL_ID.match(channel_id):
            self.error(
                fields["id"],
                f"the id of channel '{key}' must look like 19:...@thread.tacv2 (in Teams: the channel's "
                "'Get link to channel', the part after /channel/, URL-decoded)",
            )
            return None
        if "id" in fields and channel_id is None:
            return None
        if channel_id is None and key != GENERAL:
            self.error(key_node, f"channel '{key}' needs 'id:' (only '{GENERAL}' may leave it out)")
            return None
        name = self.text(fields["name"], f"the name of channel '{key}'") if "name" in fields else key
        return Channel(key, channel_id, name or key)

    def route(self, node: Node, channels: Mapping[str, Channel]) -> Route | None:
        fields = self.mapping(node, "a route", _ROUTE_KEYS)
        if fields is None:
            return None
        if "channel" not in fields:
            self.error(node, "a route needs 'channel:'")
            return None
        if "topics" not in fields and "languages" not in fields:
            self.error(node, "a route needs 'topics:' or 'languages:' (or both); use 'default:' for the rest")
            return None
        channel = self.text(fields["channel"], "the channel of a route")
        ok = channel is not None
        if channel is not None and channel not in channels:
            self.error(
                fields["channel"],
                f"channel '{channel}' is not under 'channels:'; {did_you_mean(channel, channels, 'add it there')}",
            )
            ok = False
        topics = self.words(fields["topics"], "'topics'") if "topics" in fields else []
        for topic, item in topics:
            if self.topics is not None and topic not in self.topics:
                self.error(
                    item,
                    f"topic '{topic}' is not a topic of the FAQ; {did_you_mean(topic, sorted(self.topics), 'see topics.yml')}",
                )
                ok = False
        languages = self.words(fields["languages"], "'languages'") if "languages" in fields else []
        for lang, item in languages:
            if lang not in LANGS:
                self.error(item, f"'{lang}' is not a language; use nl, fr, de or en")
                ok = False
        if not ok or channel is None:
            return None
        return Route(frozenset(t for t, _ in topics), frozenset(lang for lang, _ in languages), channel)


def load_routing(path: Path, topics: frozenset[str] | None = None) -> tuple[Routing | None, list[Problem]]:
    """Read and check routing.yml; (routing, problems), routing None when any problem is an error. A
    missing file is the General channel for everything. `topics`, when given, are the FAQ's topics."""
    if not path.is_file():
        return Routing.general_only(), []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(path, 1, f"cannot read the routing file: {exc.strerror or exc}")]
    root = compose_yaml(raw)
    if isinstance(root, YamlFailure):
        if root.not_utf8:
            return None, [Problem(path, root.line, "the file is not UTF-8 text; save it as UTF-8")]
        return None, [Problem(path, root.line, f"not valid YAML: {root.problem or root.what}")]
    if root is None:
        return Routing.general_only(), []
    reader = _Reader(path, topics)
    top = reader.mapping(root, "the routing file", _TOP_KEYS)
    if top is None:
        return None, reader.problems
    channels: dict[str, Channel] = {}
    if "channels" in top:
        node = top["channels"]
        if not isinstance(node, MappingNode):
            reader.error(node, "'channels' must list the channels as KEY: {id: ..., name: ...}")
        for key_node, value in node.value if isinstance(node, MappingNode) else ():
            if not isinstance(key_node, ScalarNode):
                reader.error(key_node, "a channel key must be a plain word")
                continue
            key = str(key_node.value)
            if key in channels:
                reader.error(key_node, f"channel '{key}' appears twice; keep one")
                continue
            channel = reader.channel(key, key_node, value)
            if channel is not None:
                channels[key] = channel
    else:
        channels[GENERAL] = Channel(GENERAL, None, "General")
    ids: dict[str, str] = {}
    for channel in channels.values():
        if channel.id is not None and channel.id in ids:
            reader.warn(root, f"channels '{ids[channel.id]}' and '{channel.key}' have the same id")
        if channel.id is not None:
            ids.setdefault(channel.id, channel.key)
    routes: list[Route] = []
    if "routes" in top:
        node = top["routes"]
        if not isinstance(node, SequenceNode):
            reader.error(node, "'routes' must be a list of routes, each starting with '- '")
        for item in node.value if isinstance(node, SequenceNode) else ():
            route = reader.route(item, channels)
            if route is not None:
                routes.append(route)
    default = GENERAL
    if "default" in top:
        default = reader.text(top["default"], "'default'") or GENERAL
        if default not in channels:
            reader.error(top["default"], f"the default channel '{default}' is not under 'channels:'")
    elif GENERAL not in channels:
        reader.error(
            root,
            f"say which channel gets the other questions: add 'default:' (e.g. {next(iter(channels), GENERAL)})",
        )
    problems = sorted(reader.problems, key=lambda p: (p.line, p.severity, p.message))
    if has_errors(problems):
        return None, problems
    return Routing(channels, tuple(routes), default), problems


def validate_faq_folder(folder: Path) -> list[Problem]:
    """The problems of `folder`/routing.yml, if the folder has one (the `nwow faq check` hook); topics are
    checked against the entries' topics."""
    path = folder / ROUTING_FILE
    if not path.is_file():
        return []
    kb = load_knowledge_base(folder).kb  # None when the FAQ has errors: they are reported on their own
    topics = None if kb is None else frozenset(kb.topics) | frozenset(e.topic for e in kb.entries.values())
    return load_routing(path, topics)[1]
