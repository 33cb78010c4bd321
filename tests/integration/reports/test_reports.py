"""The report API end to end: generated events (duplicates, late and shuffled), real dbt marts, real
HTTP; every number compared with an independent Python computation over the same events."""

from __future__ import annotations

import collections
import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings
from ingest_api.tenants import create_tenant
from tests.integration.conftest import api_env
from tests.support.dbt import Dbt, failed
from tests.support.events import voice_first_response
from tests.support.processes import api_server
from tests.support.synthetic import Dataset, Spec, Truth, bucket, exact_quantile, generate, insert_rows
from warehouse.migrate import migrate

WAVES = ("initial", "late")


@pytest.fixture(scope="module")
def reports_settings(ch: Client, migrated: Settings) -> Settings:
    """A database of its own: other tests of the session write events into the shared one."""
    settings = dataclasses.replace(migrated, database=f"{migrated.database}_reports")
    migrate(ch, settings)
    return settings


@pytest.fixture(scope="module")
def reports_api(reports_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with api_server(api_env(reports_settings), tmp_path_factory.mktemp("reports-api")) as (url, _):
        yield url


@dataclasses.dataclass(frozen=True)
class World:
    data: Dataset
    truth: Truth
    raw: Truth  # every stored row, duplicates included (what the live rollups count)
    keys: dict[str, str]  # tenant id -> read key
    write_key: str
    start: dt.datetime
    end: dt.datetime


@pytest.fixture(scope="module")
def world(ch: Client, reports_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> World:
    migrated = reports_settings
    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    data = generate(Spec(end=now, hours=50, tenants=2, sites_per_tenant=2, sessions_per_site=250, seed=11))
    rows = data.rows(*WAVES)
    dbt = Dbt(migrated, tmp_path_factory.mktemp("dbt-reports"))
    for step in ("before", "after"):  # as in production: the live rollups exist before events arrive
        if step == "after":
            insert_rows(ch, migrated.database, rows)
        result = dbt("run")
        assert result.returncode == 0, failed(result)
    keys = {t: create_tenant(ch, migrated.database, t, tenant_id=t)["read_key"] for t in ("t_1", "t_2")}
    write_key = create_tenant(ch, migrated.database, "writer", tenant_id="t_1")["write_key"]
    # every stored copy, duplicates included, at its own occurred_at: what the live rollups count
    by_key = {(e.tenant_id, e.event_id): e for e in data.truth(*WAVES).events}
    copies = [dataclasses.replace(by_key[(r.tenant_id, r.event_id)], occurred_at=r.occurred_at) for r in rows]
    return World(data, data.truth(*WAVES), Truth(copies), keys, write_key, now - dt.timedelta(hours=50), now)


@pytest.fixture
def reports(reports_api: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{reports_api}/api/v1/analytics/reports", timeout=60) as client:
        yield client


def _post(client: httpx.Client, path: str, key: str, body: dict[str, Any], **kwargs: Any) -> httpx.Response:
    return client.post(path, json=body, headers={"Authorization": f"Bearer {key}"}, **kwargs)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _series(world: World, grain: str, counter: collections.Counter[dt.datetime]) -> list[dict[str, Any]]:
    seconds = {"5m": 300, "1h": 3600, "1d": 86400}[grain]
    first = world.start - dt.timedelta(seconds=world.start.timestamp() % seconds)
    points = []
    t = first
    while t < world.end:
        points.append({"t": _iso(t), "value": counter.get(t)})
        t += dt.timedelta(seconds=seconds)
    return points


def _floor(moment: dt.datetime, seconds: int) -> dt.datetime:
    whole = moment.replace(microsecond=0)
    return whole - dt.timedelta(seconds=int(whole.timestamp()) % seconds)


@pytest.mark.parametrize("grain", ["1h", "1d"])
def test_event_counts_from_the_batch_marts_are_exact(world: World, reports: httpx.Client, grain: str) -> None:
    seconds = {"1h": 3600, "1d": 86400}[grain]
    for tenant in ("t_1", "t_2"):
        expected = collections.Counter(
            _floor(e.occurred_at, seconds)
            for e in world.truth.events
            if e.tenant_id == tenant and e.event_name == "voice.turn_started"
        )
        body = {
            "metric": "events.count",
            "from": _iso(world.start),
            "to": _iso(world.end),
            "grain": grain,
            "filters": {"event_name": "voice.turn_started"},
        }
        answer = _post(reports, "/timeseries", world.keys[tenant], body).json()["data"]
        assert answer == [{"t": p["t"], "value": p["value"]} for p in _series(world, grain, expected)]


def test_live_five_minute_counts_count_every_stored_row(world: World, reports: httpx.Client) -> None:
    """1m/5m come from the live rollups: exact unless a duplicate slipped past ingest (these did)."""
    expected = collections.Counter(
        _floor(e.occurred_at, 300) for e in world.raw.events if e.tenant_id == "t_1"
    )
    body = {"metric": "events.count", "from": _iso(world.start), "to": _iso(world.end), "grain": "5m"}
    assert _post(reports, "/timeseries", world.keys["t_1"], body).json()["data"] == _series(
        world, "5m", expected
    )


def test_site_filter_and_unique_users(world: World, reports: httpx.Client) -> None:
    site = "s_1_2"
    expected: dict[dt.datetime, set[str]] = collections.defaultdict(set)
    for e in world.truth.events:
        if e.tenant_id == "t_1" and e.site_id == site and e.user_id:
            expected[bucket(e.occurred_at, "day")].add(e.user_id)
    body = {
        "metric": "users.unique",
        "from": _iso(world.start),
        "to": _iso(world.end),
        "grain": "1d",
        "siteId": site,
    }
    answer = {
        p["t"]: p["value"] for p in _post(reports, "/timeseries", world.keys["t_1"], body).json()["data"]
    }
    assert answer == {
        _iso(t): (len(expected[t]) if t in expected else None)
        for t in (dt.datetime.fromisoformat(k.replace("Z", "+00:00")) for k in answer)
    }


@pytest.mark.parametrize(
    ("metric", "attribute"),
    [("voice.first_response_ms", "voice.first_response_ms"), ("kb.search_latency_ms", "kb.latency_ms")],
)
def test_latency_percentiles_per_hour_within_one_percent(
    world: World, reports: httpx.Client, metric: str, attribute: str
) -> None:
    samples: dict[dt.datetime, list[float]] = collections.defaultdict(list)
    for e in world.truth.events:
        if (
            e.tenant_id == "t_1"
            and isinstance(e.attr(attribute), int | float)
            and not isinstance(e.attr(attribute), bool)
        ):
            samples[bucket(e.occurred_at, "hour")].append(float(e.attr(attribute)))
    for level, name in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")):
        body = {"metric": f"{metric}.{name}", "from": _iso(world.start), "to": _iso(world.end), "grain": "1h"}
        for point in _post(reports, "/timeseries", world.keys["t_1"], body).json()["data"]:
            hour = dt.datetime.fromisoformat(point["t"].replace("Z", "+00:00"))
            if hour not in samples:
                assert point["value"] is None  # never a made-up 0 for a percentile
                continue
            exact = exact_quantile(samples[hour], level)
            assert point["value"] == pytest.approx(exact, rel=0.01), (hour, name)


def test_sla_percentiles_over_the_range(world: World, reports: httpx.Client) -> None:
    values = [
        float(e.attr("voice.first_response_ms"))
        for e in world.truth.events
        if e.tenant_id == "t_2" and e.attr("voice.first_response_ms") is not None
    ]
    answer = _post(
        reports,
        "/sla",
        world.keys["t_2"],
        {"metric": "voice.first_response_ms", "from": _iso(world.start), "to": _iso(world.end)},
    ).json()
    assert answer["samples"] == len(values)
    for level, name in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")):
        assert answer[name] == pytest.approx(exact_quantile(values, level), rel=0.01)


def _funnel_truth(
    world: World, tenant: str, steps: list[str], window: int, start: dt.datetime, end: dt.datetime
) -> list[int]:
    """Sessions reaching each step: a chain starts at a first step in [start, end), each next step
    is a later event (ties in step order) at most `window` seconds after the start."""
    position = {name: i for i, name in enumerate(steps)}
    marks: dict[str, list[tuple[dt.datetime, int]]] = collections.defaultdict(list)
    for e in world.truth.events:
        if (
            e.tenant_id == tenant
            and e.session_id
            and e.event_name in position
            and start <= e.occurred_at < end + dt.timedelta(seconds=window)
        ):
            marks[e.session_id].append((e.occurred_at, position[e.event_name]))
    counts = [0] * len(steps)
    for chain in marks.values():
        chain.sort()
        best = 0
        for i, (at, step) in enumerate(chain):
            if step != 0 or at >= end:
                continue
            level = 1
            for later, later_step in chain[i + 1 :]:
                if (later - at).total_seconds() > window:
                    break
                if later_step == level:
                    level += 1
            best = max(best, level)
        for i in range(best):
            counts[i] += 1
    return counts


def test_checkout_funnel_matches(world: World, reports: httpx.Client) -> None:
    steps = ["commerce.view", "commerce.add_to_cart", "commerce.checkout", "commerce.order_placed"]
    start, end = world.start + dt.timedelta(hours=5), world.end - dt.timedelta(hours=5)
    answer = _post(
        reports,
        "/funnel",
        world.keys["t_1"],
        {"steps": steps, "from": _iso(start), "to": _iso(end), "window": 3600},
    ).json()
    expected = _funnel_truth(world, "t_1", steps, 3600, start, end)
    assert expected[0] > 20 and expected[-1] > 0, "the generated data must exercise the funnel"
    assert answer["counts"] == expected
    assert answer["rates"] == [c / expected[0] for c in expected]


@pytest.mark.parametrize(
    ("dimension", "events", "key"),
    [
        ("tools", ["ai.tool_call_completed"], "tool.name"),
        ("errors", [], "error.type"),
        ("queries", ["kb.search"], "kb.query"),
        ("pages", ["page_view", "device_page_view"], "page_path"),
    ],
)
def test_top_n_matches(
    world: World, reports: httpx.Client, dimension: str, events: list[str], key: str
) -> None:
    first_day = bucket(world.start, "day")
    totals: collections.Counter[str] = collections.Counter()
    for (tenant, _site, day, item), count in world.truth.top_items(events, key).items():
        if tenant == "t_2" and first_day.date() <= day < world.end.date() + dt.timedelta(days=1):
            totals[item] += count
    expected = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    answer = _post(
        reports,
        "/topn",
        world.keys["t_2"],
        {"metric": dimension, "n": 5, "from": _iso(world.start), "to": _iso(world.end)},
    ).json()
    assert [(d["key"], d["value"]) for d in answer["data"]] == expected


def test_rates_match(world: World, reports: httpx.Client) -> None:
    calls = [
        e for e in world.truth.events if e.tenant_id == "t_1" and e.event_name == "ai.tool_call_completed"
    ]
    body = {
        "metric": "ai.tool_calls.success_rate",
        "from": _iso(world.start),
        "to": _iso(world.end),
        "grain": "1d",
    }
    answer = {
        p["t"]: p["value"] for p in _post(reports, "/timeseries", world.keys["t_1"], body).json()["data"]
    }
    by_day: dict[str, list[bool]] = collections.defaultdict(list)
    for e in calls:
        by_day[_iso(bucket(e.occurred_at, "day"))].append(bool(e.attr("tool.success")))
    assert answer == {t: (sum(v) / len(v) if (v := by_day.get(t)) else None) for t in answer}
    assert any(value is not None for value in answer.values())


def test_csv_on_request(world: World, reports: httpx.Client) -> None:
    body = {"metric": "events.count", "from": _iso(world.start), "to": _iso(world.end), "grain": "1d"}
    as_json = _post(reports, "/timeseries", world.keys["t_1"], body).json()["data"]
    as_csv = _post(reports, "/timeseries", world.keys["t_1"], body, params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [(r["t"], r["value"]) for r in rows] == [
        (p["t"], "" if p["value"] is None else str(p["value"])) for p in as_json
    ]


def test_the_catalogue_lists_every_voice_metric(world: World, reports: httpx.Client) -> None:
    listed = {
        m["name"]: m
        for m in reports.get("/metrics", headers={"Authorization": f"Bearer {world.keys['t_1']}"}).json()[
            "metrics"
        ]
    }
    seed_001 = ["voice.first_response_ms.p50", "voice.first_response_ms.p95", "voice.first_response_ms.p99", "voice.barge_in_count",
                "voice.asr_partial_latency_ms.p95", "ai.tool_calls.count", "ai.tool_calls.success_rate", "ai.navigation_optimism_rate",
                "ai.tool_chain_length.avg", "kb.hit_rate", "kb.search_latency_ms.p95", "kb.relevance_score.avg",
                "commerce.conversion_rate", "booking.hold_to_confirm_rate", "system.error_rate"]  # fmt: skip
    assert set(seed_001) <= set(listed)
    assert listed["voice.first_response_ms.p95"]["unit"] == "ms" and listed["voice.first_response_ms.p95"][
        "grains"
    ] == ["1m", "5m", "1h", "1d"]
    assert all(m["description"] for m in listed.values())


def test_tenants_never_see_each_other(world: World, reports: httpx.Client) -> None:
    body = {"metric": "events.count", "from": _iso(world.start), "to": _iso(world.end), "grain": "1d"}
    assert _post(reports, "/timeseries", world.keys["t_2"], {**body, "tenantId": "t_1"}).status_code == 403
    assert (
        _post(
            reports, "/timeseries", world.keys["t_2"], {**body, "filters": {"tenant_id": "t_1"}}
        ).status_code
        == 400
    )
    totals = {
        t: sum(p["value"] or 0 for p in _post(reports, "/timeseries", world.keys[t], body).json()["data"])
        for t in ("t_1", "t_2")
    }
    assert totals == {t: sum(1 for e in world.truth.events if e.tenant_id == t) for t in ("t_1", "t_2")}
    assert (
        _post(reports, "/timeseries", world.write_key, body).status_code == 403
    )  # a write key reads nothing
    assert reports.post("/timeseries", json=body).status_code == 401


@pytest.mark.parametrize(
    "change",
    [
        {"metric": "events.count' OR 1=1 --"},
        {"siteId": "s_1' OR '1'='1"},
        {"filters": {"event_name": "x'; DROP TABLE events_raw; --"}},
        {"grain": "1h; SELECT 1"},
        {"from": "2026-01-01T00:00:00Z' --"},
        {"to": "2030-01-01T00:00:00Z"},  # more than 400 days
        {"grain": "1m", "from": "2026-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"},  # too many points
        {"surprise": 1},
    ],
)
def test_bad_and_injection_shaped_inputs_get_4xx(
    world: World, reports: httpx.Client, change: dict[str, Any]
) -> None:
    body = {
        "metric": "events.count",
        "from": "2026-01-01T00:00:00Z",
        "to": "2026-01-02T00:00:00Z",
        "grain": "1h",
        **change,
    }
    response = _post(reports, "/timeseries", world.keys["t_1"], body)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_funnel_and_topn_inputs_are_checked(world: World, reports: httpx.Client) -> None:
    key = world.keys["t_1"]
    window = {"from": _iso(world.start), "to": _iso(world.end)}
    assert _post(reports, "/funnel", key, {"steps": ["commerce.view"], **window}).status_code == 400
    assert (
        _post(reports, "/funnel", key, {"steps": ["commerce.view", "x') OR 1=1 --"], **window}).status_code
        == 400
    )
    assert _post(reports, "/topn", key, {"metric": "users", "n": 5, **window}).status_code == 400
    assert _post(reports, "/topn", key, {"metric": "tools", "n": 1001, **window}).status_code == 400


def test_events_after_the_last_dbt_run_show_up_from_the_live_rollup(
    world: World, reports: httpx.Client, reports_api: str
) -> None:
    """Buckets past the batch watermark are read from the live rollups: current within seconds."""
    now = dt.datetime.now(dt.UTC)
    events = [
        {
            **voice_first_response(),
            "event_name": "voice.turn_started",
            "attributes": {"voice.session_id": "vs_1"},
        }
        for _ in range(3)
    ]
    ingest = httpx.post(
        f"{reports_api}/api/v1/analytics/events", json={"events": events}, params={"key": world.write_key}
    )
    assert ingest.json()["accepted"] == 3, ingest.json()
    hour = now.replace(minute=0, second=0, microsecond=0)
    body = {
        "metric": "events.count",
        "from": _iso(hour),
        "to": _iso(hour + dt.timedelta(hours=1)),
        "grain": "1h",
        "filters": {"event_name": "voice.turn_started"},
    }
    expected = 3 + sum(
        1
        for e in world.truth.events
        if e.tenant_id == "t_1" and e.event_name == "voice.turn_started" and e.occurred_at >= hour
    )
    assert _post(reports, "/timeseries", world.keys["t_1"], body).json()["data"] == [
        {"t": _iso(hour), "value": expected}
    ]
