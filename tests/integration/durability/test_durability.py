"""Nothing acknowledged is ever lost, nothing is stored twice: outages, crashes, corrupt spools."""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import time
from pathlib import Path

import httpx
import msgspec

from ingest_api.spool.records import SpooledInsert, encode_record
from schemas.policy import ContractPolicy, ServerContext
from schemas.prepare import PreparedEvent, prepare_event
from schemas.registry import default_registry
from tests.integration.durability.conftest import Load, Platform, wait_until_replayed
from tests.support.events import voice_first_response
from tests.support.processes import api_server, kill_tree
from warehouse.raw_event import RAW_EVENT_COLUMNS


def _assert_exactly_once(platform: Platform, acknowledged: list[str]) -> None:
    stored = platform.stored_counts()
    missing = [e for e in acknowledged if e not in stored]
    doubled = {e: n for e, n in stored.items() if n > 1}
    assert not missing, f"{len(missing)} acknowledged events missing"
    assert not doubled, f"{len(doubled)} events stored more than once"


def test_a_warehouse_outage_is_absorbed_by_the_spool(platform: Platform) -> None:
    with contextlib.ExitStack() as stack:
        _, warehouse = stack.enter_context(platform.warehouse())
        api_url, _ = stack.enter_context(api_server(platform.env(), platform.root))
        with Load(api_url, platform.write_key) as load:
            load.wait_for(200)
            warehouse.stop()  # SIGTERM mid-stream
            load.wait_for(400)  # acknowledged while the warehouse is gone: into the spool
            down = httpx.get(f"{api_url}/api/v1/analytics/events/health")
            assert down.status_code == 503 and down.json()["spool"]["bytes"] > 0
            stack.enter_context(platform.warehouse())
            load.wait_for(200)
        state = wait_until_replayed(api_url)
        assert state["replay"]["replayed"] > 0
        _assert_exactly_once(platform, load.acknowledged)
    assert set(load.statuses) == {200}, load.statuses


def test_kill_9_under_load_then_restart_loses_nothing_acknowledged(platform: Platform) -> None:
    with contextlib.ExitStack() as stack:
        _, warehouse = stack.enter_context(platform.warehouse())
        api_url, api = stack.enter_context(api_server(platform.env(), platform.root))
        with Load(api_url, platform.write_key) as load:
            load.wait_for(300)
            warehouse.stop()
            load.wait_for(300)  # the warehouse is down: these are only in the spool
            kill_tree(api)  # crash at an arbitrary moment of the load
    acknowledged = list(load.acknowledged)
    with platform.warehouse(), api_server(platform.env(), platform.root) as (api_url, _):
        wait_until_replayed(api_url)
        _assert_exactly_once(platform, acknowledged)


def test_a_corrupt_spool_tail_is_reported_and_kept_aside(platform: Platform) -> None:
    good = [voice_first_response() for _ in range(3)]
    segment_dir = Path(platform.settings.spool_dir) / "segments"
    segment_dir.mkdir(parents=True)
    records = b"".join(encode_record(_spooled(platform, event)) for event in good)
    torn = encode_record(_spooled(platform, voice_first_response()))[:-7]
    (segment_dir / f"{1:012d}-{int(time.time() * 1000)}.seg").write_bytes(records + torn + b"garbage")
    with platform.warehouse(), api_server(platform.env(), platform.root) as (api_url, _):
        state = wait_until_replayed(api_url)
        (report,) = state["spool"]["bad_tails"]
        assert report["offset"] == len(records) and report["reason"] in (
            "torn record payload",
            "checksum mismatch",
        )
        assert Path(report["kept_at"]).read_bytes() == torn + b"garbage"
        assert sorted(platform.stored_counts()) == sorted(e["event_id"] for e in good)


def test_a_full_spool_answers_503_and_loses_nothing_acknowledged(platform: Platform) -> None:
    with contextlib.ExitStack() as stack:
        _, warehouse = stack.enter_context(platform.warehouse())
        api_url, _ = stack.enter_context(
            api_server(platform.env(EVENTHOUSE_SPOOL_MAX_BYTES="60000"), platform.root)
        )
        warehouse.stop()
        with Load(api_url, platform.write_key, threads=2) as load:
            deadline = time.monotonic() + 60
            while load.statuses.get(503, 0) == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
        batch = {"events": [voice_first_response() for _ in range(100)]}  # larger than any room left
        refused = httpx.post(
            f"{api_url}/api/v1/analytics/events", json=batch, params={"key": platform.write_key}
        )
        assert refused.status_code == 503 and int(refused.headers["Retry-After"]) > 0
        assert refused.json()["type"].endswith("/not-durable")
        assert load.count() > 0
        stack.enter_context(platform.warehouse())
        wait_until_replayed(api_url)
        _assert_exactly_once(platform, load.acknowledged)
        accepted = httpx.post(
            f"{api_url}/api/v1/analytics/events",
            json=voice_first_response(),
            params={"key": platform.write_key},
        )
        assert accepted.status_code == 200


def _spooled(platform: Platform, event: dict) -> SpooledInsert:
    """The spool record the API would have written for one accepted event."""
    context = ServerContext(tenant_id=platform.tenant_id, received_at=dt.datetime.now(dt.UTC))
    prepared = prepare_event(event, context, ContractPolicy(), default_registry())
    assert isinstance(prepared, PreparedEvent)
    row = list(msgspec.structs.astuple(prepared.row))
    return SpooledInsert("eventhouse.events_raw", list(RAW_EVENT_COLUMNS), [row], f"test-{event['event_id']}")


def test_backpressure_answers_503_instead_of_queueing_without_bound(platform: Platform) -> None:
    env = platform.env(EVENTHOUSE_MAX_PENDING_ROWS="50", EVENTHOUSE_BATCH_MAX_WAIT_MS="1000")
    with platform.warehouse(), api_server(env, platform.root) as (api_url, _):
        key = {"key": platform.write_key}
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            waiting = pool.submit(
                httpx.post,
                f"{api_url}/api/v1/analytics/events",
                json={"events": [voice_first_response() for _ in range(40)]},
                params=key,
                timeout=30,
            )
            time.sleep(0.3)  # the first 40 rows wait in the buffer for a second
            refused = httpx.post(
                f"{api_url}/api/v1/analytics/events",
                json={"events": [voice_first_response() for _ in range(20)]},
                params=key,
            )
            assert refused.status_code == 503 and refused.json()["type"].endswith("/overloaded")
            assert int(refused.headers["Retry-After"]) > 0
            assert waiting.result().json()["accepted"] == 40
        assert (
            httpx.post(
                f"{api_url}/api/v1/analytics/events",
                json={"events": [voice_first_response() for _ in range(20)]},
                params=key,
            ).status_code
            == 200
        )
