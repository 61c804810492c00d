"""Checking a submitted survey form and turning it into a stored response."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from nwow.feedback.models import SurveyResponse

# The tools a survey answer can be about, in the order the form lists them (the one list: the survey card,
# the report labels and this check all use it).
TOOLS: Final = ("teams", "yammer", "office365", "telework", "satellite", "wikipol", "besecure", "other")
MAX_TEXT: Final = 500


@dataclass(frozen=True)
class SurveyCheck:
    """Either a response ready to store, or the names of the answers that are missing or invalid."""

    response: SurveyResponse | None
    problems: tuple[str, ...]


def check_survey(
    form: Mapping[str, object],
    *,
    units: Collection[str],
    submission_id: str,
    user_key: str,
    contact_id: str,
    lang: str,
    now: datetime,
) -> SurveyCheck:
    problems: list[str] = []
    tool = str(form.get("tool") or "").strip()
    if tool not in TOOLS:
        problems.append("tool")
    rating_text = str(form.get("rating") or "").strip()
    rating = int(rating_text) if rating_text.isdigit() else 0
    if not 1 <= rating <= 5:
        problems.append("rating")
    unit = str(form.get("unit") or "").strip()
    if unit not in units:
        problems.append("unit")
    if problems:
        return SurveyCheck(None, tuple(problems))
    contact_ok = str(form.get("contact", "false")).lower() == "true"
    return SurveyCheck(
        SurveyResponse(
            submission_id=submission_id,
            user_key=user_key,
            tool=tool,
            rating=rating,
            works=_clip(form.get("works")),
            obstacles=_clip(form.get("obstacles")),
            unit=unit,
            contact_ok=contact_ok,
            contact_id=contact_id if contact_ok and contact_id else None,
            lang=lang,
            submitted_at=now,
        ),
        (),
    )


def _clip(value: object) -> str:
    """Free text as typed (trimmed, length-limited); escaping happens wherever it is shown."""
    return str(value or "").strip()[:MAX_TEXT]
