"""The marks that tell a reader content is not validated yet: a provisional FAQ answer, an example office.

Driven by the content's provenance (`status: draft`, `example: true`), so that the same answer loses its
mark the day its owner validates it. One short line in the warning colour: noticed, without drowning the
answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards.base import Element, text_block
from bot.strings import t
from nwow.content_gate import SECURITY_OWNER
from nwow.faq.model import FaqEntry
from nwow.offices.model import Office


def draft_mark(entry: FaqEntry, lang: str) -> str | None:
    """ "Provisional answer — not yet validated by DRI" (or ISPO, when ISPO owns it); None once validated."""
    if entry.provenance.validated:
        return None
    by = "ispo" if SECURITY_OWNER.search(entry.owner) else "dri"
    return t(f"provenance.draft_answer_{by}", lang)


def draft_note(entry: FaqEntry, lang: str) -> list[Element]:
    """The mark as a card element under the answer's title (nothing once validated)."""
    mark = draft_mark(entry, lang)
    return [] if mark is None else [_warning(mark)]


def example_offices_note(offices: Sequence[Office], lang: str) -> list[Element]:
    """One line at the top of an office card that shows example offices: all of them ("these offices are
    invented"), or some ("offices marked 'example' ..."; each is then marked, see `example_office_note`)."""
    examples = sum(office.example for office in offices)
    if not examples:
        return []
    key = "provenance.example_offices" if examples == len(offices) else "provenance.example_some_offices"
    return [_warning(t(key, lang))]


def example_office_note(office: Office, shown: Sequence[Office], lang: str) -> list[Element]:
    """The mark of one example office, needed only on a card that mixes example and real offices."""
    if not office.example or all(other.example for other in shown):
        return []
    return [_warning(t("provenance.example_office", lang))]


def _warning(text: str) -> Element:
    return text_block(text, color="Warning", size="Small", weight="Bolder", spacing="Small")
