"""Checking a submitted survey and turning it into a stored response."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from nwow.feedback.models import MAX_RATING, MIN_RATING, SurveyResponse

# The tools a survey answer can be about, in the order the form lists them (the one list: the survey card,
# the report labels and this check all use it).
TOOLS: Final = ("teams", "yammer", "office365", "telework", "satellite", "wikipol", "besecure", "other")
MAX_TEXT: Final = 500


@dataclass(frozen=True)
class SurveyAnswers:
    """What the user answered, read from the form (None: not answered, or not one of the choices)."""

    tool: str | None = None
    rating: int | None = None
    works: str = ""
    obstacles: str = ""
    unit: str | None = None
    contact_ok: bool = False


@dataclass(frozen=True)
class SurveyCheck:
    """Either a response ready to store, or the names of the answers that are missing or invalid."""

    response: SurveyResponse | None
    problems: tuple[str, ...]


def check_survey(
    answers: SurveyAnswers,
    *,
    units: Collection[str],
    submission_id: str,
    card_id: str,
    user_key: str,
    contact_id: str,
    lang: str,
    now: datetime,
) -> SurveyCheck:
    problems: list[str] = []
    if answers.tool not in TOOLS:
        problems.append("tool")
    if answers.rating is None or not MIN_RATING <= answers.rating <= MAX_RATING:
        problems.append("rating")
    if answers.unit is None or answers.unit not in units:
        problems.append("unit")
    if problems or answers.tool is None or answers.rating is None or answers.unit is None:
        return SurveyCheck(None, tuple(problems))
    return SurveyCheck(
        SurveyResponse(
            submission_id=submission_id,
            user_key=user_key,
            tool=answers.tool,
            rating=answers.rating,
            works=_clip(answers.works),
            obstacles=_clip(answers.obstacles),
            unit=answers.unit,
            contact_ok=answers.contact_ok,
            contact_id=contact_id if answers.contact_ok and contact_id else None,
            lang=lang,
            submitted_at=now,
            card_id=card_id,
        ),
        (),
    )


def _clip(text: str) -> str:
    """Free text as typed (trimmed, length-limited); escaping happens wherever it is shown."""
    return text.strip()[:MAX_TEXT]
