from __future__ import annotations

from datetime import UTC, datetime

from nwow.feedback.survey import MAX_TEXT, check_survey

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
UNITS = {"fed-dri", "lp-antwerpen"}


def test_missing_rating_tool_and_unit_are_named() -> None:
    result = check_survey(
        {"action": "feedback.submit"},
        units=UNITS,
        submission_id="s",
        user_key="k",
        contact_id="aad",
        lang="nl",
        now=NOW,
    )
    assert result.response is None
    assert result.problems == ("tool", "rating", "unit")


def test_out_of_range_rating_and_unknown_unit_are_problems() -> None:
    result = check_survey(
        {"tool": "teams", "rating": "9", "unit": "elsewhere"},
        units=UNITS,
        submission_id="s",
        user_key="k",
        contact_id="aad",
        lang="nl",
        now=NOW,
    )
    assert result.problems == ("rating", "unit")


def test_contact_id_kept_only_with_consent_and_text_clipped() -> None:
    base = {"tool": "teams", "rating": "4", "unit": "fed-dri", "works": "x" * (MAX_TEXT + 50)}
    without = check_survey(
        base, units=UNITS, submission_id="s", user_key="k", contact_id="aad", lang="nl", now=NOW
    ).response
    assert without is not None and without.contact_id is None and not without.contact_ok
    assert len(without.works) == MAX_TEXT
    consent = check_survey(
        {**base, "contact": "true"},
        units=UNITS,
        submission_id="s",
        user_key="k",
        contact_id="aad",
        lang="nl",
        now=NOW,
    ).response
    assert consent is not None and consent.contact_ok and consent.contact_id == "aad"
