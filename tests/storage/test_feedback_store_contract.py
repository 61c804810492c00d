"""The feedback store contract, run on every backend."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from nwow.feedback.models import UnansweredQuestion, Vote
from nwow.feedback.store import Recorded
from nwow.storage import Database, open_database
from tests.storage.factories import T0, survey

ALL_TIME = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def vote(submission_id: str, answer_id: str = "ans-1", helpful: bool = True, **changes: object) -> Vote:
    base = Vote(
        submission_id=submission_id,
        user_key="u1",
        entry_id="teams-install",
        answer_id=answer_id,
        helpful=helpful,
        lang="fr",
        voted_at=T0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def question(submission_id: str, text: str = "Hoe reserveer ik een bureau?") -> UnansweredQuestion:
    return UnansweredQuestion(
        submission_id=submission_id,
        text=text,
        lang="nl",
        asked_at=T0,
        candidates=(("satellite-offices", 0.41), ("telework-rules", 0.3)),
    )


async def test_a_survey_is_stored_once_then_reported_as_repeated(db: Database) -> None:
    assert await db.feedback.record_survey(survey()) is Recorded.STORED
    assert await db.feedback.record_survey(survey()) is Recorded.REPEATED
    assert await db.feedback.surveys_between(*ALL_TIME) == [survey()]


async def test_a_second_submission_of_the_same_card_by_the_same_user_is_a_duplicate(db: Database) -> None:
    assert await db.feedback.record_survey(survey("click-1", card_id="card-a")) is Recorded.STORED
    assert (
        await db.feedback.record_survey(survey("click-2", card_id="card-a", rating=1)) is Recorded.DUPLICATE
    )
    # The first click's retry is still told apart from the second click.
    assert await db.feedback.record_survey(survey("click-1", card_id="card-a")) is Recorded.REPEATED
    assert await db.feedback.record_survey(survey("click-2", card_id="card-a")) is Recorded.DUPLICATE
    assert await db.feedback.surveys_between(*ALL_TIME) == [survey("click-1", card_id="card-a")]


async def test_one_card_answered_by_two_users_or_two_cards_by_one_user_are_separate(db: Database) -> None:
    assert await db.feedback.record_survey(survey("s1", card_id="card-a"))
    assert await db.feedback.record_survey(survey("s2", card_id="card-a", user_key="u2"))
    assert await db.feedback.record_survey(survey("s3", card_id="card-b"))
    # Without a card instance only the submission id deduplicates.
    assert await db.feedback.record_survey(survey("s4"))
    assert await db.feedback.record_survey(survey("s5"))
    stored = await db.feedback.surveys_between(*ALL_TIME)
    assert sorted((s.submission_id, s.card_id) for s in stored) == [
        ("s1", "card-a"),
        ("s2", "card-a"),
        ("s3", "card-b"),
        ("s4", ""),
        ("s5", ""),
    ]


async def test_concurrent_clicks_of_one_card_from_two_connections_store_one_row(
    database_url: str, db: Database
) -> None:
    other = await open_database(database_url)
    try:
        stores = [db.feedback, other.feedback] * 4
        results = await asyncio.gather(
            *(s.record_survey(survey(f"click-{n}", card_id="card-x")) for n, s in enumerate(stores))
        )
    finally:
        await other.close()
    assert sorted(results) == sorted([Recorded.STORED] + [Recorded.DUPLICATE] * 7)
    assert len(await db.feedback.surveys_between(*ALL_TIME)) == 1


async def test_a_card_submitted_again_after_the_user_deleted_their_data_stays_deleted(db: Database) -> None:
    assert await db.feedback.record_survey(survey("click-1", card_id="card-a"))
    assert await db.feedback.delete_user_data("u1") == 1
    assert await db.feedback.record_survey(survey("click-2", card_id="card-a")) is Recorded.DUPLICATE
    assert await db.feedback.surveys_between(*ALL_TIME) == []


async def test_an_overlong_card_id_is_refused() -> None:
    with pytest.raises(ValueError, match="card_id"):
        survey(card_id="c" * 65)


async def test_a_retry_with_different_content_does_not_overwrite(db: Database) -> None:
    assert await db.feedback.record_survey(survey(rating=2))
    assert not await db.feedback.record_survey(survey(rating=5))
    stored = await db.feedback.surveys_between(*ALL_TIME)
    assert [s.rating for s in stored] == [2]


async def test_concurrent_duplicate_submits_store_one_row(db: Database) -> None:
    results = await asyncio.gather(*(db.feedback.record_survey(survey("act-dup")) for _ in range(8)))
    assert sorted(results) == sorted([Recorded.STORED] + [Recorded.REPEATED] * 7)
    assert len(await db.feedback.surveys_between(*ALL_TIME)) == 1


async def test_concurrent_duplicates_from_two_connections_store_one_row(
    database_url: str, db: Database
) -> None:
    other = await open_database(database_url)
    try:
        stores = [db.feedback, other.feedback] * 4
        results = await asyncio.gather(*(s.record_survey(survey("act-two")) for s in stores))
    finally:
        await other.close()
    assert sorted(results) == sorted([Recorded.STORED] + [Recorded.REPEATED] * 7)
    assert [s.submission_id for s in await db.feedback.surveys_between(*ALL_TIME)] == ["act-two"]


async def test_concurrent_writers_of_distinct_submissions_all_land(db: Database) -> None:
    ids = [f"act-{i}" for i in range(64)]
    results = await asyncio.gather(*(db.feedback.record_survey(survey(i, user_key=f"u{i}")) for i in ids))
    assert all(results)
    stored = await db.feedback.surveys_between(*ALL_TIME)
    assert sorted(s.submission_id for s in stored) == sorted(ids)


async def test_free_text_and_timestamps_round_trip_exactly(db: Database) -> None:
    odd = survey(
        works="line1\nline2\t'; DROP TABLE surveys; --",
        obstacles="😀 \u200b ' \" \\",
        submitted_at=datetime(2026, 3, 29, 1, 59, 59, 123456, tzinfo=UTC),
        card_id="0123456789abcdef0123456789abcdef",
    )
    await db.feedback.record_survey(odd)
    [stored] = await db.feedback.surveys_between(*ALL_TIME)
    assert stored == odd
    assert stored.submitted_at.tzinfo is not None


async def test_contact_id_is_kept_only_with_consent(db: Database) -> None:
    with pytest.raises(ValueError, match="contact"):
        survey(contact_ok=False, contact_id="aad-1")
    await db.feedback.record_survey(survey("a", contact_ok=True, contact_id="aad-1"))
    await db.feedback.record_survey(survey("b"))
    stored = {s.submission_id: s for s in await db.feedback.surveys_between(*ALL_TIME)}
    assert stored["a"].contact_id == "aad-1" and stored["a"].contact_ok
    assert stored["b"].contact_id is None and not stored["b"].contact_ok


async def test_ranges_are_half_open_and_ordered(db: Database) -> None:
    for i in range(5):
        await db.feedback.record_survey(survey(f"act-{i}", submitted_at=T0 + timedelta(days=i)))
    got = await db.feedback.surveys_between(T0 + timedelta(days=1), T0 + timedelta(days=3))
    assert [s.submission_id for s in got] == ["act-1", "act-2"]


async def test_a_later_vote_on_the_same_entry_replaces_the_earlier(db: Database) -> None:
    assert await db.feedback.record_vote(vote("v1", helpful=True))
    assert await db.feedback.record_vote(vote("v2", helpful=False, voted_at=T0 + timedelta(minutes=1)))
    [stored] = await db.feedback.votes_between(*ALL_TIME)
    assert stored.submission_id == "v2" and stored.helpful is False


async def test_a_late_arriving_older_vote_does_not_replace_a_newer_one(db: Database) -> None:
    assert await db.feedback.record_vote(vote("v2", helpful=False, voted_at=T0 + timedelta(minutes=1)))
    assert await db.feedback.record_vote(vote("v1", helpful=True, voted_at=T0))
    [stored] = await db.feedback.votes_between(*ALL_TIME)
    assert stored.submission_id == "v2" and stored.helpful is False


async def test_a_retried_vote_counts_once_even_after_a_newer_vote(db: Database) -> None:
    assert await db.feedback.record_vote(vote("v1", helpful=True))
    assert await db.feedback.record_vote(vote("v2", helpful=False, voted_at=T0 + timedelta(minutes=1)))
    assert not await db.feedback.record_vote(vote("v1", helpful=True, voted_at=T0 + timedelta(minutes=2)))
    [stored] = await db.feedback.votes_between(*ALL_TIME)
    assert stored.submission_id == "v2"


async def test_votes_on_different_entries_or_by_different_users_are_separate(db: Database) -> None:
    await db.feedback.record_vote(vote("v1", entry_id="e1"))
    await db.feedback.record_vote(vote("v2", entry_id="e2"))
    await db.feedback.record_vote(vote("v3", entry_id="e1", user_key="u2"))
    assert len(await db.feedback.votes_between(*ALL_TIME)) == 3


async def test_votes_on_many_answer_cards_of_one_entry_are_one_vote(db: Database) -> None:
    for n in range(20):
        at = T0 + timedelta(seconds=n)
        assert await db.feedback.record_vote(vote(f"v{n}", answer_id=f"ans-{n}", helpful=False, voted_at=at))
    [stored] = await db.feedback.votes_between(*ALL_TIME)
    assert (stored.submission_id, stored.answer_id, stored.helpful) == ("v19", "ans-19", False)


async def test_unanswered_questions_are_idempotent_and_keep_candidates(db: Database) -> None:
    assert await db.feedback.record_unanswered(question("q1"))
    assert not await db.feedback.record_unanswered(question("q1", text="something else"))
    assert await db.feedback.record_unanswered(question("q2"))
    stored = await db.feedback.unanswered_between(*ALL_TIME)
    assert [q.submission_id for q in stored] == ["q1", "q2"]
    assert stored[0] == question("q1")


async def test_submission_ids_are_separate_per_kind(db: Database) -> None:
    assert await db.feedback.record_survey(survey("same-id")) is Recorded.STORED
    assert await db.feedback.record_vote(vote("same-id"))
    assert await db.feedback.record_unanswered(question("same-id"))


async def test_preferences_remember_recall_forget(db: Database) -> None:
    assert await db.feedback.recall("u1", "home_area") is None
    await db.feedback.remember("u1", "home_area", "Gent")
    await db.feedback.remember("u1", "home_area", "Namur")
    await db.feedback.remember("u2", "home_area", "Brugge")
    assert await db.feedback.recall("u1", "home_area") == "Namur"
    assert await db.feedback.forget("u1", "home_area") is True
    assert await db.feedback.forget("u1", "home_area") is False
    assert await db.feedback.recall("u1", "home_area") is None
    assert await db.feedback.recall("u2", "home_area") == "Brugge"


async def test_user_data_and_delete_user_data(db: Database) -> None:
    await db.feedback.record_survey(survey("s1"))
    await db.feedback.record_survey(survey("s2"))
    await db.feedback.record_survey(survey("s3", user_key="other"))
    await db.feedback.record_vote(vote("v1", entry_id="e1"))
    await db.feedback.record_vote(vote("v2", entry_id="e2"))
    await db.feedback.record_vote(vote("v3", user_key="other"))
    await db.feedback.record_unanswered(question("q1"))
    await db.feedback.remember("u1", "home_area", "Gent")

    data = await db.feedback.user_data("u1")
    assert (data.user_key, data.surveys, data.votes, data.remembered) == ("u1", 2, 2, {"home_area": "Gent"})

    assert await db.feedback.delete_user_data("u1") == 5
    after = await db.feedback.user_data("u1")
    assert (after.surveys, after.votes, after.remembered) == (0, 0, {})
    assert (await db.feedback.user_data("other")).surveys == 1
    assert len(await db.feedback.unanswered_between(*ALL_TIME)) == 1  # no identity: not the user's data
    # A channel retry of a deleted submission does not bring it back.
    assert await db.feedback.record_survey(survey("s1")) is Recorded.REPEATED
    assert await db.feedback.delete_user_data("u1") == 0


async def test_purge_removes_only_older_rows(db: Database) -> None:
    old, new = T0 - timedelta(days=800), T0
    await db.feedback.record_survey(survey("s-old", submitted_at=old))
    await db.feedback.record_survey(survey("s-new", submitted_at=new))
    await db.feedback.record_vote(vote("v-old", entry_id="e1", voted_at=old))
    await db.feedback.record_vote(vote("v-new", entry_id="e2", voted_at=new))
    await db.feedback.record_unanswered(replace(question("q-old"), asked_at=old))
    await db.feedback.record_unanswered(question("q-new"))

    assert await db.feedback.purge_older_than(T0 - timedelta(days=730)) == 3
    assert [s.submission_id for s in await db.feedback.surveys_between(*ALL_TIME)] == ["s-new"]
    assert [v.submission_id for v in await db.feedback.votes_between(*ALL_TIME)] == ["v-new"]
    assert [q.submission_id for q in await db.feedback.unanswered_between(*ALL_TIME)] == ["q-new"]
    assert await db.feedback.purge_older_than(T0 - timedelta(days=730)) == 0


async def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="timezone"):
        await db.feedback.purge_older_than(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="timezone"):
        survey(submitted_at=datetime(2026, 1, 1))
