"""A pulse's definition as JSON, the way the store keeps it (the audience's list of ids is not kept: it
was used once, to choose the recipients when the pulse started)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from nwow.pulses.model import Audience, Choice, Pulse, PulseQuestion, QuestionKind

__all__ = ["pulse_from_json", "pulse_to_json", "same_definition"]


def pulse_to_json(pulse: Pulse) -> str:
    audience: dict[str, Any] = {"kind": pulse.audience.kind}
    if pulse.audience.kind == "units":
        audience["units"] = sorted(pulse.audience.units)
    if pulse.audience.kind == "list":
        audience["listed"] = pulse.audience.size
    data = {
        "id": pulse.id,
        "title": dict(pulse.title),
        "intro": dict(pulse.intro),
        "questions": [
            {
                "id": q.id,
                "kind": q.kind.value,
                "text": dict(q.text),
                "choices": [{"id": c.id, "label": dict(c.label)} for c in q.choices],
            }
            for q in pulse.questions
        ],
        "audience": audience,
        "opens": pulse.opens.isoformat(),
        "closes": pulse.closes.isoformat(),
        "reminder_days": pulse.reminder_days,
        "min_group": pulse.min_group,
        "source_file": pulse.source_file,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def pulse_from_json(text: str) -> Pulse:
    data: dict[str, Any] = json.loads(text)
    audience = data["audience"]
    return Pulse(
        id=data["id"],
        title=data["title"],
        intro=data["intro"],
        questions=tuple(
            PulseQuestion(
                q["id"],
                QuestionKind(q["kind"]),
                q["text"],
                tuple(Choice(c["id"], c["label"]) for c in q["choices"]),
            )
            for q in data["questions"]
        ),
        audience=Audience(
            audience["kind"],
            units=frozenset(audience.get("units", ())),
            listed=int(audience.get("listed", 0)),
        ),
        opens=date.fromisoformat(data["opens"]),
        closes=date.fromisoformat(data["closes"]),
        reminder_days=data["reminder_days"],
        min_group=int(data["min_group"]),
        source_file=data.get("source_file", ""),
    )


def same_definition(a: Pulse, b: Pulse) -> bool:
    """Whether two pulses ask the same (a start of a pulse already started is a resume only then)."""
    return _without_source(pulse_to_json(a)) == _without_source(pulse_to_json(b))


def _without_source(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    data.pop("source_file", None)
    return data
