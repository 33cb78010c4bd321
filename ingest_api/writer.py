"""Group commit: many small requests become one ClickHouse insert, and each request is answered
only after its rows are durable.

A request hands its rows to `write()` and awaits. Rows for a table collect until `max_rows` wait
or `max_wait` has passed since the first arrived (and at least `min_interval` since the previous
group left); then they go to the sink as one insert, in a worker thread, while the next group
collects. Up to `max_inflight` inserts per table run at once.
ClickHouse wants about one insert per second per table of ≥ 1,000 rows; under load groups grow
by themselves (rows pile up while an insert is in flight), and when idle a lone event waits at
most `max_wait`. Each insert carries a dedup token derived from its content, so retrying it (or
replaying it from the spool) can never store it twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import time
from collections.abc import Sequence
from typing import Any, Protocol

import msgspec

from . import metrics


class Sink(Protocol):
    """Where groups go: makes `rows` durable under `token`, or raises."""

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], token: str) -> None: ...


class WriteFailed(RuntimeError):
    """The rows could not be made durable; nothing was acknowledged."""


class Overloaded(WriteFailed):
    """Too many rows are already waiting; the caller should come back later."""


def content_token(table: str, rows: list[tuple[Any, ...]]) -> str:
    """An insert deduplication token derived from the rows themselves (DESIGN §7)."""
    digest = hashlib.blake2b(table.encode(), digest_size=16)
    digest.update(msgspec.msgpack.encode(rows))
    return digest.hexdigest()


@dataclasses.dataclass
class _Waiting:
    rows: list[tuple[Any, ...]]
    done: asyncio.Future[None]


class _TableQueue:
    def __init__(self) -> None:
        self.waiting: list[_Waiting] = []
        self.rows = 0
        self.first_at = 0.0
        self.flushed_at = -1e9
        self.wake = asyncio.Event()


class GroupCommitWriter:
    """Buffers rows per table and writes them to a sink in groups."""

    def __init__(
        self,
        sink: Sink,
        max_rows: int,
        max_wait: float,
        max_inflight: int = 2,
        max_pending_rows: int = 200_000,
        min_interval: float = 0.0,
    ) -> None:
        self._min_interval = min_interval
        self._sink = sink
        self._max_pending_rows = max_pending_rows
        self._pending_rows = 0
        self._max_rows = max_rows
        self._max_wait = max_wait
        self._max_inflight = max_inflight
        self._tables: dict[tuple[str, tuple[str, ...]], _TableQueue] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._inflight: set[asyncio.Task[None]] = set()
        self._closing = False
        self.stats = {"groups": 0, "rows": 0, "failures": 0}

    @property
    def pending_rows(self) -> int:
        """Rows accepted by write() and not yet durable (waiting or being inserted)."""
        return self._pending_rows

    async def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Return once `rows` are durable in `table`; raise WriteFailed if they could not be."""
        if self._closing:
            raise WriteFailed("the writer is shutting down")
        if self._pending_rows + len(rows) > self._max_pending_rows:
            metrics.OVERLOADED.labels("queue").inc()
            raise Overloaded(f"{self._pending_rows} rows are already waiting to be stored")
        self._pending_rows += len(rows)
        metrics.QUEUE_ROWS.set(self._pending_rows)
        key = (table, tuple(columns))
        queue = self._tables.get(key)
        if queue is None:
            queue = self._tables[key] = _TableQueue()
            self._tasks.append(asyncio.create_task(self._flush_loop(key, queue)))
        if not queue.waiting:
            queue.first_at = time.monotonic()
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue.waiting.append(_Waiting(rows, done))
        queue.rows += len(rows)
        queue.wake.set()
        await done

    async def _flush_loop(self, key: tuple[str, tuple[str, ...]], queue: _TableQueue) -> None:
        slots = asyncio.Semaphore(self._max_inflight)
        while True:
            await queue.wake.wait()
            queue.wake.clear()
            if not queue.waiting:
                if self._closing:
                    return
                continue
            ready_at = max(queue.first_at + self._max_wait, queue.flushed_at + self._min_interval)
            delay = ready_at - time.monotonic()
            if queue.rows < self._max_rows and delay > 0 and not self._closing:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._until_full(queue), delay)
            await slots.acquire()
            group, queue.waiting, queue.rows = queue.waiting, [], 0
            queue.flushed_at = time.monotonic()
            task = asyncio.create_task(self._commit(key, group, slots))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
            if queue.waiting or self._closing:
                queue.wake.set()

    async def _until_full(self, queue: _TableQueue) -> None:
        while queue.rows < self._max_rows and not self._closing:
            queue.wake.clear()
            await queue.wake.wait()

    async def _commit(
        self, key: tuple[str, tuple[str, ...]], group: list[_Waiting], slots: asyncio.Semaphore
    ) -> None:
        table, columns = key
        rows = [row for waiting in group for row in waiting.rows]
        metrics.GROUP_ROWS.observe(len(rows))
        try:
            await asyncio.to_thread(self._sink.write, table, columns, rows, content_token(table, rows))
        except Exception as exc:
            self.stats["failures"] += 1
            for waiting in group:
                if not waiting.done.done():
                    waiting.done.set_exception(WriteFailed(str(exc)))
        else:
            self.stats["groups"] += 1
            self.stats["rows"] += len(rows)
            for waiting in group:
                if not waiting.done.done():
                    waiting.done.set_result(None)
        finally:
            self._pending_rows -= len(rows)
            metrics.QUEUE_ROWS.set(self._pending_rows)
            slots.release()

    async def close(self) -> None:
        """Flush everything still waiting, then stop; new writes are refused from now on."""
        self._closing = True
        for queue in self._tables.values():
            queue.wake.set()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.gather(*list(self._inflight), return_exceptions=True)
