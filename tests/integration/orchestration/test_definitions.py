"""`defs` loads from the real dbt project: every model an asset, lineage whole, automation present."""

from __future__ import annotations

from typing import Any

import dagster as dg
import pytest

from orchestration.dbt_project import prepared_manifest
from orchestration.definitions import defs
from orchestration.defs.dbt import model_keys
from orchestration.defs.jobs import scheduled_tiers
from orchestration.defs.raw import raw_asset_key
from orchestration.manifest import models

SENSORS = {"new_raw_events_sensor", "freshness_checks_sensor", "freshness_alerts_sensor"}
JOBS = {"build_all_models", "refresh_incremental_models", "rebuild_days", "verify_retention_ttls"}
SEED_002_CADENCE = {"hot": "0 * * * *", "daily": "0 1 * * *", "weekly": "0 2 * * 0", "monthly": "0 3 1 * *"}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return prepared_manifest()


def ancestors(graph: dg.AssetGraph, key: dg.AssetKey) -> set[dg.AssetKey]:
    found: set[dg.AssetKey] = set()
    todo = [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


def test_every_dbt_model_is_an_asset_downstream_of_events_raw(
    definitions: dg.Definitions, manifest: dict[str, Any]
) -> None:
    graph = definitions.resolve_asset_graph()
    raw = raw_asset_key(manifest)
    assert raw == dg.AssetKey(["eventhouse", "events_raw"])
    assert graph.get(raw).is_observable
    keys = model_keys(manifest)
    assert len(keys) >= 28
    for name, key in keys.items():
        assert raw in ancestors(graph, key), f"{name} does not descend from events_raw"


def test_groups_are_dbt_folders(definitions: dg.Definitions, manifest: dict[str, Any]) -> None:
    graph = definitions.resolve_asset_graph()
    keys = model_keys(manifest)
    groups = {name: graph.get(key).group_name for name, key in keys.items()}
    assert groups["stg_events"] == "staging"
    assert groups["stg_voice__tool_calls"] == "staging_voice"
    assert groups["int_latency_samples"] == "intermediate"
    assert groups["event_counts_hourly"] == "marts_core"
    assert groups["tool_calls_hourly"] == "marts_voice"
    assert graph.get(raw_asset_key(manifest)).group_name == "raw"


def test_dbt_tests_are_asset_checks(definitions: dg.Definitions, manifest: dict[str, Any]) -> None:
    check_keys = set(definitions.resolve_asset_graph().asset_check_keys)
    keys = model_keys(manifest)
    by_unique_id = {node["unique_id"]: node["name"] for node in manifest["nodes"].values()}
    attached = [
        (by_unique_id[node["attached_node"]], node["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("attached_node") in by_unique_id
    ]
    assert len(attached) > 30
    for model, test in attached:
        assert dg.AssetCheckKey(keys[model], test) in check_keys


def test_every_mart_and_the_raw_table_have_a_freshness_check(
    definitions: dg.Definitions, manifest: dict[str, Any]
) -> None:
    check_keys = set(definitions.resolve_asset_graph().asset_check_keys)
    keys = model_keys(manifest)
    marts = [model for model in models(manifest) if model.is_mart]
    assert len(marts) >= 18
    for model in marts:
        assert dg.AssetCheckKey(keys[model.name], "freshness_check") in check_keys, model.name
    assert dg.AssetCheckKey(raw_asset_key(manifest), "freshness_check") in check_keys


def test_schedules_sensors_and_jobs(definitions: dg.Definitions, manifest: dict[str, Any]) -> None:
    tiers = scheduled_tiers(manifest)
    assert {"hot", "daily", "weekly"} <= set(tiers)
    names = {schedule.name for schedule in definitions.schedules or []}
    assert names == {f"{tier}_schedule" for tier in tiers} | {"retention_ttls_schedule"}
    for tier in tiers:
        schedule = definitions.resolve_schedule_def(f"{tier}_schedule")
        assert schedule.cron_schedule == SEED_002_CADENCE[tier]
        assert schedule.execution_timezone == "UTC"
    assert {sensor.name for sensor in definitions.sensors or []} == SENSORS
    jobs = {job.name for job in definitions.resolve_all_job_defs()} - {"__ASSET_JOB"}
    assert jobs == JOBS | {f"{tier}_models" for tier in tiers}


def test_live_models_are_left_to_clickhouse(definitions: dg.Definitions, manifest: dict[str, Any]) -> None:
    keys = model_keys(manifest)
    live = {keys[model.name] for model in models(manifest) if model.live}
    assert live, "the project has live rollups"
    for job in definitions.resolve_all_job_defs():
        if job.name not in ("build_all_models", "__ASSET_JOB"):
            assert not live & set(job.asset_layer.selected_asset_keys), job.name
    assert live <= set(definitions.resolve_job_def("build_all_models").asset_layer.selected_asset_keys)


def test_rebuild_days_is_partitioned_by_day(definitions: dg.Definitions) -> None:
    job = definitions.resolve_job_def("rebuild_days")
    assert isinstance(job.partitions_def, dg.DailyPartitionsDefinition)
    config = job.partitioned_config.get_run_config_for_partition_key("2025-03-04")  # type: ignore[union-attr]
    assert config == {"ops": {"eventhouse_dbt": {"config": {"start": "2025-03-04", "end": "2025-03-05"}}}}


def test_schedule_timezone_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTHOUSE_SCHEDULE_TIMEZONE", "Europe/Berlin")
    loaded = defs()
    names = [schedule.name for schedule in loaded.schedules or []]
    assert {loaded.resolve_schedule_def(name).execution_timezone for name in names} == {"Europe/Berlin"}
