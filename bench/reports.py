"""Benchmark: report latency over 90 days of events, beside the floor (the raw-table scan).

Generates `--events` (default 10 M) voice/agent-pack events over 90 days for several tenants
directly in the warehouse (INSERT ... SELECT: generating them in Python would take longer than
everything else), builds the marts with dbt, then times each report through the real API (cache
off) for a 1-day and a 90-day range, and the same answer computed from events_raw (deduplicated,
attributes parsed) as the floor.

    .venv/bin/python bench/reports.py [--events 10000000] [--tenants 5] [--runs 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eventhouse.settings import Settings, load_settings  # noqa: E402
from ingest_api.tenants import create_tenant  # noqa: E402
from tests.support.dbt import Dbt, failed  # noqa: E402
from tests.support.processes import api_server, embedded_warehouse  # noqa: E402
from warehouse.client import connect  # noqa: E402
from warehouse.migrate import migrate  # noqa: E402

SESSION_STEPS = [  # a session's events in order; commerce steps thin out like a real funnel
    "voice.turn_started", "voice.first_response", "ai.tool_call_started", "ai.tool_call_completed",
    "kb.search", "page_view", "commerce.view", "commerce.add_to_cart", "voice.barge_in",
    "commerce.checkout", "voice.first_response", "commerce.order_placed",
]  # fmt: skip
TOOLS = ["search_products", "navigation.goto", "cart.add", "booking.hold", "kb.lookup", "form.fill"]

# One row per number: sessions of 12 events, each session at a random moment of the last 90 days.
GENERATE_SQL = """
INSERT INTO {db}.events_raw
SELECT
    concat('t_', toString(session % {tenants})) AS tenant_id,
    generateUUIDv4(n) AS event_id,
    if(step IN (7, 9, 11) AND rand32(n) % 100 >= 70, 'page_view', steps[step + 1]) AS event_name,
    start + toIntervalMillisecond(step * 7000 + rand32(n) % 3000) AS occurred_at,
    occurred_at AS client_occurred_at,
    0 AS occurred_offset_minutes,
    occurred_at + toIntervalMillisecond(200 + rand32(n + 1) % 2000) AS received_at,
    concat('s_', toString(session % {tenants}), '_', toString(session % 3)) AS site_id,
    concat('ssn_', toString(session)) AS session_id,
    concat('u_', toString(session % 5000)) AS user_id,
    'web' AS source,
    '' AS schema_key,
    multiIf(
        event_name = 'voice.first_response', concat('{{"voice.first_response_ms": ', toString(round(300 * exp(randNormal(0, 0.6)), 1)), '}}'),
        event_name = 'voice.barge_in', concat('{{"voice.barge_in_to_pause_ms": ', toString(round(120 * exp(randNormal(0, 0.4)), 1)), '}}'),
        event_name = 'ai.tool_call_completed', concat('{{"tool.name": "', tools[rand32(n + 2) % {tool_count} + 1],
            '", "tool.category": "agent", "tool.duration_ms": ', toString(round(150 * exp(randNormal(0, 0.5)), 1)),
            ', "tool.success": ', if(rand32(n + 3) % 100 < 93, 'true', 'false'), '}}'),
        event_name = 'ai.tool_call_started', concat('{{"tool.name": "', tools[rand32(n + 2) % {tool_count} + 1], '", "tool.category": "agent"}}'),
        event_name = 'kb.search', concat('{{"kb.query": "query ', toString(rand32(n + 4) % 40), '", "kb.results_count": ',
            toString(rand32(n + 5) % 6), ', "kb.latency_ms": ', toString(round(40 * exp(randNormal(0, 0.5)), 1)), ', "kb.top_score": 0.8}}'),
        event_name LIKE 'commerce.%', '{{"commerce.product_id": "p_1", "commerce.value": 20, "commerce.currency": "EUR"}}',
        '{{}}'
    ) AS attributes,
    if(event_name = 'page_view', '{{"page": {{"path": "/products"}}}}', '{{}}') AS context,
    '' AS country, '' AS ip_prefix, '' AS user_agent, 'bench' AS sdk, 'bench' AS batch_id
FROM (
    SELECT number AS n, intDiv(number, 12) AS session, number % 12 AS step,
        {steps} AS steps, {tools} AS tools,
        now64(3) - toIntervalSecond(cityHash64(session) % (90 * 86400)) AS start
    FROM numbers({offset}, {count})
)
"""

FLOORS: dict[str, str] = {  # the same answers from the raw table: deduplicated, attributes parsed
    "events.count 1h": """SELECT toStartOfHour(occurred_at) AS t, count() FROM (SELECT occurred_at FROM {db}.events_raw
        WHERE tenant_id = 't_1' AND occurred_at >= {{start:DateTime64(3)}} AND occurred_at < {{end:DateTime64(3)}} AND event_name = 'voice.turn_started'
        LIMIT 1 BY tenant_id, event_id) GROUP BY t ORDER BY t""",
    "first_response p95 1h": """SELECT toStartOfHour(occurred_at) AS t, quantileExact(0.95)(JSONExtractFloat(attributes, 'voice.first_response_ms'))
        FROM (SELECT occurred_at, attributes FROM {db}.events_raw WHERE tenant_id = 't_1' AND occurred_at >= {{start:DateTime64(3)}}
        AND occurred_at < {{end:DateTime64(3)}} AND event_name = 'voice.first_response' LIMIT 1 BY tenant_id, event_id) GROUP BY t ORDER BY t""",
    "first_response sla": """SELECT count(), quantilesExact(0.5, 0.95, 0.99)(JSONExtractFloat(attributes, 'voice.first_response_ms'))
        FROM (SELECT attributes FROM {db}.events_raw WHERE tenant_id = 't_1' AND occurred_at >= {{start:DateTime64(3)}}
        AND occurred_at < {{end:DateTime64(3)}} AND event_name = 'voice.first_response' LIMIT 1 BY tenant_id, event_id)""",
    "tool success rate 1d": """SELECT toStartOfDay(occurred_at) AS t, avg(JSONExtractBool(attributes, 'tool.success'))
        FROM (SELECT occurred_at, attributes FROM {db}.events_raw WHERE tenant_id = 't_1' AND occurred_at >= {{start:DateTime64(3)}}
        AND occurred_at < {{end:DateTime64(3)}} AND event_name = 'ai.tool_call_completed' LIMIT 1 BY tenant_id, event_id) GROUP BY t ORDER BY t""",
    "top tools": """SELECT JSONExtractString(attributes, 'tool.name') AS k, count() AS c FROM (SELECT attributes FROM {db}.events_raw
        WHERE tenant_id = 't_1' AND occurred_at >= {{start:DateTime64(3)}} AND occurred_at < {{end:DateTime64(3)}}
        AND event_name = 'ai.tool_call_completed' LIMIT 1 BY tenant_id, event_id) GROUP BY k ORDER BY c DESC LIMIT 10""",
    "checkout funnel": """SELECT level, count() FROM (SELECT session_id, windowFunnel(3600000)(toUInt64(toUnixTimestamp64Milli(occurred_at)),
        event_name = 'commerce.view', event_name = 'commerce.add_to_cart', event_name = 'commerce.checkout', event_name = 'commerce.order_placed') AS level
        FROM (SELECT session_id, occurred_at, event_name FROM {db}.events_raw WHERE tenant_id = 't_1' AND occurred_at >= {{start:DateTime64(3)}}
        AND occurred_at < {{end:DateTime64(3)}} AND event_name LIKE 'commerce.%' LIMIT 1 BY tenant_id, event_id) GROUP BY session_id) GROUP BY level""",
}


def report_calls(start: str, end: str) -> dict[str, tuple[str, dict[str, Any]]]:
    window = {"from": start, "to": end}
    return {
        "events.count 1h": ("timeseries", {"metric": "events.count", "grain": "1h", "filters": {"event_name": "voice.turn_started"}, **window}),
        "first_response p95 1h": ("timeseries", {"metric": "voice.first_response_ms.p95", "grain": "1h", **window}),
        "first_response sla": ("sla", {"metric": "voice.first_response_ms", **window}),
        "tool success rate 1d": ("timeseries", {"metric": "ai.tool_calls.success_rate", "grain": "1d", **window}),
        "top tools": ("topn", {"metric": "tools", "n": 10, **window}),
        "checkout funnel": ("funnel", {"steps": ["commerce.view", "commerce.add_to_cart", "commerce.checkout", "commerce.order_placed"], "window": 3600, **window}),
    }  # fmt: skip


def timed(call: Callable[[], object], runs: int) -> list[float]:
    call()  # warm up
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def load(settings: Settings, events: int, tenants: int) -> float:
    client = connect(settings, send_receive_timeout=3600)
    started = time.perf_counter()
    chunk = 1_000_000
    for offset in range(0, events, chunk):
        client.command(
            GENERATE_SQL.format(
                db=settings.database, tenants=tenants, offset=offset, count=min(chunk, events - offset),
                steps=json.dumps(SESSION_STEPS).replace('"', "'"), tools=json.dumps(TOOLS).replace('"', "'"), tool_count=len(TOOLS),
            )
        )  # fmt: skip
    return time.perf_counter() - started


def dbt(settings: Settings, workdir: Path, *args: str) -> float:
    """Seconds one dbt command took on the benchmark's database."""
    started = time.perf_counter()
    result = Dbt(settings, workdir, timeout=3600)(*args)
    if result.returncode != 0:
        raise RuntimeError(failed(result))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--tenants", type=int, default=5)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, embedded_warehouse(Path(tmp) / "wh") as (url, _):
        settings = load_settings(
            {
                "EVENTHOUSE_CLICKHOUSE_URL": url,
                "EVENTHOUSE_DATA_DIR": tmp,
                "EVENTHOUSE_REPORT_CACHE_SECONDS": "0",
            }
        )
        migrate(connect(settings), settings)
        dbt(settings, Path(tmp), "run")  # the live rollups exist before the events arrive
        loaded = load(settings, args.events, args.tenants)
        now = dt.datetime.now(dt.UTC)
        backfill = json.dumps(
            {
                "start": (now - dt.timedelta(days=91)).date().isoformat(),
                "end": (now + dt.timedelta(days=1)).date().isoformat(),
            }
        )
        built = dbt(settings, Path(tmp), "run", "--vars", backfill)
        key = create_tenant(connect(settings), settings.database, "bench", tenant_id="t_1")["read_key"]
        print(
            f"reports benchmark: {args.events:,} events over 90 days, {args.tenants} tenants; loaded in {loaded:.0f} s, marts built in {built:.0f} s"
        )
        env = {
            "EVENTHOUSE_CLICKHOUSE_URL": url,
            "EVENTHOUSE_DATA_DIR": tmp,
            "EVENTHOUSE_REPORT_CACHE_SECONDS": "0",
            "EVENTHOUSE_ACCESS_LOG": "0",
        }
        raw = connect(settings, send_receive_timeout=600)
        with (
            api_server(env, Path(tmp)) as (api_url, _),
            httpx.Client(base_url=f"{api_url}/api/v1/analytics/reports", timeout=120) as api,
        ):
            headers = {"Authorization": f"Bearer {key}"}
            print(f"{'report':24} {'range':>5} {'p50 ms':>8} {'p95 ms':>8} | {'floor p50':>10} {'ratio':>6}")
            for days in (1, 90):
                start, end = now - dt.timedelta(days=days), now
                calls = report_calls(start.isoformat(), end.isoformat())
                for name, (path, body) in calls.items():

                    def call(path: str = path, body: dict[str, Any] = body) -> None:
                        api.post(f"/{path}", json=body, headers=headers).raise_for_status()

                    report = timed(call, args.runs)

                    scan = functools.partial(
                        raw.query,
                        FLOORS[name].format(db=settings.database),
                        parameters={"start": start, "end": end},
                    )
                    floor = timed(scan, max(3, args.runs // 3))
                    print(
                        f"{name:24} {days:>4}d {pct(report, 50):8.1f} {pct(report, 95):8.1f} | {statistics.median(floor):10.1f} {pct(report, 50) / statistics.median(floor):6.3f}"
                    )


if __name__ == "__main__":
    main()
