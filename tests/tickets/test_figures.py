"""DRI's outcome figures: each question counted once by where it ended (Copilot Studio's outcomes), broken
down by topic and unit through the disclosure rules (small groups only in "others together", never named),
frozen once published, and written for the reader's language (3,6 in nl/fr/de) with free text scrubbed
unless its asker agreed to be contacted."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nwow.feedback import figures as feedback_figures
from nwow.feedback.periods import Month, Week
from nwow.feedback.render import render
from nwow.feedback.report import Report
from nwow.storage import open_database
from nwow.storage.write_once import KvWriteOnce
from nwow.tickets import Ambassador, TicketAnswer
from nwow.tickets.figures import (
    REST,
    UNKNOWN_UNIT,
    OpenQuestion,
    OutcomeReport,
    category_of,
    compute_month,
    compute_week,
    decode_month,
    encode_month,
)
from nwow.tickets.hours import BusinessHours
from nwow.tickets.outcome_render import OutcomeSection
from nwow.tickets.outcomes import month_outcomes
from nwow.tickets.questions import AskedQuestion, Outcome, QuestionRecord
from tests.storage.ticket_factories import new_ticket

OCTOBER = Month(2026, 10)
T = datetime(2026, 10, 14, 9, 0, tzinfo=UTC)  # a Wednesday
AFTER = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
HOURS = BusinessHours()


def _record(
    n: int, user: str, outcome: Outcome, topic: str = "teams", helpful: bool | None = None
) -> QuestionRecord:
    return QuestionRecord(
        f"q{n}",
        user,
        T + timedelta(minutes=n),
        "nl",
        outcome,
        topic,
        "",
        helpful,
        None,
        T + timedelta(minutes=n),
    )


def test_a_question_left_at_a_suggestion_or_an_i_dont_know_counts_as_abandoned() -> None:
    assert category_of(_record(1, "u", Outcome.SUGGESTED), AFTER) == "abandoned"
    assert category_of(_record(1, "u", Outcome.UNANSWERED), AFTER) == "abandoned"
    assert category_of(_record(1, "u", Outcome.RESOLVED), AFTER) == "resolved"
    record = _record(1, "u", Outcome.SUGGESTED)
    assert record.settled(T + timedelta(minutes=10)) is None and record.abandoned(T + timedelta(minutes=31))


def _month(records: list[QuestionRecord], units: dict[str, str] | None = None, k: int = 5) -> object:
    return compute_month(OCTOBER, records, [], units or {}, min_group_size=k, hours=HOURS, frozen_at=AFTER)


def test_outcomes_are_counted_per_question_and_small_groups_are_only_in_others_together() -> None:
    records = []
    n = 0
    for user in range(8):  # teams: 8 people, 2 questions each
        for outcome in (Outcome.ANSWERED, Outcome.ESCALATED if user < 3 else Outcome.RESOLVED):
            n += 1
            records.append(
                _record(
                    n, f"t{user}", outcome, "teams", helpful=True if outcome is Outcome.ANSWERED else None
                )
            )
    for user in range(3):  # mfa: 3 people only
        n += 1
        records.append(_record(n, f"m{user}", Outcome.UNANSWERED, "mfa"))
    units = {f"t{u}": "fed-dri" for u in range(8)}
    figures = _month(records, units)
    overall = figures.overall  # type: ignore[attr-defined]
    assert (overall.questions, overall.askers) == (19, 11)
    assert overall.counts == {"answered": 8, "resolved": 5, "escalated": 3, "abandoned": 3}
    assert overall.up == 8 and overall.escalated == 3
    # mfa (3 people) is not named: it is in "others together", whose 3 people would be revealed by
    # "total minus teams", so teams is hidden too (complementary suppression).
    assert [key for key, _ in figures.topics] == [REST]  # type: ignore[attr-defined]
    assert [key for key, _ in figures.units] == [REST]  # type: ignore[attr-defined]


def test_groups_with_enough_people_are_shown_and_the_unit_is_the_askers_last_given() -> None:
    records = [
        _record(n, f"u{n % 12}", Outcome.ANSWERED, "teams" if n % 12 < 6 else "mfa") for n in range(24)
    ]
    units = {f"u{u}": ("fed-dri" if u % 2 else "lp-antwerpen") for u in range(10)}  # u10, u11: never said
    figures = _month(records, units)
    assert [key for key, _ in figures.topics] == ["mfa", "teams"]  # type: ignore[attr-defined]
    shown_units = dict(figures.units)  # type: ignore[attr-defined]
    assert set(shown_units) <= {"fed-dri", "lp-antwerpen", UNKNOWN_UNIT, REST}
    assert UNKNOWN_UNIT not in shown_units  # 2 people: in "others together"
    assert sum(c.questions for c in shown_units.values()) == 24


def test_a_knowledge_base_with_many_topics_names_the_most_asked_and_counts_the_rest_together() -> None:
    """20 topics and 30 units, every cell big enough: the 7 most asked topics are named, the other 13 are
    "others together" (the anonymity check of 20 x 30 regions would refuse to run)."""
    records: list[QuestionRecord] = []
    for topic in range(20):
        for person in range(6 + (20 - topic)):  # topic 0 the most asked
            n = len(records)
            records.append(_record(n, f"p{topic}-{person}", Outcome.ANSWERED, f"topic-{topic:02}"))
    units = {r.user_key: f"unit-{n % 30}" for n, r in enumerate(records)}
    figures = _month(records, units)
    named = [key for key, _ in figures.topics]  # type: ignore[attr-defined]
    assert named == [*(f"topic-{t:02}" for t in range(7)), REST]
    assert sum(c.questions for _, c in figures.topics) == len(records)  # type: ignore[attr-defined]


def test_fewer_askers_than_the_minimum_show_nothing_and_the_week_alike() -> None:
    records = [_record(n, f"u{n}", Outcome.ANSWERED) for n in range(4)]
    assert _month(records).overall is None  # type: ignore[attr-defined]
    week = Week.of(T)
    since, _ = week.bounds()
    in_week = [_record(n, f"u{n}", Outcome.ANSWERED) for n in range(4)]
    assert compute_week(week, in_week, min_group_size=5, frozen_at=AFTER).overall is None
    assert since <= in_week[0].asked_at


def test_the_document_keeps_every_figure() -> None:
    records = [_record(n, f"u{n}", Outcome.ANSWERED if n % 2 else Outcome.OUT_OF_SCOPE) for n in range(12)]
    figures = _month(records)
    assert decode_month(encode_month(figures)) == figures  # type: ignore[arg-type]


async def test_a_published_month_never_changes_even_when_users_delete_their_data(tmp_path: Path) -> None:
    db = await open_database(f"sqlite:///{tmp_path / 'nwow.sqlite3'}")
    try:
        for n in range(6):
            await db.questions.record(
                AskedQuestion(f"q{n}", f"u{n}", T + timedelta(hours=n), "nl", Outcome.ANSWERED, "teams")
            )
        ticket, _ = await db.tickets.create(new_ticket("s1", "u0", created_at=T))
        await db.tickets.answer(
            ticket.number, Ambassador("a", "Ann"), TicketAnswer(text="x"), "a1", T + timedelta(hours=3)
        )
        archive = KvWriteOnce(db.kv)
        first = await month_outcomes(
            db.questions, db.tickets, archive, OCTOBER, min_group_size=5, hours=HOURS, now=AFTER
        )
        assert first.overall is not None and first.overall.questions == 6
        await db.questions.delete_for_user("u1")
        again = await month_outcomes(
            db.questions,
            db.tickets,
            archive,
            OCTOBER,
            min_group_size=5,
            hours=HOURS,
            now=AFTER + timedelta(days=3),
        )
        assert again == first
    finally:
        await db.close()


def _report() -> OutcomeReport:
    records = [_record(n, f"u{n % 7}", Outcome.ANSWERED if n % 3 else Outcome.ESCALATED) for n in range(21)]
    month = _month(records)
    waiting = (
        OpenQuestion(
            12,
            "Bel me op 0470 12 34 56, mijn naam is Jan Peeters",
            consented=False,
            waiting_working_hours=5.5,
        ),
        OpenQuestion(13, "Mail eva@politie.be", consented=True, waiting_working_hours=1.25),
    )
    return OutcomeReport((month,), (), waiting, {"topic:teams": "Microsoft Teams"})  # type: ignore[arg-type]


def _empty_feedback() -> Report:
    october = feedback_figures.compute_month(OCTOBER, [], [], min_group_size=5, frozen_at=AFTER)
    return Report(
        months=(october,),
        generated_at=AFTER,
        comments=(),
        question_weeks=(),
        unanswered=(),
        unanswered_total=0,
    )


def test_the_report_section_writes_numbers_as_each_language_does_and_scrubs_what_was_not_agreed() -> None:
    section = OutcomeSection(_report())
    nl = "\n".join(section.markdown("nl"))
    en = "\n".join(section.markdown("en"))
    assert "14 (67\u00a0%)" in nl and "14 (67%)" in en  # answered, 14 of 21
    assert "5,5" in nl and "5.5" in en  # hours waiting
    assert "0470" not in nl and "Jan Peeters" not in nl and "\\[telefoon\\]" in nl
    assert "eva@politie.be" in nl  # this asker agreed to be contacted
    html = "\n".join(section.html("fr"))
    assert "Ce que sont devenues les questions" in html and "0470" not in html and "<script" not in html
    rows = list(section.csv_rows("de"))
    assert {
        "section": "outcome",
        "key": "all",
        "label": "Alle Antworten",
        "period": "2026-10",
        "respondents": "7",
        "count": "21",
        "up": "0",
        "down": "0",
        "note": "questions",
    } in rows


def test_the_dri_report_carries_the_section_in_every_format() -> None:
    section = OutcomeSection(_report())
    md = render(_empty_feedback(), "md", "en", [section]).decode()
    assert "## Where questions ended" in md
    text = render(_empty_feedback(), "csv", "nl", [section]).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    note = parsed[0].index("note")
    assert any(row[0] == "outcome" and row[note] == "answered" for row in parsed)
    assert any(row[0] == "open_question" and "[telefoon]" in ";".join(row) for row in parsed)
    html = render(_empty_feedback(), "html", "de", [section]).decode()
    assert html.index("Was aus den Fragen wurde") < html.index("</body>")
