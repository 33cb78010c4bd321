"""Benchmark: ingestion throughput and latency, beside the floor.

Starts an embedded warehouse and `eventhouse api`, then a load generator in a separate process
(bench/loadgen.py) posts single events and 100-event gzip batches at several concurrencies over
loopback. The floor is a bare clickhouse-connect insert of the same rows into the same warehouse,
one insert per request (what an API without group commit would do), at the same concurrency.

    .venv/bin/python bench/ingest.py [--seconds-per-run 8]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import msgspec

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eventhouse.settings import load_settings  # noqa: E402
from ingest_api.tenants import create_tenant  # noqa: E402
from schemas.policy import ContractPolicy, ServerContext  # noqa: E402
from schemas.prepare import PreparedEvent, prepare_event  # noqa: E402
from schemas.registry import default_registry  # noqa: E402
from tests.support.processes import api_server, embedded_warehouse  # noqa: E402
from warehouse.client import connect  # noqa: E402
from warehouse.migrate import migrate  # noqa: E402
from warehouse.raw_event import RAW_EVENT_COLUMNS  # noqa: E402

TOOLS = ["navigation.goto", "search.products", "cart.add", "booking.hold"]


def event(i: int) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    if i % 2:
        return {
            "event_id": str(uuid.uuid4()),
            "event_name": "ai.tool_call_completed",
            "occurred_at": now.isoformat(),
            "site_id": "s_bench",
            "session_id": f"ssn_{i % 500}",
            "user_id": f"anon_{i % 200}",
            "source": "web",
            "attributes": {
                "tool.name": TOOLS[i % 4],
                "tool.category": "navigation",
                "tool.duration_ms": 120 + i % 50,
                "tool.success": i % 7 != 0,
                **({} if i % 7 else {"error.type": "timeout"}),  # a failed call names its error
            },
            "context": {"page": {"url": "https://shop.example/p/42?utm_source=mail"}, "locale": "en-US"},
        }
    return {
        "event_id": str(uuid.uuid4()),
        "event_name": "voice.first_response",
        "occurred_at": now.isoformat(),
        "site_id": "s_bench",
        "session_id": f"ssn_{i % 500}",
        "user_id": f"anon_{i % 200}",
        "source": "voice_ws",
        "attributes": {"voice.first_response_ms": 300 + i % 400, "voice.session_id": f"vs_{i % 500}"},
        "context": {"locale": "en-US", "consent": {"analytics": True}},
    }


def bodies(count: int, per_request: int, compress: bool) -> list[bytes]:
    out = []
    for r in range(count):
        events = [event(r * per_request + j) for j in range(per_request)]
        raw = msgspec.json.encode(events[0] if per_request == 1 else {"events": events})
        out.append(gzip.compress(raw, 6) if compress else raw)
    return out


def run_load(url: str, key: str, payloads: list[bytes], concurrency: int, encoding: str) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".msgpack") as handle:
        handle.write(msgspec.msgpack.encode(payloads))
        handle.flush()
        out = subprocess.run(
            [sys.executable, str(REPO / "bench" / "loadgen.py"), "--url", f"{url}/api/v1/analytics/events", "--key", key,
             "--bodies", handle.name, "--concurrency", str(concurrency), "--encoding", encoding],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    return json.loads(out)


def rows_for(payload_events: list[list[dict[str, Any]]], tenant_id: str) -> list[list[tuple[Any, ...]]]:
    """The raw rows the API would store for each request, prepared by the same contract code."""
    registry, policy = default_registry(), ContractPolicy()
    context = ServerContext(tenant_id=tenant_id, received_at=dt.datetime.now(dt.UTC))
    out = []
    for events in payload_events:
        prepared = [prepare_event(e, context, policy, registry) for e in events]
        out.append([msgspec.structs.astuple(p.row) for p in prepared if isinstance(p, PreparedEvent)])
    return out


def floor(settings: Any, requests: list[list[tuple[Any, ...]]], concurrency: int) -> dict[str, Any]:
    """One bare clickhouse-connect insert per request, from `concurrency` threads."""
    clients = [connect(settings) for _ in range(concurrency)]
    latencies: list[float] = []
    table = f"{settings.database}.events_raw"

    def work(index: int) -> None:
        client = clients[index % concurrency]
        for rows in requests[index::concurrency]:
            started = time.perf_counter()
            client.insert(table, rows, column_names=list(RAW_EVENT_COLUMNS))
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(work, range(concurrency)))
    return {"elapsed": time.perf_counter() - started, "latencies": latencies}


def summary(result: dict[str, Any], events: int) -> tuple[str, float]:
    lat = sorted(result["latencies"])
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    rate = events / result["elapsed"]
    return (
        f"{rate:>9,.0f} ev/s  p50 {q[49] * 1000:6.1f} ms  p95 {q[94] * 1000:6.1f} ms  p99 {q[98] * 1000:6.1f} ms",
        rate,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--single-requests", type=int, default=3000)
    parser.add_argument("--batch-requests", type=int, default=600)
    parser.add_argument("--workers", type=int, default=1, help="API worker processes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, embedded_warehouse(Path(tmp) / "wh") as (wh_url, _):
        settings = load_settings(
            {
                "EVENTHOUSE_CLICKHOUSE_URL": wh_url,
                "EVENTHOUSE_DATA_DIR": tmp,
                "EVENTHOUSE_RATE_LIMIT": "1000000/second",
            }
        )
        migrate(connect(settings), settings)
        tenant = create_tenant(connect(settings), settings.database, "bench")
        env = {
            "EVENTHOUSE_CLICKHOUSE_URL": wh_url,
            "EVENTHOUSE_DATA_DIR": tmp,
            "EVENTHOUSE_RATE_LIMIT": "1000000/second",
            "EVENTHOUSE_API_WORKERS": str(args.workers),
        }
        with api_server(env, Path(tmp)) as (api_url, _):
            print(f"ingest benchmark: API workers={args.workers}, embedded warehouse, 2 shared cores")
            for label, per_request, count, compress, concurrencies in (
                ("single events", 1, args.single_requests, False, (1, 8, 32)),
                ("100-event gzip batches", 100, args.batch_requests, True, (1, 4, 16)),
            ):
                print(f"\n{label}:")
                for concurrency in concurrencies:
                    payloads = bodies(count, per_request, compress)
                    result = run_load(
                        api_url,
                        tenant["write_key"],
                        payloads,
                        concurrency,
                        "gzip" if compress else "identity",
                    )
                    assert result["statuses"] == {"200": count}, result["statuses"]
                    line, rate = summary(result, count * per_request)
                    events = [
                        [msgspec.json.decode(gzip.decompress(p) if compress else p)]
                        for p in payloads[: max(count // 3, 50)]
                    ]
                    events = [e[0]["events"] if per_request > 1 else e for e in events]
                    floor_rows = rows_for(events, tenant["tenant_id"])
                    floor_result = floor(settings, floor_rows, concurrency)
                    floor_line, floor_rate = summary(floor_result, sum(len(r) for r in floor_rows))
                    print(f"  c={concurrency:<3} API {line}")
                    print(f"        floor {floor_line}   ratio {rate / floor_rate:.2f}")


if __name__ == "__main__":
    main()
