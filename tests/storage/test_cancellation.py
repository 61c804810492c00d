"""A request cancelled half-way (client gone, shutdown) must leave the database usable and consistent."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from nwow.feedback.models import SurveyResponse
from nwow.storage import Database
from tests.storage.factories import survey as base_survey

ALL_TIME = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def survey(submission_id: str) -> SurveyResponse:
    return base_survey(
        submission_id,
        user_key="u",
        rating=3,
        works="",
        obstacles="",
        submitted_at=datetime(2026, 11, 2, tzinfo=UTC),
    )


async def test_cancelling_at_any_point_leaves_the_store_usable(db: Database) -> None:
    outcomes: dict[str, bool] = {}
    for steps in range(40):
        submission_id = f"cancelled-{steps}"
        task = asyncio.create_task(db.feedback.record_survey(survey(submission_id)))
        for _ in range(steps):
            await asyncio.sleep(0)  # let the task run this many event-loop steps, then cancel it
        task.cancel()
        try:
            outcomes[submission_id] = bool(await task)
        except asyncio.CancelledError:
            outcomes[submission_id] = False
        # The next submission must work whatever state the cancelled one was in.
        assert await db.feedback.record_survey(survey(f"after-{steps}"))
    stored = {s.submission_id for s in await db.feedback.surveys_between(*ALL_TIME)}
    assert {f"after-{n}" for n in range(40)} <= stored
    # A submission reported as stored is stored; one that was cancelled is either wholly there or absent,
    # and a retry of it answers consistently.
    for submission_id, reported in outcomes.items():
        if reported:
            assert submission_id in stored
        retry = await db.feedback.record_survey(survey(submission_id))
        assert bool(retry) is (submission_id not in stored)
