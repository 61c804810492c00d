"""`nwow faq check`: every file of the knowledge-base folder (FAQ, offices, units, test questions) checked,
with the editor modelines and the provenance counts."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from nwow.content_gate import is_security_entry
from nwow.faq.glossary import GLOSSARY_FILE, Glossary, answer_problems, item_problems, read_glossary
from nwow.faq.loader import LoadResult, faq_file_kind, faq_files, load_knowledge_base
from nwow.feedback.units import UNITS_FILE, Units, read_units
from nwow.offices.loader import OFFICES_FILE, read_offices
from nwow.offices.model import OfficeDirectory
from nwow.problems import Problem, ProblemList, sort_problems
from nwow.provenance import ProvenanceCounts
from nwow.pulses.reader import PULSES_DIR, read_pulse
from nwow.reloading import Loaded
from nwow.tickets.routing import ROUTING_FILE, read_routing
from nwow.yaml_reader import YamlDocument, read_yaml
from nwow.yaml_schema import SCHEMA_FILE, SchemaKind, check_schema

TESTS_FILE: Final = "tests.yml"
SCHEMAS_DIR: Final = "schemas"
# The comment that tells the editor (Red Hat YAML extension) which schema a file follows; it must be in the
# comments at the top of the file (yaml-language-server reads only those).
MODELINE: Final = re.compile(r"^#\s+yaml-language-server\s*:\s*\$schema=(\S+)")


@dataclass(frozen=True)
class CheckReport:
    folder: Path
    problems: list[Problem]  # sorted by file and line
    not_kept: int  # problems counted beyond those kept
    faq: LoadResult
    offices: OfficeDirectory | None  # None when there is no offices file or it has errors
    files: int
    failed: bool  # any error, also among those not kept

    @property
    def entries(self) -> ProvenanceCounts:
        return ProvenanceCounts.of(entry.provenance for entry in self.faq.entries)

    @property
    def security_entries(self) -> tuple[int, int]:
        """(security entries, drafts among them): see nwow.content_gate."""
        security = [e for e in self.faq.entries if is_security_entry(e.topic, e.owner)]
        return len(security), sum(not e.provenance.validated for e in security)

    @property
    def offices_counts(self) -> ProvenanceCounts | None:
        if self.offices is None:
            return None
        return ProvenanceCounts.of(office.provenance for office in self.offices.offices)


def run_check(folder: Path, *, production: bool = False) -> CheckReport:
    """Every problem in the folder, sorted by file and line, with what loaded. `production`: as the bot
    outside development mode loads it, with draft security entries and example offices as errors."""
    result = load_knowledge_base(folder, refuse_unvalidated=production)
    problems = ProblemList()
    problems.extend(result.problems)
    problems.dropped += result.not_kept
    problems.dropped_errors += result.not_kept and result.kb is None
    offices: OfficeDirectory | None = None
    kinds: dict[Path, SchemaKind] = {path: faq_file_kind(folder, path) for path in faq_files(folder)}
    units_loaded: Loaded[Units] | None = None
    if folder.is_dir():
        if (folder / OFFICES_FILE).is_file():
            loaded = read_offices(folder / OFFICES_FILE, refuse_examples=production)
            problems.extend(loaded.problems)
            problems.dropped += loaded.not_kept
            offices = loaded.value
            kinds[folder / OFFICES_FILE] = "offices"
        if (folder / UNITS_FILE).is_file():
            units = units_loaded = read_units(folder / UNITS_FILE)
            problems.extend(units.problems)
            problems.dropped += units.not_kept
            kinds[folder / UNITS_FILE] = "units"
        if (folder / TESTS_FILE).is_file():
            problems.extend(_tests_problems(folder / TESTS_FILE))
            kinds[folder / TESTS_FILE] = "tests"
        if (folder / ROUTING_FILE).is_file():
            kb = result.kb  # the routes' topics are checked against the FAQ's, when it loaded
            topics = None if kb is None else {*kb.topics, *(e.topic for e in kb.entries.values())}
            routing = read_routing(folder / ROUTING_FILE, topics)
            problems.extend(routing.problems)
            problems.dropped += routing.not_kept
            kinds[folder / ROUTING_FILE] = "routing"
        if (folder / GLOSSARY_FILE).is_file():
            glossary, glossary_problems = read_glossary(folder / GLOSSARY_FILE)
            problems.extend(glossary_problems)
            problems.extend(answer_problems(_entry_documents(folder), glossary))
            problems.extend(_item_texts_problems(folder, glossary))
            kinds[folder / GLOSSARY_FILE] = "glossary"
        unit_ids = None if units_loaded is None or units_loaded.value is None else units_loaded.value.ids()
        for path in sorted((folder / PULSES_DIR).glob("*.yml")):
            pulse = read_pulse(path, unit_ids)
            problems.extend(pulse.problems)
            problems.dropped += pulse.not_kept
            kinds[path] = "pulse"
        for path, kind in kinds.items():
            problems.extend(modeline_problems(folder, path, kind))
    return CheckReport(
        folder,
        sort_problems(problems.kept),
        problems.dropped,
        result,
        offices,
        len(kinds),
        problems.has_errors,
    )


def expected_modeline(folder: Path, path: Path, kind: SchemaKind) -> str:
    """The modeline a file of `kind` at `path` carries: its schema, relative to the file."""
    schema = folder / SCHEMAS_DIR / SCHEMA_FILE.format(kind=kind)
    return f"# yaml-language-server: $schema={Path(os.path.relpath(schema, path.parent)).as_posix()}"


def modeline_problems(folder: Path, path: Path, kind: SchemaKind) -> list[Problem]:
    """A warning when the file's modeline is missing or names another schema than its own."""
    expected = expected_modeline(folder, path, kind)
    try:
        with path.open(encoding="utf-8", errors="replace") as stream:
            header = [line.rstrip("\n") for _, line in zip(range(40), stream, strict=False)]
    except OSError:
        return []  # the loaders report a file that cannot be read
    for number, line in enumerate(header, start=1):
        if not line.startswith("#") and line.strip():
            break
        found = MODELINE.match(line)
        if found is None:
            continue
        named = (path.parent / found.group(1)).resolve()
        if named != (folder / SCHEMAS_DIR / SCHEMA_FILE.format(kind=kind)).resolve():
            message = f"the modeline names {found.group(1)}, not this file's schema: write `{expected}`"
        elif not named.is_file():
            message = f"the modeline names {found.group(1)}, which does not exist: copy faq/schemas/ beside the files"
        else:
            return []
        return [Problem(path, number, message, "warning")]
    return [
        Problem(
            path,
            1,
            f"no editor modeline: add `{expected}` as the first line, so that VS Code checks the file as you type",
            "warning",
        )
    ]


# Texts users read besides the answers, checked against the glossary: (file, list, text fields, item name).
_GLOSSARY_ITEMS: Final = (
    (OFFICES_FILE, "offices", ("name", "access"), "office"),
    (UNITS_FILE, "units", ("name",), "unit"),
    (UNITS_FILE, "groups", ("name",), "group"),
)


def _item_texts_problems(folder: Path, glossary: Glossary) -> list[Problem]:
    problems: list[Problem] = []
    for file, section, keys, what in _GLOSSARY_ITEMS:
        document = read_yaml(folder / file) if (folder / file).is_file() else None
        if isinstance(document, YamlDocument):
            problems.extend(item_problems(document, glossary, section, keys, what))
    return problems


def _entry_documents(folder: Path) -> list[YamlDocument]:
    """The entries files, read again for the glossary (their problems are the loader's to report)."""
    documents = (read_yaml(path) for path in faq_files(folder) if faq_file_kind(folder, path) == "entries")
    return [document for document in documents if not isinstance(document, Problem)]


def _tests_problems(path: Path) -> list[Problem]:
    document = read_yaml(path)
    if isinstance(document, Problem):
        return [document]
    return [*document.problems, *check_schema(document, "tests").problems]
