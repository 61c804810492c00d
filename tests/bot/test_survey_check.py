from __future__ import annotations

from datetime import UTC, datetime

from nwow.feedback.survey import MAX_TEXT, SurveyAnswers, check_survey

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
UNITS = {"fed-dri", "lp-antwerpen"}
CARD = "0123456789abcdef0123456789abcdef"


def test_missing_rating_tool_and_unit_are_named() -> None:
    result = check_survey(
        SurveyAnswers(),
        units=UNITS,
        submission_id="s",
        card_id=CARD,
        user_key="k",
        contact_id="aad",
        lang="nl",
        now=NOW,
    )
    assert result.response is None
    assert result.problems == ("tool", "rating", "unit")


def test_out_of_range_rating_unknown_tool_and_unknown_unit_are_problems() -> None:
    result = check_survey(
        SurveyAnswers(tool="mail", rating=9, unit="elsewhere"),
        units=UNITS,
        submission_id="s",
        card_id=CARD,
        user_key="k",
        contact_id="aad",
        lang="nl",
        now=NOW,
    )
    assert result.problems == ("tool", "rating", "unit")


def test_contact_id_kept_only_with_consent_text_clipped_and_card_kept() -> None:
    base = SurveyAnswers(tool="teams", rating=4, unit="fed-dri", works="x" * (MAX_TEXT + 50))
    kwargs = {
        "units": UNITS,
        "submission_id": "s",
        "card_id": CARD,
        "user_key": "k",
        "lang": "nl",
        "now": NOW,
    }
    without = check_survey(base, contact_id="aad", **kwargs).response  # type: ignore[arg-type]
    assert without is not None and without.contact_id is None and not without.contact_ok
    assert len(without.works) == MAX_TEXT and without.card_id == CARD
    consent = SurveyAnswers(tool="teams", rating=4, unit="fed-dri", contact_ok=True)
    with_consent = check_survey(consent, contact_id="aad", **kwargs).response  # type: ignore[arg-type]
    assert with_consent is not None and with_consent.contact_ok and with_consent.contact_id == "aad"
