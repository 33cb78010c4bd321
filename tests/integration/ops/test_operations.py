"""Operations: metrics that move, JSON stats, Iglu-style schemas, request ids, graceful SIGTERM,
and OpenTelemetry traces exported over OTLP/HTTP."""

from __future__ import annotations

import concurrent.futures
import http.server
import re
import signal
import threading
import time
from collections.abc import Iterator
from typing import ClassVar

import httpx
import pytest
from clickhouse_connect.driver.client import Client
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from eventhouse.settings import Settings
from tests.integration.conftest import api_env, stored_ids
from tests.support.events import voice_first_response
from tests.support.processes import api_server, free_port


def _metric(text: str, name: str, labels: str = "") -> float:
    pattern = re.escape(name) + (r"\{" + re.escape(labels) + r"\}" if labels else "") + r" ([0-9.e+-]+)"
    match = re.search(pattern, text)
    return float(match.group(1)) if match else 0.0


def test_metrics_and_stats_move_when_events_flow(api: httpx.Client, tenant: dict[str, str]) -> None:
    before = api.get("/metrics").text
    good = voice_first_response()
    bad = voice_first_response(attributes={"voice.first_response_ms": "slow"})
    api.post(
        "/api/v1/analytics/events",
        json={"events": [good, bad, dict(good)]},
        params={"key": tenant["write_key"]},
    )
    after = api.get("/metrics").text
    assert (
        _metric(after, "eventhouse_events_total", 'outcome="accepted"')
        == _metric(before, "eventhouse_events_total", 'outcome="accepted"') + 1
    )
    assert (
        _metric(after, "eventhouse_dedupe_hits_total") >= _metric(before, "eventhouse_dedupe_hits_total") + 1
    )
    schema = 'schema="iglu:dev.eventhouse.voice/voice_first_response/jsonschema/1-0-0"'
    assert (
        _metric(after, "eventhouse_validation_failures_total", schema)
        == _metric(before, "eventhouse_validation_failures_total", schema) + 1
    )
    assert _metric(after, "eventhouse_request_events_count") > _metric(
        before, "eventhouse_request_events_count"
    )
    assert _metric(after, "eventhouse_insert_rows_count") > _metric(before, "eventhouse_insert_rows_count")
    for name in (
        "eventhouse_insert_seconds_count",
        "eventhouse_queue_rows",
        "eventhouse_spool_bytes",
        "eventhouse_spool_oldest_age_seconds",
        "eventhouse_replay_errors_total",
        "eventhouse_http_requests_total",
    ):
        assert name in after, name
    stats = api.get("/api/v1/analytics/stats").json()
    assert stats["events"]["accepted"] >= 1 and stats["events"]["rejected"] >= 1
    assert stats["warehouse"]["reachable"] is True and stats["spool"]["bytes"] == 0


def test_health_readiness_schemas_and_request_ids(api: httpx.Client) -> None:
    assert api.get("/api/v1/analytics/health").json() == {"status": "ok"}
    ready = api.get("/api/v1/analytics/events/health")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    uris = api.get("/api/v1/analytics/schemas").json()
    assert "iglu:dev.eventhouse.voice/voice_first_response/jsonschema/1-0-0" in uris
    schema = api.get(
        "/api/v1/analytics/schemas/dev.eventhouse.voice/voice_first_response/jsonschema/1-0-0"
    ).json()
    assert schema["self"]["name"] == "voice_first_response"
    assert api.get("/api/v1/analytics/schemas/dev.eventhouse.voice/nope/jsonschema/1-0-0").status_code == 404
    assert (
        api.get("/api/v1/analytics/health", headers={"X-Request-Id": "req-123"}).headers["X-Request-Id"]
        == "req-123"
    )
    assert len(api.get("/api/v1/analytics/health").headers["X-Request-Id"]) == 32


def test_sigterm_drains_the_group_commit_buffer(
    ch: Client, migrated: Settings, tenant: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    env = api_env(migrated, EVENTHOUSE_BATCH_MAX_WAIT_MS="1500")  # rows sit in the buffer for 1.5 s
    event = voice_first_response()
    with (
        api_server(env, tmp_path_factory.mktemp("drain")) as (url, service),
        concurrent.futures.ThreadPoolExecutor(1) as pool,
    ):
        pending = pool.submit(
            httpx.post,
            f"{url}/api/v1/analytics/events",
            json=event,
            params={"key": tenant["write_key"]},
            timeout=30,
        )
        time.sleep(0.5)
        assert service.stop(signal.SIGTERM) == 0
        assert pending.result().json()["accepted"] == 1
    assert event["event_id"] in stored_ids(ch, migrated, tenant["tenant_id"])


class _Collector(http.server.BaseHTTPRequestHandler):
    spans: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = ExportTraceServiceRequest.FromString(body)
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                _Collector.spans.extend(span.name for span in scope.spans)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def otlp_collector() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Collector.spans = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_traces_are_exported_when_an_otlp_endpoint_is_configured(
    migrated: Settings, tenant: dict[str, str], otlp_collector: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    env = api_env(migrated, EVENTHOUSE_OTLP_ENDPOINT=otlp_collector, OTEL_BSP_SCHEDULE_DELAY="100")
    with api_server(env, tmp_path_factory.mktemp("otel")) as (url, _):
        httpx.post(
            f"{url}/api/v1/analytics/events", json=voice_first_response(), params={"key": tenant["write_key"]}
        )
        deadline = time.monotonic() + 20
        while not {"validate", "insert"} <= set(_Collector.spans) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert {"validate", "insert"} <= set(_Collector.spans), _Collector.spans
    assert any("POST" in name and "/api/v1/analytics/events" in name for name in _Collector.spans), (
        _Collector.spans
    )
