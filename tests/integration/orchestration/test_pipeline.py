"""Dagster runs the real dbt project on generated events, in-process, stage by stage.

One scenario per module (each dbt invocation costs seconds), observed at every stage:
1. the initial wave, and every asset materialized (dbt tests run as asset checks);
2. the new-data sensor: a first evaluation, a second with nothing new;
3. the late wave arrives: the sensor waits while a refresh is queued, then asks for a run, and
   that run brings the marts up to date;
4. very late events arrive on old days: backfilling one day's partition rebuilds that day only;
5. the retention job checks every table's TTL;
6. on an instance of its own, a mart last updated days ago: its freshness check fails, the
   failure reaches a webhook once, and the check passes once the mart is materialized.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, cast

import dagster as dg
import msgspec
import pytest
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings
from orchestration.dbt_project import prepared_manifest
from orchestration.defs.dbt import model_keys
from orchestration.defs.raw import raw_asset_key
from tests.integration.orchestration.conftest import small_spec
from tests.support.synthetic import Dataset, Truth, generate, insert_rows

# one worker runs the whole scenario: split across workers, each would build it again
pytestmark = pytest.mark.slow

DailyCounts = dict[tuple[str, str, str, date], int]


@dataclasses.dataclass
class Scenario:
    settings: Settings
    instance: dg.DagsterInstance
    data: Dataset
    observed: dg.ExecuteInProcessResult
    built: dg.ExecuteInProcessResult
    first: dg.SensorResult
    idle: dg.SensorResult
    while_queued: dg.SensorResult
    after_late: dg.SensorResult
    refreshed: dg.ExecuteInProcessResult
    counts_after_refresh: DailyCounts
    backfill_day: date
    pending_day: date
    backfilled: dg.ExecuteInProcessResult
    counts_after_backfill: DailyCounts
    retention: dg.ExecuteInProcessResult
    raw_rows: dict[date, int]


def daily_counts(ch: Client, database: str) -> DailyCounts:
    rows = ch.query(
        f"SELECT tenant_id, site_id, event_name, toDate(bucket_start), sum(event_count)"
        f" FROM `{database}`.event_counts_daily GROUP BY ALL"
    ).result_rows
    return {(tenant, site, name, day): int(count) for tenant, site, name, day, count in rows}


def truth_counts(truth: Truth) -> DailyCounts:
    counted = Counter((e.tenant_id, e.site_id, e.event_name, e.occurred_at.date()) for e in truth.events)
    return dict(counted)


def raw_events_per_day(ch: Client, database: str) -> dict[date, int]:
    rows = ch.query(
        f"SELECT toDate(occurred_at) AS day, uniqExact(tenant_id, event_id) FROM `{database}`.events_raw"
        " GROUP BY day"
    ).result_rows
    return {day: int(count) for day, count in rows}


def on(day: date) -> Callable[[tuple[str, str, str, date]], bool]:
    return lambda key: key[3] == day


def only(counts: DailyCounts, keep: Callable[[tuple[str, str, str, date]], bool]) -> DailyCounts:
    return {key: count for key, count in counts.items() if keep(key)}


def evaluate(
    definitions: dg.Definitions, instance: dg.DagsterInstance, cursor: str | None
) -> dg.SensorResult:
    """One tick of the new-data sensor, with the definitions' resources."""
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, definitions=definitions, resources=definitions.resources
    )
    result = definitions.resolve_sensor_def("new_raw_events_sensor")(context)
    assert isinstance(result, dg.SensorResult)
    return result


@pytest.fixture(scope="module")
def scenario(definitions: dg.Definitions, database: Settings, ch: Client) -> Scenario:
    db = database.database
    instance = dg.DagsterInstance.ephemeral()
    data = generate(small_spec())
    insert_rows(ch, db, data.rows("initial"))

    every_asset = definitions.resolve_implicit_global_asset_job_def()
    observed = every_asset.execute_in_process(
        instance=instance, asset_selection=[raw_asset_key(prepared_manifest())]
    )
    built = every_asset.execute_in_process(instance=instance, raise_on_error=False)

    first = evaluate(definitions, instance, None)
    idle = evaluate(definitions, instance, first.cursor)

    insert_rows(ch, db, data.rows("late"))
    waiting = instance.create_run_for_job(
        definitions.resolve_job_def("refresh_incremental_models"), status=dg.DagsterRunStatus.NOT_STARTED
    )
    while_queued = evaluate(definitions, instance, first.cursor)
    instance.delete_run(waiting.run_id)
    after_late = evaluate(definitions, instance, first.cursor)
    (request,) = after_late.run_requests or []
    refreshed = definitions.resolve_job_def(request.job_name or "").execute_in_process(
        run_config=request.run_config, instance=instance, raise_on_error=False
    )
    counts_after_refresh = daily_counts(ch, db)

    # very late events on old days, and copies of some on a day earlier still (new ids): two days
    # with events the marts have not seen, of which the backfill rebuilds only one
    very_late = data.rows("very_late")
    backfill_day = max(row.occurred_at.date() for row in very_late)
    pending_day = min(row.occurred_at.date() for row in very_late) - timedelta(days=2)
    earlier = [
        msgspec.structs.replace(
            row,
            event_id=str(uuid.uuid4()),
            occurred_at=row.occurred_at - timedelta(days=2),
            client_occurred_at=row.client_occurred_at - timedelta(days=2),
        )
        for row in very_late
        if row.occurred_at.date() == pending_day + timedelta(days=2)
    ]
    insert_rows(ch, db, [*very_late, *earlier])
    backfilled = definitions.resolve_job_def("rebuild_days").execute_in_process(
        partition_key=backfill_day.isoformat(), instance=instance, raise_on_error=False
    )
    counts_after_backfill = daily_counts(ch, db)

    retention = definitions.resolve_job_def("verify_retention_ttls").execute_in_process(
        instance=instance, raise_on_error=False
    )
    return Scenario(
        database,
        instance,
        data,
        observed,
        built,
        first,
        idle,
        while_queued,
        after_late,
        refreshed,
        counts_after_refresh,
        backfill_day,
        pending_day,
        backfilled,
        counts_after_backfill,
        retention,
        raw_events_per_day(ch, db),
    )


# --- 1. everything, materialized --------------------------------------------------------------


def test_materializing_every_asset_succeeds_and_every_check_passes(scenario: Scenario) -> None:
    assert scenario.built.success
    manifest = prepared_manifest()
    materialized = {event.asset_key for event in scenario.built.get_asset_materialization_events()}
    assert materialized == set(model_keys(manifest).values())
    evaluations = scenario.built.get_asset_check_evaluations()
    assert len(evaluations) > 50
    assert [(e.asset_key, e.check_name) for e in evaluations if not e.passed] == []
    checked = {e.asset_check_key for e in evaluations}
    assert dg.AssetCheckKey(model_keys(manifest)["event_counts_daily"], "freshness_check") in checked


def test_events_raw_is_observed_with_its_row_count_and_newest_receipt(scenario: Scenario) -> None:
    (observation,) = [
        event.event_specific_data.asset_observation  # type: ignore[union-attr]
        for event in scenario.observed.all_events
        if event.is_asset_observation
    ]
    initial = scenario.data.rows("initial")
    assert observation.asset_key == raw_asset_key(prepared_manifest())
    metadata = observation.metadata
    # ReplacingMergeTree may already have merged some exact copies away
    assert 0.95 * len(initial) <= cast(int, metadata["row_count"].value) <= len(initial)
    newest = dg.MetadataValue.timestamp(max(row.received_at for row in initial).timestamp())
    assert metadata["newest_received_at"] == metadata["dagster/last_updated_timestamp"] == newest


# --- 2-3. the new-data sensor -------------------------------------------------------------------


def test_first_evaluation_runs_the_full_build(scenario: Scenario) -> None:
    (request,) = scenario.first.run_requests or []
    assert request.job_name == "build_all_models"
    newest = max(row.received_at for row in scenario.data.rows("initial"))
    assert scenario.first.cursor == newest.isoformat()
    observed = {event.asset_key.to_user_string() for event in scenario.first.asset_events}
    assert observed == {"eventhouse/events_raw", "event_counts_1m", "latency_1m"}


def test_nothing_new_requests_nothing(scenario: Scenario) -> None:
    assert scenario.idle.run_requests == []
    assert scenario.idle.skip_reason is not None
    assert scenario.idle.cursor is None  # unchanged


def test_no_second_refresh_is_queued_behind_a_waiting_one(scenario: Scenario) -> None:
    assert scenario.while_queued.run_requests == []
    assert "waiting" in str(scenario.while_queued.skip_reason)
    assert scenario.while_queued.cursor is None  # the arrivals wait for the next request


def test_new_events_request_a_run_of_the_incremental_models_from_their_first_day(
    scenario: Scenario,
) -> None:
    (request,) = scenario.after_late.run_requests or []
    assert request.job_name == "refresh_incremental_models"
    late = scenario.data.rows("late")
    unseen = [row for row in late if row.received_at.isoformat() > scenario.first.cursor]  # type: ignore[operator]
    first_day = min(row.occurred_at.date() for row in unseen)
    assert request.run_config == {"ops": {"eventhouse_dbt": {"config": {"start": first_day.isoformat()}}}}
    assert scenario.after_late.cursor == max(row.received_at for row in late).isoformat()


def test_the_requested_run_brings_the_marts_up_to_date(scenario: Scenario) -> None:
    assert scenario.refreshed.success
    (request,) = scenario.after_late.run_requests or []
    start = date.fromisoformat(request.run_config["ops"]["eventhouse_dbt"]["config"]["start"])
    since = lambda key: key[3] >= start  # noqa: E731
    expected = only(truth_counts(scenario.data.truth("initial", "late")), since)
    assert only(scenario.counts_after_refresh, since) == expected
    assert expected


# --- 4. backfilling one day ---------------------------------------------------------------------


def test_backfilling_one_day_rebuilds_that_day(scenario: Scenario) -> None:
    assert scenario.backfilled.success
    assert scenario.backfilled.dagster_run.tags["dagster/partition"] == scenario.backfill_day.isoformat()
    day = on(scenario.backfill_day)
    expected = only(truth_counts(scenario.data.truth()), day)
    assert only(scenario.counts_after_backfill, day) == expected
    assert only(scenario.counts_after_refresh, day) != expected, "the day had events to pick up"
    assert sum(expected.values()) == scenario.raw_rows[scenario.backfill_day]


def test_backfilling_one_day_leaves_every_other_day_alone(scenario: Scenario) -> None:
    other = lambda key: key[3] != scenario.backfill_day  # noqa: E731
    assert only(scenario.counts_after_backfill, other) == only(scenario.counts_after_refresh, other)
    # and another day did have new events the backfill did not pick up
    pending = sum(only(scenario.counts_after_backfill, on(scenario.pending_day)).values())
    assert pending < scenario.raw_rows[scenario.pending_day]


# --- 5. retention -------------------------------------------------------------------------------


def test_retention_job_checks_the_ttls(scenario: Scenario) -> None:
    assert scenario.retention.success
    (evaluation,) = scenario.retention.get_asset_check_evaluations()
    assert evaluation.check_name == "assert_retention_ttls"
    assert evaluation.passed
    assert scenario.retention.get_asset_materialization_events() == []


# --- 6. a stale mart ----------------------------------------------------------------------------


@dataclasses.dataclass
class Staleness:
    check: dg.AssetCheckKey
    stale: dg.AssetCheckEvaluation
    alerts: list[dict[str, Any]]
    alert_cursor: str | None
    second_alert_tick: object
    materialized: dg.ExecuteInProcessResult
    fresh: dg.AssetCheckEvaluation


class _Webhook(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        self.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def staleness(scenario: Scenario, definitions: dg.Definitions) -> Iterator[Staleness]:
    """A mart last updated three days ago, on a fresh instance; then materialized."""
    instance = dg.DagsterInstance.ephemeral()
    mart = model_keys(prepared_manifest())["event_counts_daily"]
    check = dg.AssetCheckKey(mart, "freshness_check")
    three_days_ago = (datetime.now(UTC) - timedelta(days=3)).timestamp()
    instance.report_runless_asset_event(
        dg.AssetObservation(
            asset_key=mart,
            metadata={"dagster/last_updated_timestamp": dg.MetadataValue.timestamp(three_days_ago)},
        )
    )
    every_asset = definitions.resolve_implicit_global_asset_job_def()
    checked = every_asset.get_subset(asset_check_selection={check}).execute_in_process(instance=instance)
    (stale,) = checked.get_asset_check_evaluations()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Webhook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    alert_sensor = definitions.resolve_sensor_def("freshness_alerts_sensor")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("EVENTHOUSE_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/hook")
        first_tick = dg.build_sensor_context(instance=instance)
        alert_sensor(first_tick)
        second_tick = dg.build_sensor_context(instance=instance, cursor=first_tick.cursor)
        second = alert_sensor(second_tick)
    server.shutdown()

    materialized = every_asset.execute_in_process(instance=instance, asset_selection=[mart])
    fresh = next(e for e in materialized.get_asset_check_evaluations() if e.asset_check_key == check)
    yield Staleness(check, stale, list(_Webhook.received), first_tick.cursor, second, materialized, fresh)


def test_freshness_check_fails_on_a_stale_mart(staleness: Staleness) -> None:
    assert not staleness.stale.passed
    assert staleness.stale.severity == dg.AssetCheckSeverity.ERROR
    assert "overdue" in (staleness.stale.description or "")


def test_a_stale_mart_is_reported_once_to_the_webhook(staleness: Staleness) -> None:
    (alert,) = staleness.alerts
    assert "event_counts_daily" in alert["text"]
    assert [(f["asset"], f["check"]) for f in alert["failures"]] == [
        ("event_counts_daily", "freshness_check")
    ]
    assert staleness.alert_cursor is not None
    assert isinstance(staleness.second_alert_tick, dg.SkipReason)


def test_freshness_check_passes_after_materialization(staleness: Staleness) -> None:
    assert staleness.materialized.success
    assert staleness.fresh.passed
    assert "currently fresh" in (staleness.fresh.description or "")
