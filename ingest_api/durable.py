"""Acknowledge only what is durable: inserts go to ClickHouse, or — when it is unreachable or
failing — to the fsync'ed spool, from which a background replayer writes them back in order.

After a failed insert, writes go straight to the spool (no waiting on a dead warehouse) until the
replayer has reached the warehouse again and emptied the spool.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from . import metrics
from .sink import ClickHouseSink
from .spool.records import SpooledInsert
from .spool.store import Spool

log = logging.getLogger("eventhouse.durable")


class WarehouseHealth:
    """Whether writes should try the warehouse first, and why not."""

    def __init__(self) -> None:
        self.ok = True
        self.last_error = ""
        self.changed_at = time.time()

    def up(self) -> None:
        if not self.ok:
            log.info("warehouse reachable again")
            self.ok, self.changed_at = True, time.time()
        metrics.WAREHOUSE_UP.set(1)

    def down(self, error: BaseException) -> None:
        if self.ok:
            log.warning("warehouse unreachable; spooling", extra={"error": str(error)[:300]})
            self.ok, self.changed_at = False, time.time()
        self.last_error = str(error)[:300]
        metrics.WAREHOUSE_UP.set(0)


class DurableSink:
    """The group-commit sink: the warehouse if it answers, the spool if not."""

    def __init__(self, warehouse: ClickHouseSink, spool: Spool, health: WarehouseHealth) -> None:
        self._warehouse = warehouse
        self._spool = spool
        self._health = health

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], token: str) -> None:
        if self._health.ok:
            started = time.perf_counter()
            try:
                self._warehouse.write(table, columns, rows, token)
            except Exception as exc:
                self._health.down(exc)
            else:
                metrics.INSERT_SECONDS.labels(table.rsplit(".", 1)[-1]).observe(time.perf_counter() - started)
                return
        self._spool.append(SpooledInsert(table, list(columns), [list(row) for row in rows], token))
        metrics.record_spooled()
        metrics.SPOOL_BYTES.set(self._spool.size_bytes())


class Replayer:
    """Empties the spool into the warehouse whenever the warehouse answers."""

    def __init__(
        self,
        spool: Spool,
        warehouse: ClickHouseSink,
        health: WarehouseHealth,
        ping: Callable[[], bool],
        interval: float = 0.5,
        max_backoff: float = 10.0,
    ) -> None:
        self._spool = spool
        self._warehouse = warehouse
        self._health = health
        self._ping = ping
        self._interval = interval
        self._max_backoff = max_backoff
        self.replayed = 0
        self.errors = 0

    def _insert(self, record: SpooledInsert) -> None:
        self._warehouse.write(record.table, record.columns, [tuple(row) for row in record.rows], record.token)
        self.replayed += 1
        metrics.REPLAYED.inc()

    def replay_once(self) -> None:
        """One pass: reach the warehouse, replay everything sealed, mark it healthy."""
        if not self._ping():
            raise ConnectionError("warehouse did not answer ping")
        self._spool.replay(self._insert)
        self._health.up()

    async def run(self) -> None:
        backoff = self._interval
        while True:
            needed = not self._spool.is_empty() or not self._health.ok
            if needed:
                try:
                    await asyncio.to_thread(self.replay_once)
                    backoff = self._interval
                except Exception as exc:
                    self.errors += 1
                    metrics.REPLAY_ERRORS.inc()
                    self._health.down(exc)
                    backoff = min(backoff * 2, self._max_backoff)
            metrics.SPOOL_BYTES.set(self._spool.size_bytes())
            metrics.SPOOL_AGE.set(self._spool.oldest_age_seconds())
            await asyncio.sleep(backoff if needed else self._interval)
