"""The FAQ rules that a schema cannot express, in one place: ids unique over all files, related entries and
links that exist, a question in one entry only, a synonym in one group only; and the warnings (a missing
language, an old review, a draft that reads as policy)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any, Final

from nwow.content_gate import is_security_entry, refused_entry_message
from nwow.faq.model import FaqEntry, Link, LocalizedContent
from nwow.faq.setting_refs import ANSWER_SETTINGS, SETTING_REF
from nwow.faq.text import normalize_question
from nwow.language import LANGS, Lang
from nwow.problems import ProblemList, did_you_mean, shown
from nwow.provenance import Provenance
from nwow.yaml_reader import JsonPath, YamlDocument
from nwow.yaml_schema import SchemaCheck

REVIEW_MAX_AGE: Final = timedelta(days=365)
# Owners whose draft entries users may take for policy (security and IT rules): warned about until validated.
POLICY_OWNERS: Final = re.compile(r"\b(ISPO|DRI)\b")

_LINK_REF: Final = re.compile(r"\{link:([^}]*)\}")


@dataclass(frozen=True)
class EntryRead:
    """An entry as read from its file (it passed the schema), with where it is."""

    document: YamlDocument
    path: JsonPath  # ("entries", index)
    fields: Mapping[str, Any]
    topic: str

    @property
    def id(self) -> str:
        return str(self.fields["id"])

    def line(self, *within: str | int) -> int:
        return self.document.line((*self.path, *within))

    @property
    def where(self) -> str:
        return f"{self.document.path}:{self.line()}"


def build_entries(
    read: Iterable[EntryRead],
    links: Mapping[str, Link],
    problems: ProblemList,
    today: date,
    *,
    refuse_unvalidated: bool = False,
) -> dict[str, FaqEntry]:
    """The entries, checked across files; problems are added to `problems`. With `refuse_unvalidated` (the
    bot outside development mode), a draft security entry is an error (`nwow.content_gate`)."""
    by_id: dict[str, EntryRead] = {}
    for entry in read:
        first = by_id.get(entry.id)
        if first is None:
            by_id[entry.id] = entry
            continue
        problems.error(
            entry.document.path,
            entry.line(),
            f"id {shown(entry.id)} is already used at {first.where}; ids must be unique, rename one",
        )
    claimed: dict[str, tuple[str, str]] = {}
    entries: dict[str, FaqEntry] = {}
    for entry in by_id.values():
        _check_references(entry, by_id, links, problems)
        _check_questions(entry, claimed, problems)
        _warn(entry, problems, today)
        if refuse_unvalidated:
            _refuse_unvalidated(entry, problems)
        entries[entry.id] = _entry(entry, links)
    return entries


def _check_references(
    entry: EntryRead, by_id: Mapping[str, EntryRead], links: Mapping[str, Link], problems: ProblemList
) -> None:
    file = entry.document.path
    for index, related in enumerate(entry.fields.get("related", ())):
        if related == entry.id:
            problems.error(
                file,
                entry.line("related", index),
                f"entry '{entry.id}' lists itself under `related`; remove it",
            )
        elif related not in by_id:
            problems.error(
                file,
                entry.line("related", index),
                partial(_unknown_related, related, by_id),
            )
    for index, key in enumerate(entry.fields.get("links", ())):
        if key not in links:
            problems.error(
                file,
                entry.line("links", index),
                partial(_unknown_link, key, links),
            )
    for lang in LANGS:
        block = entry.fields.get(lang)
        if block is None:
            continue
        answer = str(block["answer"])
        for found in _LINK_REF.finditer(answer):
            key = found.group(1).strip()
            if key in links:
                continue
            problems.error(
                file,
                _answer_line(entry, lang, answer, found.start()),
                partial(_unknown_link_ref, key, lang, entry.id, links),
            )
        for found in SETTING_REF.finditer(answer):
            name = found.group(1).strip()
            if name not in ANSWER_SETTINGS:
                problems.error(
                    file,
                    _answer_line(entry, lang, answer, found.start()),
                    partial(_unknown_setting_ref, name, lang, entry.id),
                )


def _answer_line(entry: EntryRead, lang: str, answer: str, offset: int) -> int:
    """The line of the character at `offset` of an answer."""
    line = entry.line(lang, "answer")
    if "\n" in answer.rstrip("\n"):  # a block (`answer: |`): the text starts on the next line
        line += 1 + answer[:offset].count("\n")
    return line


def _check_questions(entry: EntryRead, claimed: dict[str, tuple[str, str]], problems: ProblemList) -> None:
    """A question (ignoring case, accents and punctuation) belongs to one entry only."""
    file = entry.document.path
    seen_here: set[str] = set()
    for lang in LANGS:
        block = entry.fields.get(lang)
        if block is None:
            continue
        for index, question in enumerate(block["questions"]):
            line = entry.line(lang, "questions", index)
            norm = normalize_question(question)
            if not norm:
                problems.error(file, line, f"question {shown(question)} has no letters or digits")
                continue
            owner = claimed.get(norm)
            if owner is not None and owner[0] != entry.id:
                problems.error(
                    file,
                    line,
                    f"question {shown(question)} is also a question of entry '{owner[0]}' ({owner[1]}); "
                    "keep it in one entry only",
                )
            elif norm in seen_here:
                problems.warn(file, line, f"question {shown(question)} appears twice in entry '{entry.id}'")
            claimed.setdefault(norm, (entry.id, f"{file}:{line}"))
            seen_here.add(norm)


def _warn(entry: EntryRead, problems: ProblemList, today: date) -> None:
    file = entry.document.path
    missing = [lang for lang in LANGS if lang not in entry.fields]
    if missing:
        expected = " (nl and fr are expected for every entry)" if {"nl", "fr"} & set(missing) else ""
        problems.warn(file, entry.line(), f"entry '{entry.id}' has no {', '.join(missing)} version{expected}")
    reviewed = date.fromisoformat(entry.fields["reviewed"])
    if reviewed > today:
        problems.warn(
            file,
            entry.line("reviewed"),
            f"entry '{entry.id}' was reviewed on {reviewed.isoformat()}, which is in the future; "
            "use the date of the review",
        )
    elif today - reviewed > REVIEW_MAX_AGE:
        problems.warn(
            file,
            entry.line("reviewed"),
            f"entry '{entry.id}' was last reviewed on {reviewed.isoformat()}, more than a year ago: "
            "review it and update `reviewed`",
        )
    owner = str(entry.fields["owner"])
    policy_owner = POLICY_OWNERS.search(owner)
    if entry.fields["status"] == "draft" and policy_owner is not None:
        problems.warn(
            file,
            entry.line("status"),
            f"entry '{entry.id}' is a draft owned by {policy_owner.group(1)}"
            + (f" ({shown(owner)})" if owner.strip() != policy_owner.group(1) else "")
            + f": users may take it for {policy_owner.group(1)} policy. Have it validated (status: validated, "
            "validated_by, validated_on), or reword it as general guidance",
        )


def _refuse_unvalidated(entry: EntryRead, problems: ProblemList) -> None:
    owner = str(entry.fields["owner"])
    if entry.fields["status"] != "validated" and is_security_entry(entry.topic, owner):
        problems.error(
            entry.document.path, entry.line("status"), refused_entry_message(entry.id, entry.topic, owner)
        )


def _entry(entry: EntryRead, links: Mapping[str, Link]) -> FaqEntry:
    def with_urls(answer: str) -> str:
        def url(found: re.Match[str]) -> str:
            link = links.get(found.group(1).strip())
            return link.url if link is not None else found.group(0)

        return _LINK_REF.sub(url, answer)

    fields = entry.fields
    content: dict[Lang, LocalizedContent] = {
        lang: LocalizedContent(
            tuple(str(q).strip() for q in fields[lang]["questions"]),
            with_urls(str(fields[lang]["answer"]).strip()),
        )
        for lang in LANGS
        if lang in fields
    }
    return FaqEntry(
        id=entry.id,
        topic=entry.topic,
        owner=str(fields["owner"]).strip(),
        reviewed=date.fromisoformat(fields["reviewed"]),
        related=tuple(fields.get("related", ())),
        links=tuple(links[key] for key in fields.get("links", ()) if key in links),
        content=content,
        provenance=Provenance.from_fields(fields),
    )


def synonym_groups(
    checked: tuple[YamlDocument, SchemaCheck] | None, problems: ProblemList
) -> list[list[str]]:
    """The groups of synonyms.yml that passed the schema; a term may be in one group only."""
    if checked is None:
        return []
    document, check = checked
    groups: Any = document.value.get("groups") if isinstance(document.value, dict) else None
    if not isinstance(groups, list):
        return []
    out: list[list[str]] = []
    owner: dict[str, int] = {}
    for index, terms in _passed_groups(groups, check):
        group_line = document.line(("groups", index))
        group: list[str] = []
        for term in terms:
            folded = normalize_question(term)
            if not folded:
                problems.error(document.path, group_line, f"synonym {shown(term)} has no letters or digits")
            elif owner.get(folded, group_line) != group_line:
                problems.error(
                    document.path,
                    group_line,
                    f"{shown(term)} is already in the group on line {owner[folded]}; a term may be in one group "
                    "only (merge the groups or remove one)",
                )
            else:
                owner[folded] = group_line
                group.append(str(term).strip())
        if len(group) >= 2:
            out.append(group)
    return out


def _passed_groups(groups: list[Any], check: SchemaCheck) -> Iterator[tuple[int, list[str]]]:
    for index, terms in enumerate(groups):
        if check.passed(("groups", index)):
            yield index, terms


# Messages with a suggestion, built only for the problems that are kept (see ProblemList.error).


def _unknown_related(name: str, by_id: Mapping[str, EntryRead]) -> str:
    return f"related entry {shown(name)} does not exist; " + did_you_mean(
        name, by_id, "check the spelling or remove it"
    )


def _unknown_link(key: str, links: Mapping[str, Link]) -> str:
    return f"link {shown(key)} is not in links.yml; {_link_hint(key, links)}"


def _unknown_link_ref(key: str, lang: str, entry_id: str, links: Mapping[str, Link]) -> str:
    return (
        f"'{{link:{shown(key, 40)[1:-1]}}}' in the {lang} answer of '{entry_id}': there is no link "
        f"{shown(key, 40)} in links.yml; {_link_hint(key, links)}"
    )


def _unknown_setting_ref(name: str, lang: str, entry_id: str) -> str:
    known = ", ".join(f"{{setting:{key}}} ({variable})" for key, variable in ANSWER_SETTINGS.items())
    return (
        f"'{{setting:{shown(name, 40)[1:-1]}}}' in the {lang} answer of '{entry_id}': there is no such setting; "
        + did_you_mean(name, ANSWER_SETTINGS, f"an answer may quote {known}")
    )


def _link_hint(key: str, links: Mapping[str, Link]) -> str:
    return did_you_mean(key, links, "add it to links.yml or check the spelling")
