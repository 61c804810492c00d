"""A small pulse file for tests that start a pulse through `nwow pulse start`: a rating, a yes/no question
and free text, open from today (Brussels) for `days` days, to everyone, minimum group 5."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path

from nwow.schedule import BRUSSELS

__all__ = ["write_pulse_file"]

_FOUR = "{nl: '%s', fr: '%s', de: '%s', en: '%s'}"


def _texts(by_lang: Mapping[str, str]) -> str:
    return _FOUR % (by_lang["nl"], by_lang["fr"], by_lang["de"], by_lang["en"])


def write_pulse_file(
    folder: Path, pulse_id: str, title: Mapping[str, str], *, rating_id: str = "rating", days: int = 7
) -> Path:
    """`folder`/pulse.yml. Line 10 is the yes/no question's `kind` (a test of file:line messages edits it)."""
    today = datetime.now(BRUSSELS).date()
    path = folder / "pulse.yml"
    lines = [
        "# yaml-language-server: $schema=../schemas/pulse.schema.json",
        f"id: {pulse_id}",
        "title: " + _texts(title),
        "intro: "
        + _texts(
            {"nl": "Twee vragen.", "fr": "Deux questions.", "de": "Zwei Fragen.", "en": "Two questions."}
        ),
        "questions:",
        f"  - id: {rating_id}",
        "    kind: rating",
        "    text: "
        + _texts(
            {
                "nl": "Hoe goed helpt Teams?",
                "fr": "Teams aide-t-il ?",
                "de": "Hilft Teams?",
                "en": "Does Teams help?",
            }
        ),
        "  - id: telework",
        "    kind: yes-no",
        "    text: "
        + _texts({"nl": "Telewerk?", "fr": "Télétravail ?", "de": "Telearbeit?", "en": "Can you telework?"}),
        "  - id: comment",
        "    kind: text",
        "    text: "
        + _texts({"nl": "Opmerking?", "fr": "Remarque ?", "de": "Bemerkung?", "en": "Anything else?"}),
        "audience: all",
        f"opens: {today.isoformat()}",
        f"closes: {(today + timedelta(days=days)).isoformat()}",
        "min_group: 5",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
