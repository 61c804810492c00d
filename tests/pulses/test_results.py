"""A pulse's published results: counts only while it runs; once closed, computed, suppressed and frozen;
compared with the previous pulse; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nwow.pulses.compare import MEAN
from nwow.pulses.published import KEY_PREFIX, pulse_reports, pulse_results
from nwow.pulses.results import OTHER_UNITS, compute_results
from nwow.pulses.results_codec import decode_results, encode_results
from nwow.storage import Database
from nwow.storage.write_once import KvWriteOnce
from tests.pulses.results_seed import RATING, START, TELEWORK, TOOL, Person, make_pulse, seed_pulse
from tests.pulses.scenario import K, people

CLOSED = START + timedelta(days=5)
LATER = START + timedelta(days=6)


async def test_a_running_pulse_shows_counts_and_no_answers(db: Database) -> None:
    pulse = make_pulse()
    started = await seed_pulse(db, pulse, people(), delivered=30)
    results = await pulse_results(db.pulses, KvWriteOnce(db.kv), started, min_group_size=K, now=CLOSED)
    assert (results.closed, results.delivered, results.respondents, results.recipients) == (False, 30, 34, 36)
    assert results.questions == () and results.unit_rates == () and not results.shown
    assert await db.kv.read([KEY_PREFIX + pulse.id]) == {}, "nothing is frozen while the pulse runs"


async def test_a_closed_pulse_publishes_only_protected_cells(db: Database) -> None:
    started = await seed_pulse(db, make_pulse(), people(), close_at=CLOSED)
    results = await pulse_results(db.pulses, KvWriteOnce(db.kv), started, min_group_size=K, now=LATER)
    assert results.shown and results.respondents == 34 and results.delivered == 36
    rating = results.question(RATING.id)
    assert rating is not None and rating.overall is not None
    units = dict(rating.units)
    # Units of fewer than k respondents have no row of their own; they are in "other units together".
    assert set(units) == {"fed-dri", "fed-dgj", "local-antwerpen", OTHER_UNITS}
    assert units[OTHER_UNITS].respondents == 3 + 2 + 1
    for _, distribution in rating.units:
        for count in distribution.counts.values():
            assert count >= K, "no shown cell counts fewer than k people"
    # fed-dri gave 7 × 4, 4 × 5, 1 × 1: the 1 and the 5 are hidden (and so is the 4, else the rest is 5 - 4 = 1).
    dri = units["fed-dri"]
    assert dri.count("1") is None and dri.mean is None and dri.others >= K
    # The same units in every question, even where one question alone would show more.
    for question in (TOOL, TELEWORK):
        result = results.question(question.id)
        assert result is not None and {u for u, _ in result.units} == set(units)


async def test_a_rating_mean_is_published_only_with_its_whole_distribution(db: Database) -> None:
    crowd = [
        Person(f"p{n}", "fed-dri", {RATING.id: 3 + n % 2, TOOL.id: "teams", TELEWORK.id: "yes"})
        for n in range(10)
    ]
    started = await seed_pulse(db, make_pulse(), crowd, close_at=CLOSED)
    results = await pulse_results(db.pulses, KvWriteOnce(db.kv), started, min_group_size=K, now=LATER)
    rating = results.question(RATING.id)
    assert rating is not None and rating.overall is not None
    assert rating.overall.complete and rating.overall.mean == pytest.approx(3.5)
    assert rating.overall.count("1") == 0, "an answer nobody gave is 0 once the distribution is complete"
    computed = compute_results(started, [], [], {}, min_group=K, frozen_at=LATER)  # no answers
    assert computed.question(RATING.id) is not None and not computed.shown


async def test_results_are_frozen_at_first_publication(db: Database) -> None:
    """A deletion, a new minimum group: the kept results do not change, else two reports would differ by a
    person."""
    archive = KvWriteOnce(db.kv)
    started = await seed_pulse(db, make_pulse(), people(), close_at=CLOSED)
    first = await pulse_results(db.pulses, archive, started, min_group_size=K, now=LATER)
    await db.pulses.delete_user("dri11")
    again = await pulse_results(
        db.pulses, archive, started, min_group_size=K + 5, now=LATER + timedelta(days=30)
    )
    assert again == first and again.min_group == K
    assert encode_results(decode_results(encode_results(first))) == encode_results(first)


async def test_the_minimum_group_is_never_below_the_deployments(db: Database) -> None:
    started = await seed_pulse(db, make_pulse(min_group=5), people(), close_at=CLOSED)
    results = await pulse_results(db.pulses, KvWriteOnce(db.kv), started, min_group_size=40, now=LATER)
    assert results.min_group == 40 and not results.shown
    assert all(q.overall is None and not q.comments_shown for q in results.questions)


async def test_response_rate_by_unit_needs_k_recipients_and_k_respondents(db: Database) -> None:
    started = await seed_pulse(db, make_pulse(), people(), close_at=CLOSED)
    results = await pulse_results(db.pulses, KvWriteOnce(db.kv), started, min_group_size=K, now=LATER)
    rates = {r.unit: r for r in results.unit_rates}
    assert set(rates) == {"fed-dri", "fed-dgj", "local-antwerpen"}
    assert (rates["fed-dri"].recipients, rates["fed-dri"].delivered, rates["fed-dri"].respondents) == (
        13,
        13,
        12,
    )
    assert results.response_rate == pytest.approx(34 / 36)


async def test_comments_are_listed_by_text_only_once_closed_with_k_respondents(db: Database) -> None:
    archive = KvWriteOnce(db.kv)
    await seed_pulse(db, make_pulse(), people(), close_at=CLOSED)
    [report] = await pulse_reports(db.pulses, archive, min_group_size=K, now=LATER)
    assert report.comments["what-would-help"] == (
        "A second screen",
        "Call Jan Peeters at 0475 12 34 56",  # as written: the renderers scrub it
        "More training please",
    )
    few = [Person(f"f{n}", "fed-dri", {"what-would-help": "Fewer meetings"}) for n in range(K - 1)]
    await seed_pulse(db, make_pulse("2027-02-few"), few, started_at=START + timedelta(days=1))
    [running, _] = await pulse_reports(db.pulses, archive, min_group_size=K, now=LATER)
    assert running.comments == {}, "a running pulse lists no comment"
    assert await db.pulses.close("2027-02-few", LATER)
    [small, _] = await pulse_reports(db.pulses, archive, min_group_size=K, now=LATER)
    assert small.results.closed and small.comments == {}, "nor one with fewer than k respondents"


async def test_a_pulse_is_compared_with_the_previous_one_on_the_same_questions(db: Database) -> None:
    archive = KvWriteOnce(db.kv)
    before = [
        Person(f"b{n}", "fed-dri", {RATING.id: 3, TOOL.id: "teams", TELEWORK.id: "no" if n < 6 else "yes"})
        for n in range(12)
    ]
    older = [
        Person(f"o{n}", "fed-dri", {RATING.id: 1, TOOL.id: "yammer", TELEWORK.id: "no"}) for n in range(12)
    ]
    await seed_pulse(
        db,
        make_pulse("2026-06-oldest"),
        older,
        started_at=START - timedelta(days=200),
        close_at=START - timedelta(days=190),
    )
    await seed_pulse(
        db,
        make_pulse("2026-10-before", questions=(RATING, TELEWORK)),
        before,
        started_at=START - timedelta(days=90),
        close_at=START - timedelta(days=80),
    )
    now = [
        Person(f"n{n}", "fed-dri", {RATING.id: 4 if n < 6 else 5, TOOL.id: "teams", TELEWORK.id: "yes"})
        for n in range(12)
    ]
    await seed_pulse(db, make_pulse(), now, close_at=CLOSED)
    latest = (await pulse_reports(db.pulses, archive, min_group_size=K, now=LATER))[0]
    by_question = {c.question_id: c for c in latest.comparisons}
    # Rating and yes/no against the most recent pulse that asked them; the tool only against the oldest.
    assert by_question[RATING.id].previous.id == "2026-10-before"
    [mean] = by_question[RATING.id].changes
    assert (mean.figure, mean.previous, mean.current) == (MEAN, 3.0, 4.5)
    [yes] = by_question[TELEWORK.id].changes
    assert (yes.figure, yes.previous, yes.current) == ("yes", 0.5, 1.0)
    assert by_question[TOOL.id].previous.id == "2026-06-oldest"
    shares = {c.figure: (c.previous, c.current) for c in by_question[TOOL.id].changes}
    assert shares == {"teams": (0.0, 1.0), "yammer": (1.0, 0.0), "e-mail": (0.0, 0.0)}


async def test_no_comparison_where_a_figure_is_not_published(db: Database) -> None:
    archive = KvWriteOnce(db.kv)
    # The earlier pulse's ratings: 11 × 3 and one 1, so its distribution (and mean) is not published.
    before = [
        Person(f"b{n}", "fed-dri", {RATING.id: 1 if n == 0 else 3, TOOL.id: "teams", TELEWORK.id: "yes"})
        for n in range(12)
    ]
    await seed_pulse(
        db,
        make_pulse("2026-10-before"),
        before,
        started_at=START - timedelta(days=90),
        close_at=START - timedelta(days=80),
    )
    now = [
        Person(f"n{n}", "fed-dri", {RATING.id: 4, TOOL.id: "teams", TELEWORK.id: "yes"}) for n in range(12)
    ]
    await seed_pulse(db, make_pulse(), now, close_at=CLOSED)
    latest = (await pulse_reports(db.pulses, archive, min_group_size=K, now=LATER))[0]
    assert RATING.id not in {c.question_id for c in latest.comparisons}
    assert TELEWORK.id in {c.question_id for c in latest.comparisons}
