"""The ingestion API end to end: real HTTP against `eventhouse api` and the embedded warehouse."""

from __future__ import annotations

import gzip
import json
import uuid

import brotli
import httpx
import pytest
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings
from ingest_api.tenants import create_tenant
from tests.integration.conftest import stored_ids
from tests.support.events import voice_first_response
from tests.support.processes import Service, tree_peak_rss_kb


def _post(
    api: httpx.Client, key: str, body: object, path: str = "/api/v1/analytics/events", **kwargs: object
) -> httpx.Response:
    return api.post(path, json=body, headers={"Authorization": f"Bearer {key}"}, **kwargs)  # type: ignore[arg-type]


def test_the_same_batch_twice_is_stored_once(
    api: httpx.Client, ch: Client, migrated: Settings, tenant: dict[str, str]
) -> None:
    events = [voice_first_response(ms=100 + i) for i in range(20)]
    batch = {"events": events, "batch_id": str(uuid.uuid4())}
    first = _post(api, tenant["write_key"], batch, "/api/v1/analytics/events/batch")
    second = _post(api, tenant["write_key"], batch, "/api/v1/analytics/events/batch")
    assert first.status_code == second.status_code == 200
    assert first.json() == {"accepted": 20, "duplicates": 0, "dropped": 0, "rejected": []}
    assert second.json() == {"accepted": 0, "duplicates": 20, "dropped": 0, "rejected": []}
    assert stored_ids(ch, migrated, tenant["tenant_id"]) == sorted(e["event_id"] for e in events)


def test_a_mixed_batch_gets_an_exact_receipt(
    api: httpx.Client, ch: Client, migrated: Settings, tenant: dict[str, str]
) -> None:
    good = voice_first_response()
    invalid = voice_first_response(attributes={"voice.first_response_ms": -5})
    no_consent = voice_first_response(context={"consent": {"analytics": False}})
    response = _post(api, tenant["write_key"], {"events": [good, invalid, dict(good), no_consent]})
    receipt = response.json()
    assert receipt["accepted"] == 1 and receipt["duplicates"] == 1 and receipt["dropped"] == 1
    assert [r["index"] for r in receipt["rejected"]] == [1]
    assert receipt["rejected"][0]["event_id"] == invalid["event_id"]
    assert receipt["rejected"][0]["errors"][0]["path"] == "/attributes/voice.first_response_ms"
    assert stored_ids(ch, migrated, tenant["tenant_id"]) == [good["event_id"]]
    rejected = ch.query(
        f"SELECT event_id, error_paths, payload FROM {migrated.database}.events_rejected WHERE tenant_id = {{t:String}}",
        parameters={"t": tenant["tenant_id"]},
    ).result_rows
    assert [(r[0], r[1]) for r in rejected] == [
        (invalid["event_id"], ["/attributes/voice.first_response_ms"])
    ]
    assert json.loads(rejected[0][2])["event_id"] == invalid["event_id"]


def test_personal_data_never_reaches_the_raw_table(
    api: httpx.Client, ch: Client, migrated: Settings, tenant: dict[str, str]
) -> None:
    event = {
        **voice_first_response(),
        "event_name": "kb.search",
        "attributes": {
            "kb.query": "call me at +1 (415) 555-0133 or mail jane.doe@example.com",
            "kb.results_count": 2,
            "kb.latency_ms": 40,
        },
    }
    response = _post(api, tenant["write_key"], event)
    assert response.json()["accepted"] == 1, response.text
    stored = ch.command(
        f"SELECT attributes FROM {migrated.database}.events_raw WHERE event_id = {{id:UUID}}",
        parameters={"id": event["event_id"]},
    )
    assert "jane.doe@example.com" not in stored and "555-0133" not in stored
    assert "kb.query" in stored


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_compressed_bodies(api: httpx.Client, tenant: dict[str, str], coding: str) -> None:
    body = json.dumps({"events": [voice_first_response() for _ in range(100)]}).encode()
    packed = gzip.compress(body) if coding == "gzip" else brotli.compress(body)
    response = api.post(
        "/api/v1/analytics/events",
        content=packed,
        headers={
            "Authorization": f"Bearer {tenant['write_key']}",
            "Content-Encoding": coding,
            "Content-Type": "application/json",
        },
    )
    assert response.json()["accepted"] == 100


def test_a_decompression_bomb_is_refused_without_a_memory_blow_up(
    api: httpx.Client, api_process: tuple[str, Service], tenant: dict[str, str]
) -> None:
    bomb = gzip.compress(b"[" + b" " * 400_000_000 + b"]", compresslevel=9)
    assert len(bomb) < 500_000
    service = api_process[1]
    assert service.process is not None
    peak_before = tree_peak_rss_kb(service.process.pid)
    response = api.post(
        "/api/v1/analytics/events",
        content=bomb,
        headers={
            "Authorization": f"Bearer {tenant['write_key']}",
            "Content-Encoding": "gzip",
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert tree_peak_rss_kb(service.process.pid) - peak_before < 64_000  # kB: the 400 MB never materialised


def test_request_level_errors_are_problem_details(
    api: httpx.Client, tenant: dict[str, str], ch: Client, migrated: Settings
) -> None:
    too_many = _post(api, tenant["write_key"], {"events": [voice_first_response() for _ in range(501)]})
    assert too_many.status_code == 413 and too_many.json()["type"].endswith("/too-many-events")
    assert _post(api, "ehw_not-a-real-key", voice_first_response()).status_code == 401
    assert api.post("/api/v1/analytics/events", json=voice_first_response()).status_code == 401
    read_key = _post(api, tenant["read_key"], voice_first_response())
    assert read_key.status_code == 403 and read_key.json()["type"].endswith("/wrong-key-kind")
    unparsable = api.post(
        "/api/v1/analytics/events",
        content=b"{nope",
        headers={"Authorization": f"Bearer {tenant['write_key']}"},
    )
    assert unparsable.status_code == 400 and unparsable.headers["content-type"].startswith(
        "application/problem+json"
    )
    snappy = api.post(
        "/api/v1/analytics/events",
        content=b"{}",
        headers={"Authorization": f"Bearer {tenant['write_key']}", "Content-Encoding": "snappy"},
    )
    assert snappy.status_code == 415
    assert stored_ids(ch, migrated, tenant["tenant_id"]) == []


def test_a_key_only_writes_its_own_tenant(
    api: httpx.Client, ch: Client, migrated: Settings, tenant: dict[str, str]
) -> None:
    other = create_tenant(ch, migrated.database, "Other")
    receipt = _post(api, tenant["write_key"], voice_first_response(tenant_id=other["tenant_id"])).json()
    assert receipt["accepted"] == 0
    assert receipt["rejected"][0]["errors"][0]["path"] == "/tenant_id"
    assert stored_ids(ch, migrated, other["tenant_id"]) == []


def test_the_key_may_come_as_query_parameter_header_or_body_field(
    api: httpx.Client, tenant: dict[str, str]
) -> None:
    key = tenant["write_key"]
    assert (
        api.post("/api/v1/analytics/events", params={"key": key}, json=voice_first_response()).json()[
            "accepted"
        ]
        == 1
    )
    assert (
        api.post("/api/v1/analytics/events", headers={"X-API-Key": key}, json=voice_first_response()).json()[
            "accepted"
        ]
        == 1
    )
    beacon = json.dumps({"events": [voice_first_response()], "write_key": key})
    response = api.post(
        "/api/v1/analytics/events", content=beacon, headers={"Content-Type": "text/plain;charset=UTF-8"}
    )
    assert response.json()["accepted"] == 1


def test_cors_preflight_follows_the_keys_origins(api: httpx.Client, ch: Client, migrated: Settings) -> None:
    site = create_tenant(ch, migrated.database, "Shop", origins=["https://shop.example"])
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = api.options(
        "/api/v1/analytics/events",
        params={"key": site["write_key"]},
        headers={"Origin": "https://shop.example", **preflight},
    )
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]
    refused = api.options(
        "/api/v1/analytics/events",
        params={"key": site["write_key"]},
        headers={"Origin": "https://evil.example", **preflight},
    )
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused.headers
    post = api.post(
        "/api/v1/analytics/events",
        params={"key": site["write_key"]},
        json=voice_first_response(),
        headers={"Origin": "https://evil.example"},
    )
    assert post.status_code == 403
    ok = api.post(
        "/api/v1/analytics/events",
        params={"key": site["write_key"]},
        json=voice_first_response(),
        headers={"Origin": "https://shop.example"},
    )
    assert ok.status_code == 200 and ok.headers["Access-Control-Allow-Origin"] == "https://shop.example"


def test_the_widget_tracker_batch_is_mapped_onto_the_envelope(
    api: httpx.Client, ch: Client, migrated: Settings, tenant: dict[str, str]
) -> None:
    tracker_event = {
        "event_type": "widget_impression",
        "occurred_at": voice_first_response()["occurred_at"],
        "session_id": "s_abc123",
        "visitor_id": "v_xyz789",
        "page_url": "https://click-or-die.example/post/123?email=a@b.example",
        "page_path": "/post/123",
        "properties": {
            "mapping_id": 456,
            "post_id": 123,
            "widget_index": 0,
            "device_slug": "iphone-15-pro",
            "viewport_percent": 100,
        },
    }
    body = {"events": [tracker_event]}
    first = api.post(
        "/v1/events",
        params={"key": tenant["write_key"]},
        content=json.dumps(body),
        headers={"Content-Type": "text/plain"},
    )
    again = api.post(
        "/v1/events",
        params={"key": tenant["write_key"]},
        content=json.dumps(body),
        headers={"Content-Type": "text/plain"},
    )
    assert first.json()["accepted"] == 1, first.json()
    assert again.json()["duplicates"] == 1
    row = ch.query(
        f"SELECT event_name, user_id, attributes, context FROM {migrated.database}.events_raw WHERE tenant_id = {{t:String}}",
        parameters={"t": tenant["tenant_id"]},
    ).result_rows[0]
    assert row[0] == "widget_impression" and row[1] == "v_xyz789"
    assert json.loads(row[2])["widget.mapping_id"] == 456
    assert "email" not in row[3] and "/post/123" in row[3]


def test_the_openapi_document_lists_the_endpoints(api: httpx.Client) -> None:
    paths = api.get("/schema/openapi.json").json()["paths"]
    assert {
        "/api/v1/analytics/events",
        "/api/v1/analytics/events/batch",
        "/api/analytics/events",
        "/v1/events",
    } <= set(paths)
