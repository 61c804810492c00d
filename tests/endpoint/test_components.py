"""Unit tests of the plumbing pieces: the in-memory deduplicator, key staleness, the lazy user token client."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from botframework.connector.auth import UserTokenClient

from bot.transport.auth import LazyUserTokenClient, SigningKey, SigningKeys
from bot.turn.dedupe import InMemoryDeduplicator
from tests.harness.openid import TestKey


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_dedupe_marks_on_first_sight_and_recognises_repeats() -> None:
    dedupe = InMemoryDeduplicator()

    assert await dedupe.seen_before("c1", "a1") is False
    assert await dedupe.seen_before("c1", "a1") is True
    assert await dedupe.seen_before("c2", "a1") is False


async def test_dedupe_forgets_after_the_time_to_live() -> None:
    clock = Clock()
    dedupe = InMemoryDeduplicator(ttl_seconds=60, clock=clock)
    await dedupe.seen_before("c", "a")

    clock.now += 59
    assert await dedupe.seen_before("c", "a") is True
    clock.now += 2
    assert await dedupe.seen_before("c", "a") is False


async def test_dedupe_stays_bounded_dropping_the_oldest() -> None:
    dedupe = InMemoryDeduplicator(max_entries=3)
    for n in range(5):
        await dedupe.seen_before("c", f"a{n}")

    assert len(dedupe) == 3
    assert await dedupe.seen_before("c", "a4") is True
    assert await dedupe.seen_before("c", "a0") is False


async def test_concurrent_deliveries_of_one_activity_are_processed_once() -> None:
    dedupe = InMemoryDeduplicator()

    answers = await asyncio.gather(*(dedupe.seen_before("c", "a") for _ in range(10)))

    assert answers.count(False) == 1


def test_dedupe_rejects_nonsense_limits() -> None:
    with pytest.raises(ValueError):
        InMemoryDeduplicator(ttl_seconds=0)
    with pytest.raises(ValueError):
        InMemoryDeduplicator(max_entries=0)


async def test_day_old_keys_are_refreshed_in_the_background_while_the_cached_ones_serve() -> None:
    clock = Clock()
    key = TestKey("k")
    fetches: list[int] = []

    async def fetch(url: str) -> dict[str, SigningKey]:
        fetches.append(1)
        return {"k": SigningKey("k", key.private_key.public_key())}

    keys = SigningKeys("https://metadata.test/", fetch=fetch, clock=clock, max_age_seconds=3600)
    await keys.warm()
    clock.now += 3601

    assert await keys.get("k") is not None  # served from cache at once...
    assert len(fetches) == 1
    await keys.warm()  # ...while a refresh runs: warm() joins it instead of fetching again

    assert len(fetches) == 2
    assert keys.refresh_count == 2


class RecordingTokenClient(UserTokenClient):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    async def get_user_token(self, *args: Any) -> str:
        self.calls.append(("get_user_token", args))
        return "user-token"

    async def get_sign_in_resource(self, *args: Any) -> None:
        self.calls.append(("get_sign_in_resource", args))

    async def sign_out_user(self, *args: Any) -> None:
        self.calls.append(("sign_out_user", args))

    async def get_token_status(self, *args: Any) -> None:
        self.calls.append(("get_token_status", args))

    async def get_aad_tokens(self, *args: Any) -> None:
        self.calls.append(("get_aad_tokens", args))

    async def exchange_token(self, *args: Any) -> None:
        self.calls.append(("exchange_token", args))


async def test_the_user_token_client_is_built_on_first_use_only_and_then_reused() -> None:
    built: list[RecordingTokenClient] = []

    async def create() -> UserTokenClient:
        client = RecordingTokenClient()
        built.append(client)
        return client

    lazy = LazyUserTokenClient(create)
    assert built == []

    assert await lazy.get_user_token("user", "connection", "msteams", None) == "user-token"
    await lazy.sign_out_user("user", "connection", "msteams")

    assert len(built) == 1
    assert [name for name, _ in built[0].calls] == ["get_user_token", "sign_out_user"]


async def test_a_failing_background_refresh_is_not_retried_on_every_request() -> None:
    clock = Clock()
    key = TestKey("k")
    fetches: list[int] = []

    async def fetch(url: str) -> dict[str, SigningKey]:
        fetches.append(1)
        if len(fetches) > 1:
            raise OSError("metadata endpoint down")
        return {"k": SigningKey("k", key.private_key.public_key())}

    keys = SigningKeys(
        "https://metadata.test/", fetch=fetch, clock=clock, max_age_seconds=3600, failure_retry_interval=5
    )
    await keys.warm()
    clock.now += 3601
    await keys.get("k")
    await keys.warm()  # join the failing refresh
    assert len(fetches) == 2

    for _ in range(3):
        assert await keys.get("k") is not None  # stale keys still serve
    assert len(fetches) == 2
    clock.now += 5
    await keys.get("k")  # starts one new attempt...
    await keys.warm()  # ...which warm() joins
    assert len(fetches) == 3
