"""The weekly digest: remembered when installed in the ambassadors' team, posted proactively."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import RUNTIME, create_app
from bot.conversation.digest import DigestUnavailable, claim_week, send_digest
from bot.settings import Settings
from nwow.schedule import Schedule
from nwow.storage import open_database
from tests.e2e.conftest import Chat, card_of, card_text
from tests.harness import FakeConnector
from tests.harness.fixtures import ServeApp

TEAM = "19:ambassadors@thread.tacv2"


async def test_digest_goes_to_the_ambassadors_team_once_installed(
    settings: Settings, serve_app: ServeApp, fake_connector: FakeConnector
) -> None:
    app = create_app(settings.with_overrides(ambassador_team_id=TEAM))
    base_url = await serve_app(app)
    runtime = app[RUNTIME]
    with pytest.raises(DigestUnavailable):
        await send_digest(
            runtime.adapter, runtime.database.kv, runtime.database.feedback, runtime.settings, _now()
        )

    chat = Chat(base_url, fake_connector, conversation_id=f"{TEAM};messageid=1")
    await chat.post(
        chat.activity(
            type="installationUpdate",
            action="add",
            text=None,
            conversation={"id": f"{TEAM};messageid=1", "conversationType": "channel", "tenantId": "t"},
            channelData={"team": {"id": TEAM}, "tenant": {"id": "t"}},
        )
    )
    [welcome] = await chat.expect(1)
    assert "Welcome to the NWOW assistant" in card_text(card_of(welcome))

    await send_digest(
        runtime.adapter, runtime.database.kv, runtime.database.feedback, runtime.settings, _now()
    )
    [digest] = await chat.expect(1)
    assert "NWOW-weekoverzicht" in card_text(card_of(digest))
    assert fake_connector.replies[-1].conversation_id == f"{TEAM};messageid=1"


async def test_only_one_replica_claims_a_week(tmp_path: Path) -> None:
    database = await open_database(f"sqlite:///{tmp_path / 'claims.sqlite3'}")
    try:
        assert await claim_week(database.kv, "2026-W48")
        assert not await claim_week(database.kv, "2026-W48")
        assert await claim_week(database.kv, "2026-W49")
    finally:
        await database.close()


def test_schedule_is_in_brussels_time_across_daylight_saving() -> None:
    schedule = Schedule.parse("mon 09:00")
    winter = schedule.next_after(datetime(2026, 11, 23, 8, 59, tzinfo=UTC))  # a Monday, 09:59 in Brussels
    assert winter == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    summer = schedule.next_after(datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    assert summer == datetime(2026, 7, 6, 7, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="weekday"):
        Schedule.parse("someday 09:00")


def _now() -> datetime:
    return datetime.now(UTC)
