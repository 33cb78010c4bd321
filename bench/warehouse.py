"""Benchmark: the embedded warehouse's HTTP layer against the same work in-process (the floor).

Inserts the same rows and runs the same small query through `eventhouse warehouse serve` with
clickhouse-connect over HTTP, and through clickhouse-connect's in-process chdb backend; prints
each figure beside its floor and the ratio. Also measures small-query throughput with several
concurrent HTTP clients (the engine pool serves them in parallel).

    .venv/bin/python bench/warehouse.py [--rows 200000] [--batch 10000] [--queries 300]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import clickhouse_connect
from clickhouse_connect.driver.client import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.processes import embedded_warehouse

DDL = """CREATE TABLE IF NOT EXISTS default.bench (
    tenant_id LowCardinality(String), event_id UUID, event_name LowCardinality(String),
    occurred_at DateTime64(3, 'UTC'), received_at DateTime64(3, 'UTC'), site_id LowCardinality(String),
    session_id String, user_id String, source LowCardinality(String), attributes String, country LowCardinality(String),
    k UInt32
) ENGINE = MergeTree ORDER BY (tenant_id, k)"""
COLUMNS = [
    "tenant_id",
    "event_id",
    "event_name",
    "occurred_at",
    "received_at",
    "site_id",
    "session_id",
    "user_id",
    "source",
    "attributes",
    "country",
    "k",
]


def make_rows(count: int) -> list[list[object]]:
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return [
        [
            f"t{i % 5}",
            uuid.uuid4(),
            "voice.first_response",
            now,
            now,
            "s1",
            f"ssn{i % 997}",
            f"u{i % 311}",
            "web",
            '{"voice.first_response_ms": 420}',
            "DE",
            i,
        ]
        for i in range(count)
    ]


def measure(client: Client, rows: list[list[object]], batch: int, queries: int) -> tuple[float, list[float]]:
    client.command(DDL)
    started = time.perf_counter()
    for offset in range(0, len(rows), batch):
        client.insert("default.bench", rows[offset : offset + batch], column_names=COLUMNS)
    rows_per_s = len(rows) / (time.perf_counter() - started)
    latencies = []
    for i in range(queries):
        started = time.perf_counter()
        client.query(
            "SELECT count() FROM default.bench WHERE tenant_id = 't1' AND k = {k:UInt32}", parameters={"k": i}
        )
        latencies.append((time.perf_counter() - started) * 1000)
    return rows_per_s, latencies


def concurrent_qps(url: str, clients: int, per_client: int) -> float:
    def run(_: int) -> None:
        client = clickhouse_connect.get_client(dsn=url)
        for i in range(per_client):
            client.query("SELECT count() FROM default.bench WHERE k < {k:UInt32}", parameters={"k": i * 100})

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, range(clients)))
    return clients * per_client / (time.perf_counter() - started)


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    rows = make_rows(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        floor_client = clickhouse_connect.get_client(dsn=f"chdb://{tmp}/floor")
        floor_rate, floor_lat = measure(floor_client, rows, args.batch, args.queries)
        floor_client.close()
        with embedded_warehouse(Path(tmp) / "http") as (url, _):
            http_client = clickhouse_connect.get_client(dsn=url)
            http_rate, http_lat = measure(http_client, rows, args.batch, args.queries)
            qps = {n: concurrent_qps(url, n, 100) for n in (1, 4)}
    print(f"warehouse insert ({args.batch}-row inserts, {len(COLUMNS)} columns)")
    print(
        f"  HTTP {http_rate:,.0f} rows/s | floor (in-process chdb) {floor_rate:,.0f} rows/s | ratio {http_rate / floor_rate:.2f}"
    )
    print("warehouse small query (point lookup, one client)")
    print(
        f"  HTTP p50 {pct(http_lat, 50):.2f} ms p95 {pct(http_lat, 95):.2f} ms | floor p50 {pct(floor_lat, 50):.2f} ms "
        f"p95 {pct(floor_lat, 95):.2f} ms | ratio p50 {pct(http_lat, 50) / pct(floor_lat, 50):.2f}x"
    )
    print(
        f"warehouse concurrency: {qps[1]:,.0f} queries/s with 1 client, {qps[4]:,.0f} with 4 clients ({qps[4] / qps[1]:.2f}x)"
    )


if __name__ == "__main__":
    main()
