"""The shipped knowledge base keeps to its sources: a figure comes with the document and year it is taken
from, the invented security procedures of earlier versions stay out, and the examples stay examples."""

from __future__ import annotations

import re

import pytest

from nwow.content_gate import is_security_entry
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import load_knowledge_base
from nwow.paths import default_faq_dir

# A figure: a year, a number with thousands separators, or a percentage.
FIGURE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,3}(?:[ ,.]\d{3})+\b|\b\d+(?:[.,]\d+)?\s?%")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    loaded = load_knowledge_base(default_faq_dir()).kb
    assert loaded is not None
    return loaded


def _answers(kb: KnowledgeBase, entry_id: str) -> str:
    return re.sub(r"https?://\S+", "", " ".join(c.answer for c in kb.entries[entry_id].content.values()))


def test_an_answer_with_figures_names_its_source_and_a_sourced_answer_says_its_year(
    kb: KnowledgeBase,
) -> None:
    unsourced = [
        e.id for e in kb.entries.values() if FIGURE.search(_answers(kb, e.id)) and not e.provenance.sources
    ]
    yearless = [
        f"{e.id}: {source.year}"
        for e in kb.entries.values()
        for source in e.provenance.sources
        if source.year is not None and str(source.year) not in _answers(kb, e.id)
    ]

    assert unsourced == []
    assert yearless == []


def test_no_answer_offers_text_messages_or_a_phone_number_as_a_sign_in_method(kb: KnowledgeBase) -> None:
    """Earlier versions offered SMS and "add a phone number as second method": invented, and a weaker
    method than the police may allow. Which methods exist is ISPO's and the entity's to say."""
    offered = re.compile(
        r"\bsms\b|text message|telefoonnummer|phone number|numéro de téléphone|Telefonnummer", re.IGNORECASE
    )

    assert [e.id for e in kb.entries.values() if offered.search(_answers(kb, e.id))] == []


def test_no_answer_sends_users_to_a_browser_on_any_device(kb: KnowledgeBase) -> None:
    """One answer on private devices: each entry that mentions them leaves the decision to the entity."""
    browser = re.compile(r"\bin (de|een|a|the) browser|dans (le|un) navigateur|im Browser", re.IGNORECASE)
    private = re.compile(r"privé|privat|private", re.IGNORECASE)
    found = 0
    for entry in kb.entries.values():
        for lang, content in entry.content.items():
            if browser.search(content.answer):
                found += 1
                assert private.search(content.answer), (
                    f"{entry.id} ({lang}) mentions a browser without the rule"
                )
    assert found >= 4  # o365-home-access, in each language


def test_every_shipped_entry_is_a_draft_reviewed_on_the_content_review(kb: KnowledgeBase) -> None:
    assert {e.provenance.status for e in kb.entries.values()} == {"draft"}
    assert {e.reviewed.isoformat() for e in kb.entries.values()} == {"2026-12-06"}


def test_the_security_entries_are_those_about_security_or_owned_by_ispo(kb: KnowledgeBase) -> None:
    security = {e.id for e in kb.entries.values() if is_security_entry(e.topic, e.owner)}

    assert {"mfa-setup", "mfa-private-phone", "security-messaging-apps", "besecure-request"} <= security
    assert {"teams-recording", "bot-data-stored", "ang-what"} <= security  # owned by ISPO
    assert "teams-chat" not in security
