"""Keys from the CLI, the per-tenant rate limit, and the WebSocket endpoint."""

from __future__ import annotations

import json
import subprocess
import time

import httpx
import pytest
from clickhouse_connect.driver.client import Client
from httpx_ws import connect_ws

from eventhouse.settings import Settings
from ingest_api.tenants import create_tenant
from tests.integration.conftest import api_env
from tests.support.events import voice_first_response
from tests.support.processes import api_server, eventhouse_command


def _cli(settings: Settings, *args: str) -> str:
    env = {"PATH": "/usr/bin:/bin", **api_env(settings)}
    return subprocess.run(
        eventhouse_command(*args), env=env, check=True, capture_output=True, text=True
    ).stdout


def _status(api: httpx.Client, key: str) -> int:
    return api.post(
        "/api/v1/analytics/events", json=voice_first_response(), headers={"Authorization": f"Bearer {key}"}
    ).status_code


def test_tenants_create_rotate_and_revoke_from_the_cli(api: httpx.Client, migrated: Settings) -> None:
    created = json.loads(
        _cli(migrated, "tenants", "create", "Cli Co", "--origin", "https://cli.example", "--json")
    )
    assert set(created) == {"tenant_id", "tenant_name", "write_key", "read_key"}
    assert created["write_key"].startswith("ehw_") and created["read_key"].startswith("ehr_")
    assert _status(api, created["write_key"]) == 200
    rotated = json.loads(_cli(migrated, "keys", "rotate", created["tenant_id"], "--json"))["write_key"]
    assert rotated != created["write_key"]
    assert _status(api, rotated) == 200
    _cli(migrated, "keys", "revoke", rotated[:8])
    deadline = time.monotonic() + 10
    while _status(api, rotated) != 401 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _status(api, rotated) == 401
    assert _status(api, created["write_key"]) == 401


def test_keys_are_stored_hashed(ch: Client, migrated: Settings, tenant: dict[str, str]) -> None:
    stored = ch.query(
        f"SELECT key_hash, key_prefix FROM {migrated.database}.api_keys WHERE tenant_id = {{t:String}}",
        parameters={"t": tenant["tenant_id"]},
    )
    texts = [str(cell) for row in stored.result_rows for cell in row]
    assert texts and not any(tenant["write_key"] in t or tenant["read_key"] in t for t in texts)


def test_the_rate_limit_answers_429_with_retry_after(
    ch: Client, migrated: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    limited = create_tenant(ch, migrated.database, "Busy")
    other = create_tenant(ch, migrated.database, "Calm")
    env = api_env(migrated, EVENTHOUSE_RATE_LIMIT="3/minute")
    with api_server(env, tmp_path_factory.mktemp("limited")) as (url, _), httpx.Client(base_url=url) as api:
        codes = [_status(api, limited["write_key"]) for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        refused = api.post(
            "/api/v1/analytics/events", json=voice_first_response(), params={"key": limited["write_key"]}
        )
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert _status(api, other["write_key"]) == 200  # the limit is per tenant


def test_the_websocket_gives_the_same_receipts_as_http(
    api_url: str, api: httpx.Client, tenant: dict[str, str]
) -> None:
    good, invalid = (
        voice_first_response(),
        voice_first_response(attributes={"voice.first_response_ms": "fast"}),
    )
    batches = [{"events": [good, invalid]}, {"events": [good]}, {"events": []}]
    ws_url = api_url.replace("http://", "ws://") + "/api/v1/analytics/events/ws"
    with connect_ws(
        ws_url, httpx.Client(), headers={"Authorization": f"Bearer {tenant['write_key']}"}
    ) as socket:
        socket_replies = []
        for batch in batches:
            socket.send_text(json.dumps(batch))
            socket_replies.append(json.loads(socket.receive_text()))
    # the same batches over HTTP, as retries: everything that was accepted is now a duplicate
    http_replies = [
        api.post("/api/v1/analytics/events", json=b, params={"key": tenant["write_key"]}).json()
        for b in batches
    ]
    assert socket_replies[0] == {**http_replies[0], "accepted": 1, "duplicates": 0}
    assert http_replies[0]["duplicates"] == 1 and http_replies[0]["rejected"] == socket_replies[0]["rejected"]
    assert (
        socket_replies[1] == http_replies[1] == {"accepted": 0, "duplicates": 1, "dropped": 0, "rejected": []}
    )
    assert socket_replies[2]["status"] == http_replies[2]["status"] == 400


def test_the_websocket_refuses_a_bad_key(api_url: str) -> None:
    ws_url = api_url.replace("http://", "ws://") + "/api/v1/analytics/events/ws?key=ehw_nope"
    with connect_ws(ws_url, httpx.Client()) as socket:
        assert json.loads(socket.receive_text())["status"] == 401
