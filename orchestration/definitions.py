"""eventhouse's Dagster definitions: the one entry point (`workspace.yaml` loads `defs`).

    assets      defs/dbt.py (every dbt model), defs/raw.py (events_raw, observed)
    automation  defs/jobs.py, defs/schedules.py (seed 002's cadence), defs/new_data.py (sensor)
    freshness   defs/freshness.py (checks and their sensor), defs/alerts.py (failure reports)

Definitions load lazily (`@dg.definitions`): the manifest is parsed, if it must be, and the
environment read when Dagster loads the code location, not when this module is imported.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import dagster as dg

from eventhouse.settings import load_settings
from orchestration.dbt_project import eventhouse_project, prepared_manifest
from orchestration.defs.alerts import freshness_alert_sensor
from orchestration.defs.dbt import dbt_models_asset, model_keys
from orchestration.defs.freshness import freshness_checks, freshness_sensor
from orchestration.defs.jobs import BUILD_ALL_JOB, REFRESH_JOB, jobs, scheduled_tiers
from orchestration.defs.new_data import new_raw_events_sensor
from orchestration.defs.raw import raw_asset_key, raw_events_asset
from orchestration.defs.schedules import schedules
from orchestration.manifest import models
from orchestration.resources import WarehouseResource, dbt_cli


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()


def build_definitions(warehouse: WarehouseResource | None = None) -> dg.Definitions:
    """The definitions, on `warehouse` (default: wherever EVENTHOUSE_* point when a run starts)."""
    settings = load_settings()  # read when definitions load, so a changed environment applies
    ZoneInfo(settings.schedule_timezone)  # an unknown zone fails here, not at the first tick
    manifest = prepared_manifest()
    dbt_models = dbt_models_asset(manifest)
    keys = model_keys(manifest)
    raw_key = raw_asset_key(manifest)
    live_keys = {model.name: keys[model.name] for model in models(manifest) if model.live}

    all_jobs = jobs(manifest, dbt_models, keys, raw_key)
    sensor_targets = [job for job in all_jobs if job.name in (BUILD_ALL_JOB, REFRESH_JOB)]
    checks = freshness_checks(manifest, keys, raw_key)
    check_keys = [spec.key for check in checks for spec in check.check_specs]

    return dg.Definitions.merge(
        dg.Definitions(
            assets=[raw_events_asset(manifest), dbt_models],
            resources={"dbt": dbt_cli(eventhouse_project), "warehouse": warehouse or WarehouseResource()},
            # A run is one dbt step (dbt parallelises inside it) and a few quick checks: running
            # them in the run's own process saves re-importing dbt and Dagster for every step.
            executor=dg.in_process_executor,
        ),
        dg.Definitions(
            jobs=all_jobs,
            schedules=schedules(scheduled_tiers(manifest), settings.schedule_timezone),
            sensors=[new_raw_events_sensor(manifest, raw_key, live_keys, sensor_targets)],
        ),
        dg.Definitions(
            asset_checks=checks,
            sensors=[freshness_sensor(checks), freshness_alert_sensor(check_keys)],
        ),
    )
