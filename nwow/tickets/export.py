"""Write the knowledge-base proposals (nwow/tickets/proposals.py) as YAML an ambassador reviews and commits.

`export_proposals` copies the FAQ folder to a new folder and, in the copy:
- adds each proposed **variant** to the questions of its entry, in its language, as one more line of the
  entry's `questions:` list (the rest of the file, comments included, is left as it is);
- writes the **drafts** into one new file `entries/drafts-<date>.yml`, each an entry with `status: draft`,
  `source: none` and an owner that names the question it came from.

Then it checks the copy as `nwow faq check` does. Nothing is marked exported unless the copy passes; the
ambassador compares the copy with the folder (`diff -ru faq <out>`), edits what needs it and commits.

What cannot be written as a valid entry is left pending, with the reason: a variant in a language its entry
has no answer in, a variant of an entry that no longer exists, a draft in German or English (an entry needs
its Dutch or French version: the draft is written as a comment to translate from instead).
"""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final

from nwow.faq.checks import CheckReport, run_check
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import ENTRIES_DIR
from nwow.faq.text import normalize_question
from nwow.problems import Problem
from nwow.tickets.proposals import Proposal, ProposalKind
from nwow.yaml_reader import YamlDocument, read_yaml

__all__ = ["ExportRefused", "ExportResult", "export_proposals"]

DRAFT_LANGS: Final = ("nl", "fr")  # an entry needs one of these (faq/schemas/entries.schema.json)
_SLUG_WORDS: Final = 6
_ITEM: Final = re.compile(r"^(\s*)-\s")


class ExportRefused(ValueError):
    """The export cannot start (the output folder is not empty, the FAQ folder has errors)."""


@dataclass
class ExportResult:
    out: Path
    exported: list[Proposal] = field(default_factory=list)
    pending: list[tuple[Proposal, str]] = field(default_factory=list)  # left on the list, and why
    changed: list[Path] = field(default_factory=list)  # files of the copy that differ from the folder
    check: CheckReport | None = None

    @property
    def passed(self) -> bool:
        return self.check is not None and not self.check.failed


def export_proposals(
    proposals: Sequence[Proposal], faq_dir: Path, out: Path, kb: KnowledgeBase, today: date
) -> ExportResult:
    """Copy `faq_dir` to `out` with `proposals` applied, and check the copy (see the module docstring)."""
    if out.exists() and any(out.iterdir()):
        raise ExportRefused(f"{out} is not empty: give a new folder (the export never overwrites files)")
    if out.resolve() == faq_dir.resolve() or faq_dir.resolve() in out.resolve().parents:
        raise ExportRefused(f"{out} is inside the FAQ folder {faq_dir}: give a folder outside it")
    shutil.copytree(faq_dir, out, dirs_exist_ok=True)
    result = ExportResult(out)
    variants = [p for p in proposals if p.kind is ProposalKind.VARIANT]
    drafts = [p for p in proposals if p.kind is ProposalKind.DRAFT]
    _add_variants(variants, out, kb, result)
    _write_drafts(drafts, out, kb, today, result)
    result.check = run_check(out)
    return result


# ---------------------------------------------------------------- variants


def _entry_files(out: Path) -> list[Path]:
    folder = out / ENTRIES_DIR
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def _find_entries(out: Path) -> dict[str, tuple[Path, YamlDocument, int]]:
    """Each entry id of the copy: its file, the file's document and the entry's index in `entries`."""
    found: dict[str, tuple[Path, YamlDocument, int]] = {}
    for path in _entry_files(out):
        document = read_yaml(path)
        if isinstance(document, Problem) or not isinstance(document.value, dict):
            continue
        for index, entry in enumerate(document.value.get("entries") or []):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                found.setdefault(entry["id"], (path, document, index))
    return found


def _add_variants(variants: Sequence[Proposal], out: Path, kb: KnowledgeBase, result: ExportResult) -> None:
    where = _find_entries(out)
    # Per file: (line index after which to insert, the question, the proposal), applied bottom-up.
    edits: dict[Path, list[tuple[int, str, Proposal, bool]]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    for proposal in variants:
        entry = kb.entry(proposal.entry_id)
        if entry is None or proposal.entry_id not in where:
            result.pending.append((proposal, f"entry '{proposal.entry_id}' no longer exists"))
            continue
        if proposal.lang not in entry.content:
            result.pending.append(
                (
                    proposal,
                    f"entry '{proposal.entry_id}' has no {proposal.lang} answer: add one with this question",
                )
            )
            continue
        known = {normalize_question(q) for content in entry.content.values() for q in content.questions}
        key = (proposal.entry_id, proposal.lang, proposal.norm)
        if proposal.norm in known or key in seen:
            result.exported.append(proposal)  # already there (added by hand since): nothing to write
            continue
        seen.add(key)
        path, document, index = where[proposal.entry_id]
        questions = document.value["entries"][index][proposal.lang]["questions"]
        last = len(questions) - 1
        last_line = document.line(("entries", index, proposal.lang, "questions", last))
        key_line = document.line(("entries", index, proposal.lang, "questions"))
        flow = last_line == key_line  # questions: [a, b] on the key's own line
        edits[path].append((last_line - 1, proposal.text, proposal, flow))
    for path, changes in edits.items():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for line_index, text, proposal, flow in sorted(changes, key=lambda c: c[0], reverse=True):
            scalar = _scalar(text)
            current = lines[line_index]
            if flow:
                closing = current.rfind("]")
                if closing < 0:
                    result.pending.append(
                        (proposal, f"{path.name}: cannot find the end of the questions list")
                    )
                    continue
                lines[line_index] = f"{current[:closing]}, {scalar}{current[closing:]}"
            else:
                indent = _ITEM.match(current)
                if indent is None:
                    result.pending.append(
                        (proposal, f"{path.name}: the questions list has an unusual layout")
                    )
                    continue
                lines.insert(line_index + 1, f"{indent.group(1)}- {scalar}\n")
            result.exported.append(proposal)
        path.write_text("".join(lines), encoding="utf-8")
        result.changed.append(path)


# ---------------------------------------------------------------- drafts


def _slug(text: str) -> str:
    words = normalize_question(text).split()[:_SLUG_WORDS]
    return "-".join(re.sub(r"[^a-z0-9]", "", w) for w in words if re.sub(r"[^a-z0-9]", "", w)) or "question"


def _draft_id(proposal: Proposal, taken: set[str]) -> str:
    base = f"draft-{proposal.ticket or proposal.id}-{_slug(proposal.text)}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _scalar(text: str) -> str:
    """A one-line text as a YAML scalar (a JSON string is a valid YAML double-quoted scalar)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def _draft_lines(proposal: Proposal, entry_id: str, topic: str, today: date) -> list[str]:
    """The draft as an entry of an entry file, written the way the shipped files are."""
    origin = f"question #{proposal.ticket}" if proposal.ticket else f"proposal {proposal.id}"
    lines = [
        f"  - id: {entry_id}",
        f"    topic: {topic}",
        f"    owner: {_scalar(f'NWOW ambassadors (draft from {origin})')}",
        f"    reviewed: {today.isoformat()}",
        "    source: none",
        "    status: draft",
    ]
    if proposal.links:
        lines.append(f"    links: [{', '.join(proposal.links)}]")
    lines += [f"    {proposal.lang}:", "      questions:", f"        - {_scalar(proposal.text)}"]
    answer = proposal.answer.strip("\n").rstrip()
    if answer[:1].isspace():
        lines.append(f"      answer: {json.dumps(answer, ensure_ascii=False)}")
    else:
        lines.append("      answer: |")
        lines += [f"        {line}".rstrip() for line in answer.splitlines()]
    return lines


def _write_drafts(
    drafts: Sequence[Proposal], out: Path, kb: KnowledgeBase, today: date, result: ExportResult
) -> None:
    if not drafts:
        return
    taken = set(kb.entries)
    topics = {*kb.topics, *(e.topic for e in kb.entries.values())}
    fallback = "support" if "support" in topics else next(iter(sorted(topics)), "drafts")
    writable: list[str] = []
    commented: list[str] = []
    for proposal in drafts:
        topic = proposal.topic if proposal.topic in topics else fallback
        lines = _draft_lines(proposal, _draft_id(proposal, taken), topic, today)
        if proposal.lang in DRAFT_LANGS:
            writable += lines
            result.exported.append(proposal)
        else:
            # An entry needs its nl or fr version: written as a comment to translate from, left pending.
            commented += [f"# {line}" for line in lines]
            reason = f"written as a comment: add the nl or fr version ({proposal.lang} only)"
            result.pending.append((proposal, reason))
    path = out / ENTRIES_DIR / f"drafts-{today.isoformat()}.yml"
    number = 2
    while path.exists():
        path = out / ENTRIES_DIR / f"drafts-{today.isoformat()}-{number}.yml"
        number += 1
    header = [
        "# yaml-language-server: $schema=../schemas/entries.schema.json",
        "# Draft entries proposed from the ambassadors' answers (nwow faq suggestions export).",
        "# Review each one: rewrite the question and the answer for everyone, set the owner, add the",
        "# other languages; when DRI validated it, set status: validated with validated_by and validated_on.",
    ]
    body = "entries:\n" + "\n".join(writable) + "\n" if writable else ""
    if commented:
        body += "\n# Drafts in German or English: add the Dutch or French version, then uncomment.\n"
        body += "\n".join(commented) + "\n"
    path.write_text("\n".join(header) + "\n" + body, encoding="utf-8")
    result.changed.append(path)
