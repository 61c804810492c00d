"""Read a pulse file (faq/pulses/*.yml, or any file given to `nwow pulse start`) and say what is wrong with
it, file:line, in words DRI can act on.

The structure is checked against faq/schemas/pulse.schema.json (what VS Code shows while typing); what a
schema cannot say is checked here: ids unique among the questions and among a question's choices, `choices`
given for a choice question and only there, the closing day after the opening day, the units of the audience
known in faq/units.yml, the list file of the audience present and holding Entra object ids.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

from nwow.problems import ProblemList, did_you_mean, shown
from nwow.pulses.model import Audience, Choice, Pulse, PulseQuestion, QuestionKind
from nwow.reloading import Loaded
from nwow.yaml_schema import read_checked

__all__ = ["MAX_AUDIENCE_LIST_BYTES", "PULSES_DIR", "read_pulse", "read_pulses"]

PULSES_DIR: Final = "pulses"
MAX_AUDIENCE_LIST_BYTES: Final = 8 * 1024 * 1024  # 60,000 ids take about 2.3 MB
_OBJECT_ID: Final = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def read_pulses(folder: Path, units: Collection[str] | None = None) -> list[Loaded[Pulse]]:
    """Every pulse file of `folder`/pulses (faq/pulses/*.yml), in name order."""
    pulses = folder / PULSES_DIR
    if not pulses.is_dir():
        return []
    return [read_pulse(path, units) for path in sorted(pulses.glob("*.yml"))]


def read_pulse(path: Path, units: Collection[str] | None = None) -> Loaded[Pulse]:
    """The pulse of `path` (None when any problem is an error) and every problem found. `units`, when
    given, are the unit ids of faq/units.yml (an audience by unit is checked against them)."""
    document, problems, files = read_checked(
        path,
        "pulse",
        empty="the file is empty: a pulse needs id, title, intro, questions, audience, opens, closes and min_group",
    )
    if document is None:
        return Loaded(None, problems.sorted(), files, problems.dropped)
    value: dict[str, Any] = document.value

    def where(*at: str | int) -> int:
        return document.line(at)

    questions: list[PulseQuestion] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(value["questions"]):
        kind = QuestionKind(raw["kind"])
        if raw["id"] in seen:
            problems.error(
                path,
                where("questions", index, "id"),
                f"question id {shown(raw['id'])} is used twice (first at line {seen[raw['id']]}): give each question its own id",
            )
        seen.setdefault(raw["id"], where("questions", index, "id"))
        choices: list[Choice] = []
        if kind is QuestionKind.CHOICE:
            if "choices" not in raw:
                problems.error(
                    path,
                    where("questions", index),
                    f"question {shown(raw['id'])} is a choice: list its options under `choices:` (2 to 10)",
                )
            taken: set[str] = set()
            for number, option in enumerate(raw.get("choices") or []):
                if option["id"] in taken:
                    problems.error(
                        path,
                        where("questions", index, "choices", number, "id"),
                        f"option id {shown(option['id'])} is used twice in question {shown(raw['id'])}",
                    )
                taken.add(option["id"])
                choices.append(Choice(option["id"], dict(option["label"])))
        elif "choices" in raw:
            problems.error(
                path,
                where("questions", index, "choices"),
                f"only a question of kind: choice has `choices` (question {shown(raw['id'])} is {kind.value})",
            )
        questions.append(PulseQuestion(raw["id"], kind, dict(raw["text"]), tuple(choices)))

    opens = date.fromisoformat(value["opens"])
    closes = date.fromisoformat(value["closes"])
    if closes < opens:
        problems.error(
            path, where("closes"), f"the pulse closes ({closes}) before it opens ({opens}): swap the dates?"
        )
    reminder_days = (value.get("reminder") or {}).get("after_days")
    if reminder_days is not None and opens + timedelta(days=reminder_days) > closes:
        problems.error(
            path,
            where("reminder", "after_days"),
            f"the reminder would come {reminder_days} days after the start, after the pulse closes on {closes}",
        )
    audience = _audience(path, value["audience"], units, problems, lambda *at: where("audience", *at))
    if problems.has_errors or audience is None:
        return Loaded(None, problems.sorted(), files, problems.dropped)
    pulse = Pulse(
        id=value["id"],
        title=dict(value["title"]),
        intro=dict(value["intro"]),
        questions=tuple(questions),
        audience=audience,
        opens=opens,
        closes=closes,
        reminder_days=reminder_days,
        min_group=int(value["min_group"]),
        source_file=str(path),
    )
    return Loaded(pulse, problems.sorted(), files, problems.dropped)


def _audience(
    path: Path, raw: Any, units: Collection[str] | None, problems: ProblemList, where: Any
) -> Audience | None:
    if raw == "all":
        return Audience("all")
    if "units" in raw:
        if units is not None:
            for number, unit in enumerate(raw["units"]):
                if unit not in units:
                    problems.error(
                        path,
                        where("units", number),
                        f"unit {shown(unit)} is not in faq/units.yml; {did_you_mean(unit, sorted(units), 'see faq/units.yml')}",
                    )
        return Audience("units", units=frozenset(raw["units"]))
    line = where("list")
    folder = path.parent.resolve()
    listed = (folder / raw["list"]).resolve()
    if raw["list"].startswith("/") or ".." in Path(raw["list"]).parts or not listed.is_relative_to(folder):
        problems.error(
            path, line, f"the audience list {shown(raw['list'])} must be a file in this folder or below it"
        )
        return None
    if not listed.is_file():
        problems.error(path, line, f"the audience list {shown(raw['list'])} does not exist beside this file")
        return None
    if listed.stat().st_size > MAX_AUDIENCE_LIST_BYTES:
        problems.error(path, line, f"the audience list {shown(raw['list'])} is larger than 8 MB")
        return None
    ids: set[str] = set()
    bad = 0
    for number, text in enumerate(listed.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        entry = text.split("#", 1)[0].strip()
        if not entry:
            continue
        if _OBJECT_ID.match(entry) is None:
            bad += 1
            if bad <= 5:
                problems.error(
                    listed,
                    number,
                    f"{shown(entry)} is not an Entra object id (8-4-4-4-12 hexadecimal digits, e.g. 3f2a...-...)",
                )
            continue
        ids.add(entry.lower())
    if bad > 5:
        problems.error(listed, 1, f"{bad} lines are not Entra object ids (the first 5 are listed)")
    if not ids and not bad:
        problems.error(path, line, f"the audience list {shown(raw['list'])} names nobody")
    return Audience("list", object_ids=frozenset(ids))
