"""Group commit: grouping, waiting, backpressure, failure, draining — against a recording sink."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest

from ingest_api.writer import GroupCommitWriter, Overloaded, WriteFailed, content_token


class RecordingSink:
    """Stores groups in memory, optionally slowly or failing; the writer's only collaborator."""

    def __init__(self, delay: float = 0.0, fail: bool = False) -> None:
        self.groups: list[tuple[str, list[tuple[Any, ...]], str]] = []
        self.delay, self.fail = delay, fail
        self._lock = threading.Lock()

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], token: str) -> None:
        time.sleep(self.delay)
        if self.fail:
            raise ConnectionError("down")
        with self._lock:
            self.groups.append((table, rows, token))


def test_concurrent_requests_share_one_insert() -> None:
    async def scenario() -> RecordingSink:
        sink = RecordingSink()
        writer = GroupCommitWriter(sink, max_rows=1000, max_wait=0.05)
        await asyncio.gather(*(writer.write("t", ["a"], [(i,)]) for i in range(50)))
        await writer.close()
        return sink

    sink = asyncio.run(scenario())
    assert len(sink.groups) == 1 and sorted(sink.groups[0][1]) == [(i,) for i in range(50)]


def test_a_full_group_does_not_wait_for_the_timer() -> None:
    async def scenario() -> float:
        writer = GroupCommitWriter(RecordingSink(), max_rows=10, max_wait=5.0)
        started = time.monotonic()
        await writer.write("t", ["a"], [(i,) for i in range(10)])
        await writer.close()
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 1.0


def test_a_failed_insert_fails_every_waiter() -> None:
    async def scenario() -> list[BaseException | None]:
        writer = GroupCommitWriter(RecordingSink(fail=True), max_rows=100, max_wait=0.01)
        results = await asyncio.gather(
            *(writer.write("t", ["a"], [(i,)]) for i in range(3)), return_exceptions=True
        )
        await writer.close()
        return results

    assert all(isinstance(r, WriteFailed) for r in asyncio.run(scenario()))


def test_backpressure_refuses_writes_past_the_pending_limit() -> None:
    async def scenario() -> None:
        writer = GroupCommitWriter(RecordingSink(delay=0.3), max_rows=10, max_wait=0.01, max_pending_rows=20)
        first = asyncio.create_task(writer.write("t", ["a"], [(i,) for i in range(15)]))
        await asyncio.sleep(0.05)
        with pytest.raises(Overloaded):
            await writer.write("t", ["a"], [(i,) for i in range(10)])
        await first
        assert writer.pending_rows == 0
        await writer.write("t", ["a"], [(1,)])  # room again once the group is stored
        await writer.close()

    asyncio.run(scenario())


def test_close_drains_what_is_waiting_and_then_refuses() -> None:
    async def scenario() -> RecordingSink:
        sink = RecordingSink()
        writer = GroupCommitWriter(sink, max_rows=1000, max_wait=10.0)
        pending = asyncio.create_task(writer.write("t", ["a"], [(1,)]))
        await asyncio.sleep(0.05)
        await writer.close()
        await pending
        with pytest.raises(WriteFailed):
            await writer.write("t", ["a"], [(2,)])
        return sink

    assert asyncio.run(scenario()).groups[0][1] == [(1,)]


def test_tokens_are_derived_from_content() -> None:
    assert content_token("t", [(1, "a")]) == content_token("t", [(1, "a")])
    assert content_token("t", [(1, "a")]) != content_token("t", [(1, "b")])
    assert content_token("t", [(1, "a")]) != content_token("u", [(1, "a")])


def test_min_interval_spaces_inserts_into_one_table() -> None:
    async def scenario() -> list[float]:
        sink = RecordingSink()
        writer = GroupCommitWriter(sink, max_rows=1000, max_wait=0.001, min_interval=0.2)
        times = []
        for i in range(3):
            await writer.write("t", ["a"], [(i,)])
            times.append(time.monotonic())
        await writer.close()
        return times

    times = asyncio.run(scenario())
    assert times[1] - times[0] >= 0.19 and times[2] - times[1] >= 0.19
