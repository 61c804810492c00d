"""Load and validate the FAQ folder; every problem names the file, the line and what to change."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.matcher import Index, Tuning
from nwow.faq.model import FaqEntry, KbVersion, Link, LocalizedContent
from nwow.faq.text import normalize_question
from nwow.language import LANGS, Lang
from nwow.problems import Problem, has_errors
from nwow.yaml_nodes import ID_PATTERN, YamlFailure, compose_yaml, did_you_mean, node_kind, node_line

logger = logging.getLogger(__name__)

ENTRIES_DIR: Final = "entries"
SYNONYMS_FILE: Final = "synonyms.yml"
LINKS_FILE: Final = "links.yml"
TOPICS_FILE: Final = "topics.yml"
REVIEW_MAX_AGE: Final = timedelta(days=365)

ENTRY_FIELDS: Final = ("id", "topic", "owner", "reviewed", "related", "links", *LANGS)
REQUIRED_FIELDS: Final = ("id", "topic", "owner", "reviewed")
LANGUAGE_FIELDS: Final = ("questions", "answer")
ENTRY_FILE_FIELDS: Final = ("entries", "topic")

# libyaml's parser when PyYAML has it (about 20 times faster); the same nodes and marks either way.
_YAML_LOADER: Final[type[yaml.SafeLoader]] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_LINK_KEY: Final = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_LINK_REF: Final = re.compile(r"\{link:([^}]*)\}")


@dataclass(frozen=True)
class LoadResult:
    kb: KnowledgeBase | None
    problems: list[Problem]
    files: tuple[Path, ...] = ()
    entry_count: int = 0  # entries read, also when there are errors

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def faq_files(folder: Path) -> list[Path]:
    """The files the FAQ loader reads (other files in the folder belong to other features)."""
    files: list[Path] = []
    entries = folder / ENTRIES_DIR
    if entries.is_dir():
        files.extend(sorted(p for p in entries.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()))
    for name in (SYNONYMS_FILE, LINKS_FILE, TOPICS_FILE):
        if (folder / name).is_file():
            files.append(folder / name)
    return files


def load_knowledge_base(
    folder: Path,
    *,
    today: date | None = None,
    tuning: Tuning | None = None,
    cache_dir: Path | None = None,
) -> LoadResult:
    """Read, validate and index the FAQ folder. `kb` is None when there is any error. `cache_dir` keeps
    the variants' sentence embeddings between loads (None: computed every load)."""
    started = time.perf_counter()
    with _cyclic_gc_paused():
        loader = _Loader(folder, today or datetime.now(UTC).date())
        entries, synonyms, topics, contents = loader.run()
        problems = sorted(loader.problems, key=lambda p: (str(p.file), p.line, p.severity, p.message))
        files = tuple(loader.files)
        if has_errors(problems):
            return LoadResult(None, problems, files, len(entries))
        index = Index(list(entries.values()), synonyms, tuning, cache_dir=cache_dir)
    version = KbVersion(len(entries), _content_hash(folder, contents), datetime.now(UTC))
    kb = KnowledgeBase(entries, topics, index, version)
    logger.debug(
        "knowledge base loaded: %d entries from %d files in %.0f ms",
        len(entries),
        len(files),
        (time.perf_counter() - started) * 1000,
    )
    return LoadResult(kb, problems, files, len(entries))


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a load allocates its many small objects.

    A load builds hundreds of thousands of nodes, tuples and dicts that all stay alive until it ends, so
    the collections it would trigger find nothing to free; pausing them makes large loads about 40%
    faster. Reference counting still frees everything as usual. One collection at the end (still in the
    loading thread) keeps the deferred work from landing on the first question answered afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()


def _content_hash(folder: Path, contents: dict[Path, bytes]) -> str:
    digest = hashlib.sha256()
    for path in sorted(contents, key=lambda p: p.relative_to(folder).as_posix()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(b"\0")
        digest.update(contents[path])
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _suggest(name: str, known: Sequence[str]) -> str:
    return did_you_mean(name, known, f"known fields are: {', '.join(known)}")


@dataclass
class _RawLang:
    questions: list[tuple[str, int]]
    answer: str
    answer_node: ScalarNode | None


@dataclass
class _RawEntry:
    file: Path
    line: int
    id: str
    topic: str
    owner: str
    reviewed: date
    related: list[tuple[str, int]] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)
    langs: dict[Lang, _RawLang] = field(default_factory=dict)


class _Loader:
    def __init__(self, folder: Path, today: date) -> None:
        self.folder = folder
        self.today = today
        self.problems: list[Problem] = []
        self.files: list[Path] = []
        self.contents: dict[Path, bytes] = {}

    # -- helpers ---------------------------------------------------------------------------------

    def error(self, file: Path, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message, "error"))

    def warn(self, file: Path, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message, "warning"))

    def compose(self, path: Path) -> Node | None:
        """The YAML node tree of `path`, or None after recording why it cannot be read."""
        self.files.append(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.error(path, 1, f"cannot read the file: {exc.strerror or exc}")
            return None
        self.contents[path] = raw
        try:
            node = compose_yaml(raw, _YAML_LOADER)
        except yaml.YAMLError as exc:
            self.error(path, 1, f"YAML error: {exc}")
            return None
        if not isinstance(node, YamlFailure):
            return node
        if node.not_utf8:
            self.error(path, node.line, "the file is not UTF-8 text; save it as UTF-8")
        else:
            self.error(
                path,
                node.line,
                f"YAML syntax error: {node.what}. Check the indentation and that texts containing ': ' "
                "or starting with a special character are in quotes",
            )
        return None

    def value(self, path: Path, node: Node) -> Any:
        try:
            return SafeConstructor().construct_object(node, deep=True)
        except (ConstructorError, ValueError) as exc:
            self.error(path, node_line(node), f"cannot read this value: {exc}")
            return None

    def items(self, path: Path, node: MappingNode, what: str) -> list[tuple[str, Node, Node]]:
        """(key, key node, value node) of a mapping; duplicate and non-text keys are reported."""
        seen: dict[str, int] = {}
        out: list[tuple[str, Node, Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(path, node_line(key_node), f"a key in {what} must be a plain word")
                continue
            key = str(key_node.value)
            if key in seen:
                self.error(
                    path,
                    node_line(key_node),
                    f"'{key}' appears twice in {what} (first on line {seen[key]}); keep one",
                )
                continue
            seen[key] = node_line(key_node)
            out.append((key, key_node, value_node))
        return out

    def text(self, path: Path, node: Node, what: str, *, allow_empty: bool = False) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag.endswith(":null"):
            self.error(path, node_line(node), f"{what} must be a text, not {node_kind(node)}")
            return None
        value = str(node.value).strip()
        if not value and not allow_empty:
            self.error(path, node_line(node), f"{what} is empty; write it")
            return None
        return value

    def text_list(self, path: Path, node: Node, what: str) -> list[tuple[str, int]] | None:
        if isinstance(node, ScalarNode) and not node.tag.endswith(":null"):
            self.error(
                path,
                node_line(node),
                f"{what} must be a list: write it as [a, b] or as lines starting with '- '",
            )
            return None
        if not isinstance(node, SequenceNode):
            self.error(path, node_line(node), f"{what} must be a list, not {node_kind(node)}")
            return None
        out: list[tuple[str, int]] = []
        for item in node.value:
            value = self.text(path, item, f"each item of {what}")
            if value is not None:
                out.append((value, node_line(item)))
        return out

    # -- files -----------------------------------------------------------------------------------

    def run(
        self,
    ) -> tuple[dict[str, FaqEntry], list[list[str]], dict[str, dict[str, str]], dict[Path, bytes]]:
        if not self.folder.is_dir():
            self.error(
                self.folder, 1, "the FAQ folder does not exist; give the folder that contains entries/"
            )
            return {}, [], {}, {}
        links = self.load_links(self.folder / LINKS_FILE)
        topics = self.load_topics(self.folder / TOPICS_FILE)
        synonyms = self.load_synonyms(self.folder / SYNONYMS_FILE)
        entries_dir = self.folder / ENTRIES_DIR
        entry_files = [p for p in faq_files(self.folder) if entries_dir in p.parents]
        if not entry_files:
            self.error(
                entries_dir, 1, "no entry files: add at least one .yml file with 'entries:' in entries/"
            )
        raw: list[_RawEntry] = []
        for path in entry_files:
            raw.extend(self.load_entry_file(path))
        entries = self.cross_check(raw, links)
        return entries, synonyms, topics, self.contents

    def load_links(self, path: Path) -> dict[str, Link]:
        if not path.is_file():
            return {}
        root = self.compose(path)
        if root is None:
            return {}
        links: dict[str, Link] = {}
        if not isinstance(root, MappingNode):
            self.error(path, node_line(root), "links.yml must start with 'links:' followed by the link keys")
            return {}
        for key, key_node, value in self.items(path, root, "links.yml"):
            if key != "links":
                self.error(path, node_line(key_node), f"unknown field '{key}'; {_suggest(key, ['links'])}")
                continue
            if not isinstance(value, MappingNode):
                self.error(
                    path,
                    node_line(value),
                    f"'links' must be a mapping of KEY: {{url, title}}, not {node_kind(value)}",
                )
                continue
            for link_key, link_key_node, link_node in self.items(path, value, "links"):
                line = node_line(link_key_node)
                if not _LINK_KEY.match(link_key):
                    self.error(
                        path,
                        line,
                        f"link key '{link_key}' must be lower-case letters, digits, '-' or '_' "
                        "(e.g. teams-guide)",
                    )
                    continue
                link = self.load_link(path, link_key, link_node, line)
                if link is not None:
                    links[link_key] = link
        return links

    def load_link(self, path: Path, key: str, node: Node, line: int) -> Link | None:
        if not isinstance(node, MappingNode):
            self.error(path, node_line(node), f"link '{key}' must have 'url:' and 'title:' under it")
            return None
        url: str | None = None
        titles: dict[str, str] = {}
        found_url = found_title = False
        for name, name_node, value in self.items(path, node, f"link '{key}'"):
            if name == "url":
                found_url = True
                url = self.text(path, value, f"the url of link '{key}'")
                if url is not None and not re.match(r"^(https?://|mailto:|tel:)\S+$", url):
                    self.error(
                        path,
                        node_line(value),
                        f"the url of link '{key}' must start with https:// (or http://)",
                    )
                    url = None
            elif name == "title":
                found_title = True
                titles = self.lang_texts(path, value, f"the title of link '{key}'")
            else:
                self.error(
                    path,
                    node_line(name_node),
                    f"unknown field '{name}' in link '{key}'; {_suggest(name, ['url', 'title'])}",
                )
        if not found_url:
            self.error(path, line, f"link '{key}' has no 'url:'; add it")
        if not found_title:
            self.error(path, line, f"link '{key}' has no 'title:'; add title: {{nl: ..., fr: ...}}")
        elif titles and not all(lang in titles for lang in ("nl", "fr")):
            missing = [lang for lang in ("nl", "fr") if lang not in titles]
            self.error(path, line, f"the title of link '{key}' needs {' and '.join(missing)} too")
        if url is None or not titles:
            return None
        return Link(key, url, titles)

    def lang_texts(self, path: Path, node: Node, what: str) -> dict[str, str]:
        if not isinstance(node, MappingNode):
            self.error(
                path, node_line(node), f"{what} must be a mapping of language: text (nl: ..., fr: ...)"
            )
            return {}
        out: dict[str, str] = {}
        for lang, lang_node, value in self.items(path, node, what):
            if lang not in LANGS:
                self.error(
                    path, node_line(lang_node), f"'{lang}' in {what} is not a language; use nl, fr, de or en"
                )
                continue
            text = self.text(path, value, f"{what} in {lang}")
            if text is not None:
                out[lang] = text
        return out

    def load_topics(self, path: Path) -> dict[str, dict[str, str]]:
        if not path.is_file():
            return {}
        root = self.compose(path)
        if root is None:
            return {}
        if not isinstance(root, MappingNode):
            self.error(
                path, node_line(root), "topics.yml must start with 'topics:' followed by the topic ids"
            )
            return {}
        topics: dict[str, dict[str, str]] = {}
        for key, key_node, value in self.items(path, root, "topics.yml"):
            if key != "topics":
                self.error(path, node_line(key_node), f"unknown field '{key}'; {_suggest(key, ['topics'])}")
                continue
            if not isinstance(value, MappingNode):
                self.error(
                    path,
                    node_line(value),
                    f"'topics' must be a mapping of topic: {{nl: ..., fr: ...}}, not {node_kind(value)}",
                )
                continue
            for topic, topic_node, names in self.items(path, value, "topics"):
                if not ID_PATTERN.match(topic):
                    self.error(
                        path,
                        node_line(topic_node),
                        f"topic id '{topic}' must be lower-case letters, digits and '-'",
                    )
                    continue
                topics[topic] = self.lang_texts(path, names, f"the names of topic '{topic}'")
        return topics

    def load_synonyms(self, path: Path) -> list[list[str]]:
        if not path.is_file():
            return []
        root = self.compose(path)
        if root is None:
            return []
        if not isinstance(root, MappingNode):
            self.error(
                path, node_line(root), "synonyms.yml must start with 'groups:' followed by a list of lists"
            )
            return []
        groups: list[list[str]] = []
        owner: dict[str, int] = {}
        for key, key_node, value in self.items(path, root, "synonyms.yml"):
            if key != "groups":
                self.error(path, node_line(key_node), f"unknown field '{key}'; {_suggest(key, ['groups'])}")
                continue
            if not isinstance(value, SequenceNode):
                self.error(
                    path, node_line(value), f"'groups' must be a list of lists, not {node_kind(value)}"
                )
                continue
            for group_node in value.value:
                terms = self.text_list(path, group_node, "a synonym group")
                if terms is None:
                    continue
                if len(terms) < 2:
                    self.error(path, node_line(group_node), "a synonym group needs at least two terms")
                    continue
                group: list[str] = []
                for term, line in terms:
                    folded = normalize_question(term)
                    if not folded:
                        self.error(path, line, f"synonym '{term}' has no letters or digits")
                        continue
                    if folded in owner and owner[folded] != node_line(group_node):
                        self.error(
                            path,
                            line,
                            f"'{term}' is already in the group on line {owner[folded]}; "
                            "a term may be in one group only (merge the groups or remove one)",
                        )
                        continue
                    owner[folded] = node_line(group_node)
                    group.append(term)
                if len(group) >= 2:
                    groups.append(group)
        return groups

    def load_entry_file(self, path: Path) -> list[_RawEntry]:
        root = self.compose(path)
        if root is None:
            return []
        if isinstance(root, ScalarNode) and root.tag.endswith(":null"):
            self.warn(
                path, 1, "the file is empty; add 'entries:' with at least one entry, or delete the file"
            )
            return []
        if not isinstance(root, MappingNode):
            self.error(
                path,
                node_line(root),
                "an entry file must start with 'entries:' (optionally 'topic:' before it)",
            )
            return []
        file_topic: str | None = None
        entries_node: Node | None = None
        for key, key_node, value in self.items(path, root, "the file"):
            if key == "topic":
                file_topic = self.text(path, value, "the file's topic")
                if file_topic is not None and not ID_PATTERN.match(file_topic):
                    self.error(
                        path,
                        node_line(value),
                        f"topic '{file_topic}' must be lower-case letters, digits and '-'",
                    )
                    file_topic = None
            elif key == "entries":
                entries_node = value
            else:
                self.error(
                    path,
                    node_line(key_node),
                    f"unknown field '{key}' at the top of the file; {_suggest(key, ENTRY_FILE_FIELDS)}",
                )
        if entries_node is None:
            self.error(path, node_line(root), "the file has no 'entries:' list; add it")
            return []
        if not isinstance(entries_node, SequenceNode):
            self.error(
                path,
                node_line(entries_node),
                "'entries' must be a list of entries, each starting with '- id: ...', "
                f"not {node_kind(entries_node)}",
            )
            return []
        out: list[_RawEntry] = []
        for node in entries_node.value:
            entry = self.load_entry(path, node, file_topic)
            if entry is not None:
                out.append(entry)
        return out

    def load_entry(self, path: Path, node: Node, file_topic: str | None) -> _RawEntry | None:
        line = node_line(node)
        if not isinstance(node, MappingNode):
            self.error(
                path, line, f"an entry must be a mapping starting with '- id: ...', not {node_kind(node)}"
            )
            return None
        fields = {key: (key_node, value) for key, key_node, value in self.items(path, node, "the entry")}
        entry_id: str | None = None
        if "id" in fields:
            entry_id = self.text(path, fields["id"][1], "the id")
            if entry_id is not None and not ID_PATTERN.match(entry_id):
                self.error(
                    path,
                    node_line(fields["id"][1]),
                    f"id '{entry_id}' must be lower-case letters, digits and single '-' "
                    "(e.g. teams-mobile-install)",
                )
                entry_id = None
        label = f"entry '{entry_id}'" if entry_id else "this entry"
        ok = entry_id is not None
        for key, (key_node, _) in fields.items():
            if key not in ENTRY_FIELDS:
                self.error(
                    path,
                    node_line(key_node),
                    f"unknown field '{key}' in {label}; {_suggest(key, ENTRY_FIELDS)}",
                )
                ok = False
        missing = [
            name for name in REQUIRED_FIELDS if name not in fields and not (name == "topic" and file_topic)
        ]
        if missing:
            self.error(
                path,
                line,
                f"{label} lacks {', '.join(missing)}; add {' and '.join(f'{m}:' for m in missing)}",
            )
            ok = False

        topic = file_topic
        if "topic" in fields:
            topic = self.text(path, fields["topic"][1], f"the topic of {label}")
            if topic is not None and not ID_PATTERN.match(topic):
                self.error(
                    path,
                    node_line(fields["topic"][1]),
                    f"topic '{topic}' must be lower-case letters, digits and '-'",
                )
                topic = None
            ok = ok and topic is not None
        owner = self.text(path, fields["owner"][1], f"the owner of {label}") if "owner" in fields else None
        ok = ok and owner is not None
        reviewed = self.reviewed(path, fields["reviewed"][1], label) if "reviewed" in fields else None
        ok = ok and reviewed is not None
        related = (
            self.text_list(path, fields["related"][1], f"'related' of {label}") if "related" in fields else []
        )
        links = self.text_list(path, fields["links"][1], f"'links' of {label}") if "links" in fields else []
        ok = ok and related is not None and links is not None

        langs: dict[Lang, _RawLang] = {}
        for lang in LANGS:
            if lang in fields:
                block = self.language_block(path, fields[lang], lang, label)
                if block is None:
                    ok = False
                else:
                    langs[lang] = block
        if not any(lang in fields for lang in ("nl", "fr")):
            self.error(
                path,
                line,
                f"{label} needs its questions and answer in nl or fr (both, ideally): add 'nl:' or 'fr:'",
            )
            ok = False
        if not ok or entry_id is None or topic is None or owner is None or reviewed is None:
            return None
        return _RawEntry(path, line, entry_id, topic, owner, reviewed, related or [], links or [], langs)

    def reviewed(self, path: Path, node: Node, label: str) -> date | None:
        line = node_line(node)
        value = self.value(path, node) if isinstance(node, ScalarNode) else None
        if isinstance(value, datetime):
            value = value.date()
        elif isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                value = None
        if not isinstance(value, date):
            self.error(
                path, line, f"'reviewed' of {label} must be a date written as YYYY-MM-DD (e.g. 2026-09-15)"
            )
            return None
        if value > self.today:
            self.warn(
                path,
                line,
                f"{label} was reviewed on {value.isoformat()}, which is in the future; "
                "use the date of the review",
            )
        elif self.today - value > REVIEW_MAX_AGE:
            self.warn(
                path,
                line,
                f"{label} was last reviewed on {value.isoformat()}, more than a year ago: "
                "review it and update 'reviewed'",
            )
        return value

    def language_block(
        self, path: Path, key_value: tuple[Node, Node], lang: Lang, label: str
    ) -> _RawLang | None:
        where = f"'{lang}' of {label}"
        key_node, node = key_value
        line = node_line(key_node)
        if not isinstance(node, MappingNode):
            self.error(
                path,
                node_line(node),
                f"{where} must have 'questions:' and 'answer:' under it, not {node_kind(node)}",
            )
            return None
        fields = {key: (key_node, value) for key, key_node, value in self.items(path, node, where)}
        ok = True
        for key, (key_node, _) in fields.items():
            if key not in LANGUAGE_FIELDS:
                self.error(
                    path,
                    node_line(key_node),
                    f"unknown field '{key}' in {where}; {_suggest(key, LANGUAGE_FIELDS)}",
                )
                ok = False
        questions: list[tuple[str, int]] | None = None
        if "questions" in fields:
            questions = self.text_list(path, fields["questions"][1], f"the questions of {where}")
            if questions is not None and not questions:
                self.error(
                    path, node_line(fields["questions"][1]), f"{where} has no questions; add at least one"
                )
                questions = None
        elif "answer" in fields:
            self.error(
                path,
                line,
                f"{where} has an answer but no questions; add 'questions:' with at least one question",
            )
        answer: str | None = None
        answer_node: ScalarNode | None = None
        if "answer" in fields:
            value = fields["answer"][1]
            answer = self.text(path, value, f"the answer of {where}")
            if isinstance(value, ScalarNode):
                answer_node = value
        elif "questions" in fields:
            self.error(
                path,
                line,
                f"{where} has questions but no answer; add 'answer: |' with the answer below it",
            )
        if not fields:
            self.error(path, line, f"{where} is empty; add 'questions:' and 'answer:'")
        if not ok or questions is None or answer is None:
            return None
        return _RawLang(questions, answer, answer_node)

    # -- across files ----------------------------------------------------------------------------

    def cross_check(self, raw: list[_RawEntry], links: dict[str, Link]) -> dict[str, FaqEntry]:
        by_id: dict[str, _RawEntry] = {}
        for entry in raw:
            if entry.id in by_id:
                first = by_id[entry.id]
                self.error(
                    entry.file,
                    entry.line,
                    f"id '{entry.id}' is already used at {first.file}:{first.line}; "
                    "ids must be unique, rename one",
                )
                continue
            by_id[entry.id] = entry

        claimed: dict[str, tuple[str, Path, int]] = {}
        entries: dict[str, FaqEntry] = {}
        for entry in by_id.values():
            for related, line in entry.related:
                if related == entry.id:
                    self.error(
                        entry.file, line, f"entry '{entry.id}' lists itself under 'related'; remove it"
                    )
                elif related not in by_id:
                    self.error(
                        entry.file,
                        line,
                        f"related entry '{related}' does not exist; {_suggest_id(related, by_id)}",
                    )
            for key, line in entry.links:
                if key not in links:
                    self.error(
                        entry.file, line, f"link '{key}' is not in links.yml; {_suggest_key(key, links)}"
                    )
            seen_here: set[str] = set()
            for lang, block in entry.langs.items():
                for question, line in block.questions:
                    norm = normalize_question(question)
                    if not norm:
                        self.error(entry.file, line, f"question '{question}' has no letters or digits")
                        continue
                    if norm in claimed and claimed[norm][0] != entry.id:
                        other, other_file, other_line = claimed[norm]
                        self.error(
                            entry.file,
                            line,
                            f"question '{question}' is also a question of entry '{other}' "
                            f"({other_file}:{other_line}); keep it in one entry only",
                        )
                    elif norm in seen_here and lang in ("nl", "fr", "de", "en"):
                        self.warn(
                            entry.file, line, f"question '{question}' appears twice in entry '{entry.id}'"
                        )
                    claimed.setdefault(norm, (entry.id, entry.file, line))
                    seen_here.add(norm)
                self.check_link_refs(entry, lang, block, links)
            missing = [lang for lang in LANGS if lang not in entry.langs]
            if missing:
                self.warn(
                    entry.file,
                    entry.line,
                    f"entry '{entry.id}' has no {', '.join(missing)} version"
                    + (" (nl and fr are expected for every entry)" if set(missing) & {"nl", "fr"} else ""),
                )
            entries[entry.id] = FaqEntry(
                id=entry.id,
                topic=entry.topic,
                owner=entry.owner,
                reviewed=entry.reviewed,
                related=tuple(r for r, _ in entry.related),
                links=tuple(links[k] for k, _ in entry.links if k in links),
                content={
                    lang: LocalizedContent(
                        tuple(q for q, _ in block.questions),
                        _LINK_REF.sub(
                            lambda m: (
                                links[m.group(1).strip()].url if m.group(1).strip() in links else m.group(0)
                            ),
                            block.answer,
                        ),
                    )
                    for lang, block in entry.langs.items()
                },
            )
        return entries

    def check_link_refs(self, entry: _RawEntry, lang: Lang, block: _RawLang, links: dict[str, Link]) -> None:
        for found in _LINK_REF.finditer(block.answer):
            key = found.group(1).strip()
            if key in links:
                continue
            line = entry.line
            node = block.answer_node
            if node is not None:
                line = node_line(node)
                if node.style == "|":
                    line += 1 + str(node.value)[: found.start()].count("\n")
            self.error(
                entry.file,
                line,
                f"'{{link:{key}}}' in the {lang} answer of '{entry.id}': "
                f"there is no link '{key}' in links.yml; " + _suggest_key(key, links),
            )


def _suggest_id(name: str, known: Iterable[str]) -> str:
    return did_you_mean(name, known, "check the spelling or remove it")


def _suggest_key(name: str, links: dict[str, Link]) -> str:
    return did_you_mean(name, links, "add it to links.yml or check the spelling")
