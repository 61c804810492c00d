"""Which channel of the ambassadors' team gets a question: faq/routing.yml, beside the knowledge base.

    channels:                     # the team's channels, by a key of your choosing
      general: {name: General}    # "general" without an id is the team's General channel
      francais: {id: "19:abc...@thread.tacv2", name: Questions en français}
    routes:                       # the first route that fits wins; each names topics and/or languages
      - {languages: [fr], channel: francais}
      - {topics: [mfa, security], channel: general}
    default: general              # everything else

The file is checked against faq/schemas/routing.schema.json (the editor shows the same messages), then for
what a schema cannot say: every channel a route or the default names exists, a channel other than `general`
has an id, topics exist in the FAQ. Without the file every question goes to the General channel. `nwow faq
check` reports every problem as file:line; the running bot reloads the file when it changes and keeps the
last good version.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from nwow.problems import did_you_mean, shown
from nwow.reloading import Loaded
from nwow.yaml_schema import read_checked

__all__ = ["GENERAL", "ROUTING_FILE", "Channel", "Route", "Routing", "read_routing", "routing_loader"]

ROUTING_FILE: Final = "routing.yml"
GENERAL: Final = "general"


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


def read_routing(path: Path, topics: Collection[str] | None = None) -> Loaded[Routing]:
    """Read and check routing.yml: the routing (None when any problem is an error), the problems, the bytes.
    A missing or empty file routes everything to the General channel. `topics`, when given, are the FAQ's
    topics (the routes' topics are checked against them)."""
    if not path.is_file():
        return Loaded(Routing.general_only(), [])
    document, problems, files = read_checked(path, "routing", empty=None)
    if document is None:
        return Loaded(None, problems.sorted(), files, problems.dropped)
    if document.value is None:
        return Loaded(Routing.general_only(), problems.sorted(), files)
    value: dict[str, Any] = document.value

    def where(*at: str | int) -> int:
        return document.line(at)

    channels: dict[str, Channel] = {}
    seen_ids: dict[str, str] = {}
    declared = value.get("channels") or {GENERAL: None}
    for key, fields in declared.items():
        fields = fields or {}
        channel_id = fields.get("id")
        if channel_id is None and key != GENERAL:
            problems.error(
                path,
                where("channels", key),
                f"channel '{key}' needs `id:` (only '{GENERAL}' may leave it out)",
            )
            continue
        if channel_id is not None and channel_id in seen_ids:
            problems.warn(
                path,
                where("channels", key, "id"),
                f"channels '{seen_ids[channel_id]}' and '{key}' have the same id",
            )
        if channel_id is not None:
            seen_ids.setdefault(channel_id, key)
        channels[key] = Channel(key, channel_id, str(fields.get("name") or key))

    def known_channel(name: str, *at: str | int) -> bool:
        if name in declared:  # (a channel with a problem of its own was reported already)
            return True
        problems.error(
            path,
            where(*at),
            f"channel {shown(name)} is not under `channels:`; {did_you_mean(name, channels, 'add it there')}",
        )
        return False

    routes: list[Route] = []
    for index, route in enumerate(value.get("routes") or []):
        ok = known_channel(route["channel"], "routes", index, "channel")
        for number, topic in enumerate(route.get("topics") or []):
            if topics is not None and topic not in topics:
                hint = did_you_mean(topic, sorted(topics), "see faq/topics.yml")
                problems.error(
                    path,
                    where("routes", index, "topics", number),
                    f"topic {shown(topic)} is not a topic of the FAQ; {hint}",
                )
                ok = False
        if ok:
            routes.append(
                Route(
                    frozenset(route.get("topics") or ()),
                    frozenset(route.get("languages") or ()),
                    route["channel"],
                )
            )
    default = value.get("default")
    if default is None:
        if GENERAL not in channels:
            problems.error(
                path,
                document.root_line,
                f"say which channel gets the other questions: add `default:` (e.g. default: {next(iter(channels), GENERAL)})",
            )
        default = GENERAL
    else:
        known_channel(default, "default")
    if problems.has_errors:
        return Loaded(None, problems.sorted(), files, problems.dropped)
    return Loaded(Routing(channels, tuple(routes), default), problems.sorted(), files, problems.dropped)


def routing_loader(folder: Path) -> Loaded[Routing]:
    """`folder -> Loaded` for a reloading holder (the folder may hold routing.yml)."""
    return read_routing(folder / ROUTING_FILE)
