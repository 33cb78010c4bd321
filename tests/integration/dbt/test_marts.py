"""dbt builds the marts from generated events; every number is checked against Python's truth.

One scenario per module (dbt invocations cost seconds each), observed at every stage:
1. the initial wave (with duplicate copies stored straight into events_raw) and a full build;
2. a second build with nothing new: the incremental path must change nothing;
3. late events (inside the lookback), spool replays and very late events (outside it) arrive,
   and an incremental build must change exactly the buckets the late events touch;
4. a backfill (`--vars {start, end}`) over the very late events' days.
Counts must match exactly; p50/p95/p99 within 1 % of the exact values (in fact within
quantile_relative_accuracy, 0.5 %).
"""

from __future__ import annotations

import collections
import dataclasses
import json
import subprocess
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import yaml
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings
from tests.integration.dbt.conftest import Table, query, snapshot
from tests.support.dbt import PROJECT, Dbt, failed
from tests.support.synthetic import Dataset, Spec, Truth, bucket, exact_quantile, generate, insert_rows
from warehouse.migrate import migrate
from warehouse.raw_event import RawEvent

pytestmark = pytest.mark.slow

VARS = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]
ACCURACY = float(VARS["quantile_relative_accuracy"])
LEVELS = {"p50": 0.5, "p95": 0.95, "p99": 0.99}


def percentile_sql(state: str, maximum: str, level: float) -> str:
    """The report API's read of a merged quantile state (macros/states.sql latency_percentile)."""
    return (
        f"arrayReduce('quantileDDMerge({ACCURACY}, {level})', [quantileDDMergeState({ACCURACY}, 0.5)({state}),"
        f" arrayReduce('quantileDDState({ACCURACY}, 0.5)', [greatest(toFloat64({maximum}) * 2, 1)])])"
    )


@dataclasses.dataclass
class Stage:
    truth: Truth
    raw_rows: list[RawEvent]
    marts: dict[str, Table]
    result: subprocess.CompletedProcess[str]

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The table's rows as this stage left them (no aggregate states), datetimes UTC-aware."""
        return [{name: _utc(value) for name, value in row.items()} for row in self.marts[table].dicts()]


@dataclasses.dataclass
class Scenario:
    ch: Client
    database: str
    dbt: Dbt
    data: Dataset
    batch_tables: list[str]
    stages: dict[str, Stage]
    backfill: tuple[date, date]

    def rows(self, sql: str) -> list[dict[str, Any]]:
        """Rows of `sql` ({db} is the scenario's database), datetimes as UTC-aware."""
        return [
            {name: _utc(value) for name, value in row.items()}
            for row in query(self.ch, sql.replace("{db}", self.database))
        ]


@pytest.fixture(scope="module")
def scenario(ch: Client, migrated: Settings, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    # A database of its own: other tests of the session write events into the shared one.
    settings = dataclasses.replace(migrated, database=f"{migrated.database}_marts")
    migrate(ch, settings)
    db = settings.database
    # Keep duplicate copies as separate rows, as they are between merges: the dedupe under test
    # must not lean on ReplacingMergeTree having merged them.
    ch.command(f"SYSTEM STOP MERGES {db}.events_raw")
    dbt = Dbt(settings, tmp_path_factory.mktemp("dbt"))
    data = generate(Spec(end=datetime.now(UTC).replace(second=0, microsecond=0)))
    stages: dict[str, Stage] = {}
    inserted: list[RawEvent] = []

    def stage(name: str, truth: Truth, *args: str, vars: dict[str, Any] | None = None) -> None:
        result = dbt("build", *args, vars=vars)
        assert result.returncode == 0, failed(result)
        stages[name] = Stage(truth, list(inserted), snapshot(ch, db, batch_tables), result)

    inserted += data.rows("initial")
    insert_rows(ch, db, data.rows("initial"))
    first = dbt("build")
    assert first.returncode == 0, failed(first)
    batch_tables = sorted(
        node["alias"]
        for node in dbt.artifact("manifest.json")["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] in ("incremental", "table")
    )
    stages["initial"] = Stage(data.truth("initial"), list(inserted), snapshot(ch, db, batch_tables), first)
    stage("again", data.truth("initial"))
    for wave in ("late", "very_late"):
        inserted += data.rows(wave)
        insert_rows(ch, db, data.rows(wave))
    stage("late", data.truth("initial", "late"))
    very_late = [row.occurred_at for row in data.rows("very_late")]
    start, end = min(very_late).date(), max(very_late).date() + timedelta(days=1)
    stage("backfill", data.truth(), vars={"start": start.isoformat(), "end": end.isoformat()})
    return Scenario(ch, db, dbt, data, batch_tables, stages, (start, end))


# --- the builds ------------------------------------------------------------------------------


def test_every_build_passes_its_tests(scenario: Scenario) -> None:
    for name, stage in scenario.stages.items():
        summary = [line for line in stage.result.stdout.splitlines() if "Done. PASS=" in line]
        assert summary and " ERROR=0 " in summary[-1], f"{name}: {summary}"


def test_second_build_changes_nothing(scenario: Scenario) -> None:
    assert scenario.stages["again"].marts == scenario.stages["initial"].marts


# --- staging ---------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["initial", "late", "backfill"])
def test_staging_holds_each_event_once_as_its_first_received_copy(scenario: Scenario, stage: str) -> None:
    truth = scenario.stages[stage].truth
    staged = scenario.stages[stage].rows("stg_events")
    assert len(staged) == len(truth)
    found = {(r["tenant_id"], str(r["event_id"])): (r["occurred_at"], r["received_at"]) for r in staged}
    expected = {(e.tenant_id, e.event_id): (e.occurred_at, e.received_at) for e in truth.events}
    assert found == expected


def test_duplicates_really_reached_the_raw_table(scenario: Scenario) -> None:
    raw = scenario.rows(
        "SELECT count() AS rows, uniqExact(tenant_id, event_id) AS events FROM {db}.events_raw"
    )[0]
    assert raw["rows"] - raw["events"] == scenario.data.duplicate_count() > 500


# --- core marts ------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["initial", "late", "backfill"])
@pytest.mark.parametrize("grain", ["hour", "day"])
def test_event_counts_are_exact(scenario: Scenario, stage: str, grain: str) -> None:
    truth = scenario.stages[stage].truth
    rows = scenario.stages[stage].rows({"hour": "event_counts_hourly", "day": "event_counts_daily"}[grain])
    key = ("tenant_id", "site_id", "event_name", "bucket_start")
    assert {_key(r, key): r["event_count"] for r in rows} == dict(truth.counts(grain))
    assert {_key(r, key): r["user_count"] for r in rows} == truth.distinct(grain, "user_id")
    assert {_key(r, key): r["session_count"] for r in rows} == truth.distinct(grain, "session_id")


def test_live_counts_count_every_stored_row(scenario: Scenario) -> None:
    """The live rollup counts raw rows, duplicates included, as they are inserted (all waves)."""
    raw = collections.Counter(
        (r.tenant_id, r.site_id, r.event_name, bucket(r.occurred_at, "minute"))
        for r in scenario.stages["backfill"].raw_rows
    )
    rows = scenario.rows(
        "SELECT tenant_id, site_id, event_name, bucket_start, sum(event_count) AS n FROM {db}.event_counts_1m"
        " GROUP BY ALL"
    )
    assert {_key(r, ("tenant_id", "site_id", "event_name", "bucket_start")): r["n"] for r in rows} == dict(
        raw
    )


@pytest.mark.parametrize("grain", ["hour", "day"])
def test_batch_percentiles_within_half_a_percent_of_exact(scenario: Scenario, grain: str) -> None:
    """Every bucket, whatever its sample count: the sketch is read at quantileExact's rank."""
    samples = scenario.stages["backfill"].truth.latency_samples(exclude=VARS["latency_attribute_exclusions"])
    expected: dict[tuple[Any, ...], list[float]] = collections.defaultdict(list)
    for (tenant, site, event, attribute), values in samples.items():
        for at, value in values:
            expected[(tenant, site, event, attribute, bucket(at, grain))].append(value)
    table = {"hour": "latency_hourly", "day": "latency_daily"}[grain]
    rows = scenario.rows(f"SELECT * EXCEPT value_ms_state FROM {{db}}.{table}")
    key = ("tenant_id", "site_id", "event_name", "attribute", "bucket_start")
    assert {_key(r, key): r["sample_count"] for r in rows} == {k: len(v) for k, v in expected.items()}
    worst = _worst_relative_error(rows, key, expected)
    assert worst <= ACCURACY + 1e-4, worst


def test_percentiles_merged_over_every_hour_match_exact(scenario: Scenario) -> None:
    """Any grain by merging: the whole span's p50/p95/p99 from hourly states, per metric."""
    samples = scenario.stages["backfill"].truth.latency_samples(exclude=VARS["latency_attribute_exclusions"])
    expected: dict[tuple[Any, ...], list[float]] = collections.defaultdict(list)
    for (tenant, _site, event, attribute), values in samples.items():
        expected[(tenant, event, attribute)].extend(value for _at, value in values)
    columns = ", ".join(
        f"{percentile_sql('value_ms_state', 'max(value_max_ms)', level)} AS {name}_ms"
        for name, level in LEVELS.items()
    )
    rows = scenario.rows(
        f"SELECT tenant_id, event_name, attribute, {columns} FROM {{db}}.latency_hourly GROUP BY ALL"
    )
    assert len(rows) == len(expected) >= 8
    assert _worst_relative_error(rows, ("tenant_id", "event_name", "attribute"), expected) <= ACCURACY + 1e-6


def test_live_percentiles_match_exact_over_stored_rows(scenario: Scenario) -> None:
    values: dict[tuple[Any, ...], list[float]] = collections.defaultdict(list)
    for row in scenario.stages["backfill"].raw_rows:  # every copy is a sample to the live rollup
        for attribute, value in json.loads(row.attributes).items():
            if attribute.endswith("_ms") and attribute not in VARS["latency_attribute_exclusions"]:
                values[(row.tenant_id, row.event_name, attribute)].append(float(value))
    columns = ", ".join(
        f"{percentile_sql('value_ms_state', 'max(value_max_ms)', level)} AS {name}_ms"
        for name, level in LEVELS.items()
    )
    rows = scenario.rows(
        f"SELECT tenant_id, event_name, attribute, {columns} FROM {{db}}.latency_1m GROUP BY ALL"
    )
    assert len(rows) == len(values)
    assert _worst_relative_error(rows, ("tenant_id", "event_name", "attribute"), values) <= ACCURACY + 1e-6


@pytest.mark.parametrize("stage", ["initial", "late", "backfill"])
def test_funnels_match_an_independent_evaluation(scenario: Scenario, stage: str) -> None:
    truth = scenario.stages[stage].truth
    rows = scenario.stages[stage].rows("funnels_daily")
    for name, funnel in VARS["funnels"].items():
        expected = truth.funnel(funnel["steps"], funnel["window_seconds"], funnel["by"])
        found: dict[tuple[str, str, date], list[int]] = {}
        for r in rows:
            if r["funnel_name"] == name:
                day = found.setdefault(
                    (r["tenant_id"], r["site_id"], r["bucket_start"].date()), [0] * len(funnel["steps"])
                )
                day[r["step_number"] - 1] = r["entities"]
        assert found == expected, name
        assert sum(counts[-1] for counts in expected.values()) > 0, f"{name}: nobody finished"
    for r in rows:
        assert 0 <= r["step_conversion_rate"] <= 1


def test_funnel_tie_break_and_window_are_exercised(scenario: Scenario) -> None:
    """The generated data holds steps at equal timestamps and steps beyond the window."""
    events = scenario.stages["backfill"].truth.events
    steps = VARS["funnels"]["checkout"]["steps"]
    by_session = collections.defaultdict(list)
    for e in events:
        if e.event_name in steps:
            by_session[e.session_id].append((e.occurred_at, steps.index(e.event_name)))
    ties = sum(len({at for at, _ in marks}) < len(marks) for marks in by_session.values())
    late_orders = sum(
        any(step == 3 for _, step in marks) and max(marks)[0] - min(marks)[0] > timedelta(hours=1)
        for marks in by_session.values()
    )
    assert ties > 5 and late_orders > 5


@pytest.mark.parametrize("stage", ["initial", "backfill"])
def test_top_items_match(scenario: Scenario, stage: str) -> None:
    truth = scenario.stages[stage].truth
    rows = scenario.stages[stage].rows("top_items_daily")
    for dimension, item in VARS["top_items"].items():
        expected = truth.top_items(item["events"], item.get("attribute") or item["column"])
        found = {
            (r["tenant_id"], r["site_id"], r["bucket_start"].date(), r["item"]): r["item_count"]
            for r in rows
            if r["dimension"] == dimension
        }
        assert found == dict(expected), dimension
        assert expected, f"no {dimension} generated"


@pytest.mark.parametrize("stage", ["initial", "late", "backfill"])
def test_web_sessions_match(scenario: Scenario, stage: str) -> None:
    expected: dict[tuple[Any, ...], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for s in scenario.stages[stage].truth.sessions():
        day = expected[(s.tenant_id, s.site_id, s.started_at.date())]
        day.update(
            sessions=1, bounces=int(s.is_bounce), events=s.event_count, views=s.page_views, ms=s.duration_ms
        )
    rows = scenario.stages[stage].rows("web_sessions_daily")
    found = {
        (r["tenant_id"], r["site_id"], r["bucket_start"].date()): collections.Counter(
            sessions=r["session_count"],
            bounces=r["bounced_session_count"],
            events=r["event_count"],
            views=r["page_view_count"],
            ms=r["duration_sum_ms"],
        )
        for r in rows
    }
    assert found == dict(expected)


@pytest.mark.parametrize("stage", ["initial", "backfill"])
def test_retention_matches(scenario: Scenario, stage: str) -> None:
    rows = scenario.stages[stage].rows("retention_weekly")
    found = {
        (r["tenant_id"], r["site_id"], r["bucket_start"].date(), r["activity_week"].date()): r[
            "active_user_count"
        ]
        for r in rows
    }
    assert found == scenario.stages[stage].truth.retention_weekly()


# --- voice pack ------------------------------------------------------------------------------


def _by_hour(events: Iterable[Any], value: Callable[[Any], float | int], *extra: str) -> dict[Any, float]:
    totals: dict[Any, float] = collections.defaultdict(float)
    for e in events:
        key = (e.tenant_id, e.site_id, bucket(e.occurred_at, "hour"), *(e.attr(k, "") for k in extra))
        totals[key] += value(e)
    return {k: v for k, v in totals.items()}


def _nonzero(totals: dict[Any, float]) -> dict[Any, float]:
    return {key: value for key, value in totals.items() if value}


def _named(events: Iterable[Any], *names: str) -> list[Any]:
    return [e for e in events if e.event_name in names]


def test_voice_pack_marts_match(scenario: Scenario) -> None:
    events = scenario.stages["backfill"].truth.events
    completed = _named(events, "ai.tool_call_completed")
    tools = scenario.rows("SELECT * EXCEPT duration_ms_state FROM {db}.tool_calls_hourly")
    key = ("tenant_id", "site_id", "bucket_start", "tool_name", "tool_category")
    for column, value in (
        ("completed_call_count", lambda e: 1),
        ("successful_call_count", lambda e: int(e.attr("tool.success"))),
        ("optimistic_navigation_count", lambda e: int(e.attr("navigation.optimistic", False))),
    ):
        expected = _by_hour(completed, value, "tool.name", "tool.category")
        assert {_key(r, key): r[column] for r in tools if r[column]} == _nonzero(expected), column

    hourly = ("tenant_id", "site_id", "bucket_start")
    turns = scenario.rows("SELECT * EXCEPT voice_sessions_state FROM {db}.voice_turns_hourly")
    assert {_key(r, hourly): r["turn_count"] for r in turns if r["turn_count"]} == _by_hour(
        _named(events, "voice.turn_started"), lambda e: 1
    )
    assert {_key(r, hourly): r["barge_in_count"] for r in turns if r["barge_in_count"]} == _by_hour(
        _named(events, "voice.barge_in"), lambda e: 1
    )

    chains = scenario.rows("SELECT * FROM {db}.tool_chains_hourly")
    assert {_key(r, hourly): r["chain_length_sum"] for r in chains} == _by_hour(
        _named(events, "ai.tool_chain_completed"), lambda e: e.attr("tool.chain_length")
    )

    kb = scenario.rows("SELECT * FROM {db}.kb_search_hourly")
    searches = _named(events, "kb.search")
    assert {_key(r, hourly): r["search_count"] for r in kb if r["search_count"]} == _by_hour(
        searches, lambda e: 1
    )
    assert {
        _key(r, hourly): r["search_with_results_count"] for r in kb if r["search_with_results_count"]
    } == (_nonzero(_by_hour(searches, lambda e: int(e.attr("kb.results_count") > 0))))
    assert {_key(r, hourly): r["hit_count"] for r in kb if r["hit_count"]} == _by_hour(
        _named(events, "kb.hit"), lambda e: 1
    )

    errors = scenario.rows("SELECT * FROM {db}.endpoint_errors_hourly")
    routed = ("tenant_id", "site_id", "bucket_start", "http_route")
    assert {_key(r, routed): r["request_count"] for r in errors if r["request_count"]} == _by_hour(
        _named(events, "ops.endpoint_requests"), lambda e: e.attr("ops.request_count"), "http.route"
    )
    assert {_key(r, routed): r["error_count"] for r in errors if r["error_count"]} == _by_hour(
        _named(events, "ops.endpoint_error"), lambda e: 1, "http.route"
    )

    queues = scenario.rows("SELECT * EXCEPT lag_ms_state FROM {db}.queue_health_hourly")
    queued = ("tenant_id", "site_id", "bucket_start", "queue_name")
    assert {_key(r, queued): r["dropped_item_count"] for r in queues if r["dropped_item_count"]} == _by_hour(
        _named(events, "ops.backpressure_drop"),
        lambda e: e.attr("backpressure.dropped_count"),
        "messaging.destination.name",
    )

    daily = collections.Counter(
        (e.tenant_id, e.site_id, e.occurred_at.date(), e.event_name)
        for e in _named(
            events, "commerce.view", "commerce.order_placed", "booking.slot_hold", "booking.confirmed"
        )
    )
    commerce = scenario.rows("SELECT * FROM {db}.commerce_daily")
    for r in commerce:
        day = (r["tenant_id"], r["site_id"], r["bucket_start"].date())
        assert (r["view_count"], r["order_count"]) == (
            daily[(*day, "commerce.view")],
            daily[(*day, "commerce.order_placed")],
        )
    bookings = scenario.rows("SELECT * FROM {db}.bookings_daily")
    for r in bookings:
        day = (r["tenant_id"], r["site_id"], r["bucket_start"].date())
        assert (r["hold_count"], r["confirmation_count"]) == (
            daily[(*day, "booking.slot_hold")],
            daily[(*day, "booking.confirmed")],
        )
    assert sum(r["order_count"] for r in commerce) == sum(
        v for k, v in daily.items() if k[3] == "commerce.order_placed"
    )


# --- late data -------------------------------------------------------------------------------


def test_late_events_change_exactly_their_buckets(scenario: Scenario) -> None:
    before, after = scenario.stages["again"], scenario.stages["late"]
    # where late rows happened, and where the events they are copies of happened before
    late_ids = {(row.tenant_id, row.event_id) for row in scenario.data.rows("late")}
    moments = [row.occurred_at for row in scenario.data.rows("late")] + [
        e.occurred_at for e in before.truth.events if (e.tenant_id, e.event_id) in late_ids
    ]
    hours = {bucket(at, "hour") for at in moments}
    # a late event may also change the day its session or funnel chain began (<= 24 h earlier)
    days = {bucket(at - shift, "day") for at in moments for shift in (timedelta(0), timedelta(days=1))}
    weeks = {bucket(day, "week") for day in days}
    for table in scenario.batch_tables:
        changed = before.marts[table].rows ^ after.marts[table].rows
        if table == "stg_events":
            allowed = {bucket(at, "day") for at in moments}
            assert {bucket(_moments(row)[0], "day") for row in changed} <= allowed, table
        elif table in ("retention_weekly", "int_user_activity_weekly"):
            assert all(set(_moments(row)) & weeks for row in changed), table
        else:
            allowed = hours if table.endswith("_hourly") else days
            assert {_moments(row)[0] for row in changed} <= allowed, (table, sorted(changed)[:3])
    # the hourly counts change exactly where the truth does; the very late events wait
    old, new = before.truth.counts("hour"), after.truth.counts("hour")
    differing = {key[3] for key in set(old) | set(new) if old.get(key) != new.get(key)}
    changed_hours = before.marts["event_counts_hourly"].rows ^ after.marts["event_counts_hourly"].rows
    assert {_moments(row)[0] for row in changed_hours} == differing != set()
    very_late_hours = {bucket(row.occurred_at, "hour") for row in scenario.data.rows("very_late")}
    assert not very_late_hours & differing


def test_backfill_changes_only_its_days(scenario: Scenario) -> None:
    before, after = scenario.stages["late"], scenario.stages["backfill"]
    start, end = scenario.backfill
    first_week = start - timedelta(days=start.weekday())
    for table in scenario.batch_tables:
        changed = before.marts[table].rows ^ after.marts[table].rows
        if table in ("retention_weekly", "int_user_activity_weekly"):
            assert all(any(first_week <= m.date() < end for m in _moments(row)) for row in changed), table
        else:
            # sessions and funnel chains that began the day before may gain steps or events
            first = start - timedelta(days=1) if table in ("funnels_daily", "web_sessions_daily") else start
            assert all(first <= _moments(row)[0].date() < end for row in changed), table
    assert before.marts["event_counts_hourly"] != after.marts["event_counts_hourly"]


# --- docs ------------------------------------------------------------------------------------


def test_docs_generate_and_every_column_is_described(scenario: Scenario) -> None:
    """`dbt docs generate` works; marts name and describe their grain; every column has a description."""
    result = scenario.dbt("docs", "generate")
    assert result.returncode == 0, result.stdout[-3000:]
    manifest, catalog = scenario.dbt.artifact("manifest.json"), scenario.dbt.artifact("catalog.json")
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] != "model":
            continue
        if "marts" in node["fqn"]:
            name = node["name"]
            assert name.endswith(("_1m", "_hourly", "_daily", "_weekly")), f"{name}: grain not in its name"
            assert "Grain:" in node["description"], f"{name}: grain not described"
            assert node["config"]["meta"].get("grain"), f"{name}: no meta.grain"
        described = {column for column, spec in node["columns"].items() if spec.get("description")}
        built = {column.lower() for column in catalog["nodes"][unique_id]["columns"]}
        assert built <= described, f"{node['name']}: undocumented {sorted(built - described)}"


# --- helpers ---------------------------------------------------------------------------------


def _key(row: dict[str, Any], columns: Iterable[str]) -> tuple[Any, ...]:
    return tuple(row[column] for column in columns)


def _worst_relative_error(
    rows: list[dict[str, Any]], key: tuple[str, ...], samples: dict[tuple[Any, ...], list[float]]
) -> float:
    worst = 0.0
    for row in rows:
        values = samples[_key(row, key)]
        for name, level in LEVELS.items():
            exact = exact_quantile(values, level)
            error = abs(row[f"{name}_ms"] - exact) / exact if exact else abs(row[f"{name}_ms"])
            worst = max(worst, error)
    return worst


def _moments(row: tuple[Any, ...]) -> list[datetime]:
    """The datetimes of a snapshot row, in column order (the first is its bucket)."""
    return [_utc(value) for value in row if isinstance(value, datetime)]


def _utc(value: Any) -> Any:
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) and value.tzinfo is None else value


def test_every_run_records_its_watermark(scenario: Scenario) -> None:
    runs = scenario.rows("SELECT model, run_started_at, window_start, window_end FROM {db}.dbt_batch_runs")
    by_model: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for run in runs:
        by_model[run["model"]].append(run)
    assert set(by_model) >= {"stg_events", "event_counts_hourly", "funnels_daily", "retention_weekly"}
    for model, model_runs in by_model.items():
        assert len(model_runs) == len(scenario.stages), model
        backfills = [run for run in model_runs if run["window_end"] is not None]
        assert [run["window_end"].date() for run in backfills] == [scenario.backfill[1]], model
