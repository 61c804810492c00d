"""Load the FAQ folder: each file read safely and checked against its schema (faq/schemas/), the entries
built from what passed, then the rules across files (`nwow.faq.rules`). Every problem names the file, the
line and what to change; a knowledge base is built only when there is no error."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.matcher import Index, Tuning
from nwow.faq.model import FaqEntry, KbVersion, Link
from nwow.faq.rules import EntryRead, build_entries, synonym_groups
from nwow.problems import Problem, ProblemList
from nwow.yaml_reader import YamlDocument, read_yaml
from nwow.yaml_schema import SchemaCheck, SchemaKind, check_schema

logger = logging.getLogger(__name__)

ENTRIES_DIR: Final = "entries"
SYNONYMS_FILE: Final = "synonyms.yml"
LINKS_FILE: Final = "links.yml"
TOPICS_FILE: Final = "topics.yml"
# All FAQ files together (each file has its own limit, nwow.yaml_reader.MAX_FILE_BYTES): far above a real
# knowledge base (about 250 KB; the 10,000-entry benchmark is 21 MB), low enough that a runaway folder
# cannot exhaust memory.
MAX_FOLDER_BYTES: Final = 64 * 1024 * 1024
_KINDS: Final[dict[str, SchemaKind]] = {SYNONYMS_FILE: "synonyms", LINKS_FILE: "links", TOPICS_FILE: "topics"}


@dataclass(frozen=True)
class LoadResult:
    kb: KnowledgeBase | None
    problems: list[Problem]
    files: tuple[Path, ...] = ()
    entry_count: int = 0  # entries read, also when there are errors
    entries: tuple[FaqEntry, ...] = ()  # the entries that could be built, also when there are errors
    not_kept: int = 0  # problems found beyond nwow.problems.MAX_KEPT (counted, not kept)
    contents: Mapping[Path, bytes] = field(default_factory=dict, repr=False)  # the bytes of each file read

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


def faq_file_kind(folder: Path, path: Path) -> SchemaKind:
    """The schema of a file `faq_files(folder)` lists."""
    return "entries" if folder / ENTRIES_DIR in path.parents else _KINDS[path.name]


def load_knowledge_base(
    folder: Path,
    *,
    today: date | None = None,
    tuning: Tuning | None = None,
    cache_dir: Path | None = None,
    refuse_unvalidated: bool = False,
) -> LoadResult:
    """Read, validate and index the FAQ folder. `kb` is None when there is any error. `cache_dir` keeps
    the variants' sentence embeddings between loads (None: computed every load). With `refuse_unvalidated`
    (the bot outside development mode), draft security entries are errors (`nwow.content_gate`)."""
    started = time.perf_counter()
    problems = ProblemList()
    if not folder.is_dir():
        problems.error(folder, 1, "the FAQ folder does not exist; give the folder that contains entries/")
        return LoadResult(None, problems.sorted())
    with _cyclic_gc_paused():
        files = faq_files(folder)
        contents: dict[Path, bytes] = {}
        checked = _read_all(folder, files, problems, contents)
        links = _links(checked.get(folder / LINKS_FILE))
        topics = _topics(checked.get(folder / TOPICS_FILE))
        synonyms = synonym_groups(checked.get(folder / SYNONYMS_FILE), problems)
        read: list[EntryRead] = []
        entry_files = [path for path in files if faq_file_kind(folder, path) == "entries"]
        if not entry_files:
            problems.error(
                folder / ENTRIES_DIR,
                1,
                "no entry files: add at least one .yml file with 'entries:' in entries/",
            )
        for path in entry_files:
            if path in checked:
                read.extend(_entries_of(*checked[path], problems))
        entries = build_entries(
            read, links, problems, today or datetime.now(UTC).date(), refuse_unvalidated=refuse_unvalidated
        )
        result = LoadResult(
            None,
            problems.sorted(),
            tuple(files),
            len(read),
            tuple(entries.values()),
            problems.dropped,
            contents,
        )
        if problems.has_errors:
            return result
        checked.clear()  # the files' values and lines are no longer needed: free them before the index
        read.clear()
        index = Index(list(entries.values()), synonyms, tuning, cache_dir=cache_dir)
    version = KbVersion(len(entries), _content_hash(folder, contents), datetime.now(UTC))
    logger.debug(
        "knowledge base loaded: %d entries from %d files in %.0f ms",
        len(entries),
        len(files),
        (time.perf_counter() - started) * 1000,
    )
    return LoadResult(
        KnowledgeBase(entries, topics, index, version, synonyms),
        result.problems,
        result.files,
        result.entry_count,
        result.entries,
        result.not_kept,
        contents,
    )


def _read_all(
    folder: Path, files: list[Path], problems: ProblemList, contents: dict[Path, bytes]
) -> dict[Path, tuple[YamlDocument, SchemaCheck]]:
    """Each file read (its bytes put in `contents`) and checked against its schema; files that cannot be
    read, or hold nothing, are left out."""
    checked: dict[Path, tuple[YamlDocument, SchemaCheck]] = {}
    total = 0
    for path in files:
        document = read_yaml(path)
        if isinstance(document, Problem):
            problems.add(document)
            continue
        total += len(document.raw)
        if total > MAX_FOLDER_BYTES:
            problems.error(
                path,
                1,
                f"the FAQ files hold more than {MAX_FOLDER_BYTES // (1024 * 1024)} MB together, the limit for a "
                "knowledge base (far above any real one); this file and the ones after it are not read",
            )
            break
        contents[path] = document.raw
        problems.extend(document.problems)
        if document.value is None and faq_file_kind(folder, path) == "entries":
            problems.warn(
                path, 1, "the file is empty; add 'entries:' with at least one entry, or delete the file"
            )
            continue
        check = check_schema(document, faq_file_kind(folder, path))
        problems.extend(check.problems)
        checked[path] = (document, check)
    return checked


def _entries_of(document: YamlDocument, check: SchemaCheck, problems: ProblemList) -> Iterator[EntryRead]:
    """The entries of a file that passed the schema, with the file's default topic."""
    value = document.value
    if not isinstance(value, dict) or not isinstance(value.get("entries"), list):
        return
    file_topic = value.get("topic") if check.passed(("topic",)) else None
    for index, fields in enumerate(value["entries"]):
        if check.passed(("entries", index)) and isinstance(fields, dict):
            topic = fields.get("topic", file_topic)
            if isinstance(topic, str):
                yield EntryRead(document, ("entries", index), fields, topic)


def _links(checked: tuple[YamlDocument, SchemaCheck] | None) -> dict[str, Link]:
    return {
        key: Link(key, link["url"], dict(link["title"]))
        for key, link in _passed_items(checked, "links").items()
    }


def _topics(checked: tuple[YamlDocument, SchemaCheck] | None) -> dict[str, dict[str, str]]:
    return {topic: dict(names) for topic, names in _passed_items(checked, "topics").items()}


def _passed_items(checked: tuple[YamlDocument, SchemaCheck] | None, section: str) -> dict[str, Any]:
    """The items of the mapping `section:` of a file (links.yml, topics.yml) that passed the schema."""
    if checked is None:
        return {}
    document, check = checked
    items: Any = document.value.get(section) if isinstance(document.value, dict) else None
    if not isinstance(items, dict):
        return {}
    return {key: value for key, value in items.items() if check.passed((section, key))}


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a load allocates its many small objects.

    A load builds hundreds of thousands of values, tuples and dicts that all stay alive until it ends, so
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


def _content_hash(folder: Path, contents: Mapping[Path, bytes]) -> str:
    digest = hashlib.sha256()
    for path in sorted(contents, key=lambda p: p.relative_to(folder).as_posix()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(b"\0")
        digest.update(contents[path])
        digest.update(b"\0")
    return digest.hexdigest()[:16]
