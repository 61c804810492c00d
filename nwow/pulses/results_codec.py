"""A closed pulse's results as the JSON document kept once (nwow.feedback.archive's write-once documents):
every later report and card decodes the same figures. Free text is never kept here (the comments are read
from the answers, so "delete my data" and the retention purge remove them)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from nwow.pulses.model import QuestionKind
from nwow.pulses.results import Distribution, PulseResults, QuestionResult, UnitRate

__all__ = ["ResultsUnreadable", "decode_results", "encode_results"]

FORMAT_VERSION: Final = 1


class ResultsUnreadable(ValueError):
    """A kept document is not results this version can read (never recomputed: that would change them)."""


def _distribution_json(d: Distribution) -> dict[str, Any]:
    return {"respondents": d.respondents, "counts": dict(d.counts), "mean": d.mean}


def _distribution_of(doc: Mapping[str, Any]) -> Distribution:
    mean = doc["mean"]
    return Distribution(
        int(doc["respondents"]),
        {str(c): int(n) for c, n in doc["counts"].items()},
        None if mean is None else float(mean),
    )


def encode_results(results: PulseResults) -> str:
    if results.frozen_at is None:
        raise ValueError("only the results of a closed pulse are kept")
    return json.dumps(
        {
            "version": FORMAT_VERSION,
            "pulse": results.pulse_id,
            "min_group": results.min_group,
            "frozen_at": results.frozen_at.isoformat(),
            "recipients": results.recipients,
            "delivered": results.delivered,
            "respondents": results.respondents,
            "unit_rates": [[r.unit, r.recipients, r.delivered, r.respondents] for r in results.unit_rates],
            "questions": [
                {
                    "id": q.question_id,
                    "kind": q.kind.value,
                    "overall": None if q.overall is None else _distribution_json(q.overall),
                    "units": [[unit, _distribution_json(d)] for unit, d in q.units],
                    "comments": q.comments_shown,
                }
                for q in results.questions
            ],
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def decode_results(text: str) -> PulseResults:
    """The results from their document; ResultsUnreadable when it is not one this version wrote."""
    try:
        doc = json.loads(text)
        if doc.get("version") != FORMAT_VERSION:
            raise ResultsUnreadable(
                f"pulse results in format {doc.get('version')!r}; this version reads {FORMAT_VERSION}"
            )
        return PulseResults(
            pulse_id=str(doc["pulse"]),
            min_group=int(doc["min_group"]),
            closed=True,
            frozen_at=datetime.fromisoformat(doc["frozen_at"]),
            recipients=int(doc["recipients"]),
            delivered=int(doc["delivered"]),
            respondents=int(doc["respondents"]),
            unit_rates=tuple(UnitRate(str(u), int(r), int(d), int(a)) for u, r, d, a in doc["unit_rates"]),
            questions=tuple(
                QuestionResult(
                    str(q["id"]),
                    QuestionKind(q["kind"]),
                    overall=None if q["overall"] is None else _distribution_of(q["overall"]),
                    units=tuple((str(unit), _distribution_of(d)) for unit, d in q["units"]),
                    comments_shown=bool(q["comments"]),
                )
                for q in doc["questions"]
            ),
        )
    except ResultsUnreadable:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ResultsUnreadable(f"not a document of frozen pulse results: {exc!r}") from exc
