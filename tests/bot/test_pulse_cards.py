"""The adoption pulse cards: golden files, the official Adaptive Card 1.5 schema, DRI's text shown as plain
text, and what the buttons may send (the pulse's own values, or a refusal)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cards import pulse as pulse_cards
from bot.cards.values import MAX_ID, Refusal
from bot.strings import t
from nwow.paths import default_faq_dir
from nwow.pulses.launch import PulseStatus, UnitStatus
from nwow.pulses.model import (
    FREE_TEXT_LIMIT,
    Audience,
    Choice,
    Pulse,
    PulseQuestion,
    QuestionKind,
    StartedPulse,
)
from nwow.pulses.reader import read_pulse
from tests.cardcheck import assert_valid_card, card_objects
from tests.golden import assert_golden

GOLDEN = Path(__file__).parent / "golden"
UNITS = (("fed-dri", "Federale Politie — DRI"), ("lp-antwerpen", "Lokale Politie — provincie Antwerpen"))
UNIT_IDS = frozenset(unit for unit, _ in UNITS)
EXAMPLE = default_faq_dir() / "pulses" / "2027-01-teams-roadshow.yml"


def _pulse() -> Pulse:
    loaded = read_pulse(EXAMPLE, UNIT_IDS)
    assert loaded.value is not None, loaded.problems
    return loaded.value


def _check(name: str, card: dict[str, Any]) -> None:
    assert_valid_card(card)
    assert_golden(GOLDEN, name, card)


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_the_pulse_card_in_each_language(lang: str) -> None:
    _check(f"pulse_{lang}", pulse_cards.render_pulse(_pulse(), lang, UNITS, min_group=10))  # type: ignore[arg-type]


def test_the_reminder_with_a_remembered_unit() -> None:
    card = pulse_cards.render_pulse(_pulse(), "fr", UNITS, min_group=10, reminder=True, unit="lp-antwerpen")
    _check("pulse_reminder_fr", card)
    unit = next(o for _, o in card_objects(card) if o.get("id") == "unit")
    toggle = next(o for _, o in card_objects(card) if o.get("id") == "remember_unit")
    assert unit["value"] == "lp-antwerpen" and toggle["value"] == "true"


def test_the_card_sent_back_with_what_is_missing_keeps_what_was_answered() -> None:
    card = pulse_cards.render_pulse(
        _pulse(),
        "nl",
        UNITS,
        min_group=10,
        answers={"teams-daily-work": "4", "what-would-help": "Een tweede scherm"},
        missing=("most-used-tool", "telework-possible"),
    )
    _check("pulse_missing_nl", card)
    values = {o.get("id"): o.get("value") for _, o in card_objects(card) if "id" in o}
    assert values["q.teams-daily-work"] == "4" and values["q.what-would-help"] == "Een tweede scherm"


def test_dri_text_is_shown_as_plain_text_not_markdown() -> None:
    pulse = _pulse()
    tricky = Pulse(
        **{
            **pulse.__dict__,
            "title": {lang: "**Teams** [klik](http://evil.example)" for lang in ("nl", "fr", "de", "en")},
        }
    )
    card = pulse_cards.render_pulse(tricky, "nl", UNITS, min_group=10)
    heading = next(o for _, o in card_objects(card) if o.get("style") == "heading")
    assert "**" not in heading["text"].replace("\\*", "") and "](http" not in heading["text"]


def _submit(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "action": "pulse.answer",
        "pulse": "2027-01-teams-roadshow",
        "lang": "nl",
        "q.teams-daily-work": "4",
        "q.most-used-tool": "yammer",
        "q.telework-possible": "yes",
        "q.what-would-help": "  Een tweede scherm  ",
        "unit": "fed-dri",
        "remember_unit": "true",
    }
    return {**base, **changes}


def test_an_answer_as_the_card_sends_it() -> None:
    parsed = pulse_cards.parse_pulse_submit(_submit(extra=["ignored"]), _pulse(), units=UNIT_IDS)
    assert parsed == pulse_cards.PulseSubmit(
        "2027-01-teams-roadshow",
        {
            "teams-daily-work": "4",
            "most-used-tool": "yammer",
            "telework-possible": "yes",
            "what-would-help": "Een tweede scherm",
        },
        "fed-dri",
        True,
    )


@pytest.mark.parametrize("forged", ["6", "0", "4.0", "٤", 4, None, ["4"], "x" * 5000])
def test_a_value_the_pulse_does_not_offer_is_unanswered(forged: object) -> None:
    parsed = pulse_cards.parse_pulse_submit(
        _submit(**{"q.teams-daily-work": forged}), _pulse(), units=UNIT_IDS
    )
    assert isinstance(parsed, pulse_cards.PulseSubmit) and parsed.given["teams-daily-work"] is None


def test_an_unknown_unit_is_no_unit() -> None:
    parsed = pulse_cards.parse_pulse_submit(_submit(unit="lp-elsewhere"), _pulse(), units=UNIT_IDS)
    assert isinstance(parsed, pulse_cards.PulseSubmit) and parsed.unit is None


def test_free_text_is_clipped_and_refused_far_beyond_its_limit() -> None:
    long = "a" * (FREE_TEXT_LIMIT + 20)
    parsed = pulse_cards.parse_pulse_submit(_submit(**{"q.what-would-help": long}), _pulse(), units=UNIT_IDS)
    assert isinstance(parsed, pulse_cards.PulseSubmit)
    assert parsed.given["what-would-help"] == "a" * FREE_TEXT_LIMIT
    huge = "a" * (pulse_cards.REFUSE_TEXT_OVER + 1)
    refused = pulse_cards.parse_pulse_submit(_submit(**{"q.what-would-help": huge}), _pulse(), units=UNIT_IDS)
    assert refused == Refusal("q.what-would-help")


@pytest.mark.parametrize("junk", [None, 1, [], {}, "", "x" * (MAX_ID + 1)])
def test_a_forged_pulse_id_or_toggle_is_refused(junk: object) -> None:
    assert pulse_cards.parse_pulse_submit(_submit(pulse=junk), _pulse(), units=UNIT_IDS) == Refusal("pulse")
    assert pulse_cards.parse_pulse_opt_out({"action": "pulse.optout", "pulse": junk}) == Refusal("pulse")
    assert pulse_cards.parse_pulse_id({"pulse": junk}) is None
    if junk is not None:
        refused = pulse_cards.parse_pulse_submit(_submit(remember_unit=junk), _pulse(), units=UNIT_IDS)
        assert refused == Refusal("remember_unit")
    assert pulse_cards.parse_pulse_submit("not a mapping", _pulse(), units=UNIT_IDS) == Refusal("value")


def _status(**changes: Any) -> PulseStatus:
    started = StartedPulse(
        _pulse(),
        datetime(2027, 1, 11, 8, tzinfo=UTC),
        datetime(2027, 1, 29, 23, tzinfo=UTC),
        started_by="DRI",
    )
    base: dict[str, Any] = {
        "started": started,
        "recipients": 41_250,
        "queued": 1_200,
        "delivered": 39_800,
        "failed": 12,
        "gone": 238,
        "answered": 9_517,
        "by_unit": (UnitStatus("fed-dri", 420, 415), UnitStatus("lp-antwerpen", 3_100, 3_050)),
        "hidden_units": 2,
    }
    base.update(changes)
    return PulseStatus(**base)


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_dris_status_card(lang: str) -> None:
    names = dict(UNITS)
    _check(f"pulse_status_{lang}", pulse_cards.render_pulse_status([_status()], lang, names))  # type: ignore[arg-type]


def test_dris_status_card_without_pulses_and_closed() -> None:
    _check("pulse_status_none_en", pulse_cards.render_pulse_status([], "en", {}))
    closed = _status(
        started=StartedPulse(
            _pulse(),
            datetime(2027, 1, 11, 8, tzinfo=UTC),
            datetime(2027, 1, 29, 23, tzinfo=UTC),
            closed_at=datetime(2027, 1, 20, 9, tzinfo=UTC),
        ),
        by_unit=(),
        hidden_units=0,
    )
    card = pulse_cards.render_pulse_status([closed], "de", {})
    _check("pulse_status_closed_de", card)
    assert "20/01/2027" in str(card)
    # Past its closing day a pulse is closed, whether or not DRI closed it.
    late = pulse_cards.render_pulse_status([_status()], "en", {}, now=datetime(2027, 2, 1, tzinfo=UTC))
    assert t("pulse.state_closed", "en", date="29/01/2027") in str(late)
    early = pulse_cards.render_pulse_status([_status()], "en", {}, now=datetime(2027, 1, 20, tzinfo=UTC))
    assert t("pulse.state_open", "en", date="29/01/2027") in str(early)


def test_a_choice_question_renders_its_options_in_the_language() -> None:
    question = PulseQuestion(
        "q", QuestionKind.CHOICE, {"nl": "V", "fr": "Q", "de": "F", "en": "Q"},
        (Choice("a", {"nl": "Een", "fr": "Un", "de": "Eins", "en": "One"}), Choice("b", {"nl": "Twee", "fr": "Deux", "de": "Zwei", "en": "Two"})),
    )  # fmt: skip
    pulse = Pulse(
        "p",
        {"nl": "T"},
        {"nl": "I"},
        (question,),
        Audience("all"),
        date(2027, 1, 1),
        date(2027, 1, 31),
        None,
        10,
    )
    card = pulse_cards.render_pulse(pulse, "de", UNITS, min_group=10)
    choice = next(o for _, o in card_objects(card) if o.get("id") == "q.q")
    assert [c["title"] for c in choice["choices"]] == ["Eins", "Zwei"]
