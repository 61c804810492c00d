"""`stop_task`: the stopped task's cancellation is swallowed, the caller's own is not (the pattern that let
an outbox dispatcher cancelled at the end of a batch poll for ever)."""

from __future__ import annotations

import asyncio

import pytest

from nwow.tasks import stop_task


async def _forever() -> None:
    await asyncio.Event().wait()


async def test_a_stopped_task_is_done_and_its_cancellation_not_raised() -> None:
    task = asyncio.create_task(_forever())
    await asyncio.sleep(0)
    await stop_task(task)
    assert task.cancelled()


async def test_a_cancel_of_the_caller_during_the_wait_is_raised_once_the_task_has_stopped() -> None:
    stopping, may_stop = asyncio.Event(), asyncio.Event()

    async def slow_to_stop() -> None:
        try:
            await _forever()
        finally:
            stopping.set()
            await may_stop.wait()

    async def caller() -> str:
        worker = asyncio.create_task(slow_to_stop())
        await asyncio.sleep(0)
        await stop_task(worker)
        assert worker.done()
        return "went on as if nothing happened"

    outer = asyncio.create_task(caller())
    await stopping.wait()
    outer.cancel()  # lands while the caller waits for the worker to stop
    may_stop.set()
    with pytest.raises(asyncio.CancelledError):
        await outer
    assert outer.cancelled()


async def test_another_failure_of_the_task_is_raised() -> None:
    async def fails_when_stopped() -> None:
        try:
            await _forever()
        finally:
            raise RuntimeError("cleanup failed")

    task = asyncio.create_task(fails_when_stopped())
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="cleanup failed"):
        await stop_task(task)
