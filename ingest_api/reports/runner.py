"""Running report queries: a small pool of warehouse clients and a TTL cache keyed by tenant + query.

The cache holds answers for 60 s (configurable): dashboards refresh the same panels over and over,
and a minute-old rollup is as good as a fresh one for them. Tenant isolation does not depend on the
cache: the tenant is one of every query's parameters, so it is part of every key.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Sequence
from typing import Any

from cachetools import TTLCache
from clickhouse_connect.driver.client import Client
from prometheus_client import Counter, Histogram

from .sql import SqlQuery

CACHE_LOOKUPS = Counter("eventhouse_report_cache_total", "Report cache lookups", ["result"])
REPORT_SECONDS = Histogram(
    "eventhouse_report_seconds", "Report query latency (cache misses)", ["report"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)  # fmt: skip


class QueryRunner:
    """Executes SqlQuery values off the event loop, caching their rows."""

    def __init__(self, clients: Sequence[Client], ttl_seconds: float = 60, max_entries: int = 2048) -> None:
        self._clients: queue.Queue[Client] = queue.Queue()
        for client in clients:
            self._clients.put(client)
        self._cache: TTLCache[Any, list[tuple[Any, ...]]] = TTLCache(max_entries, ttl_seconds)
        self._lock = threading.Lock()

    def _execute(self, query: SqlQuery) -> list[tuple[Any, ...]]:
        client = self._clients.get()
        try:
            return [tuple(row) for row in client.query(query.text, parameters=query.parameters).result_rows]
        finally:
            self._clients.put(client)

    async def rows(self, report: str, query: SqlQuery) -> list[tuple[Any, ...]]:
        key = query.cache_key()
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            CACHE_LOOKUPS.labels("hit").inc()
            return cached
        CACHE_LOOKUPS.labels("miss").inc()
        started = time.perf_counter()
        rows = await asyncio.to_thread(self._execute, query)
        REPORT_SECONDS.labels(report).observe(time.perf_counter() - started)
        with self._lock:
            self._cache[key] = rows
        return rows
