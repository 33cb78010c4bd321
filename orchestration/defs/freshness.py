"""Freshness checks: every model with a tier (every mart has one) and the raw source.

A check fails when the asset's last update is older than its tier's bound (orchestration.tiers);
events_raw's bound is dbt's own `freshness.error_after` for the source. A dbt run updates the
batch models; for events_raw and the live rollups, the new-data sensor's observations carry the
time ClickHouse last wrote them. A sensor re-runs each check whenever it could have gone stale,
and every run that rebuilds a model runs its check right after.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

import dagster as dg

from orchestration.defs.raw import raw_source
from orchestration.manifest import Model, models
from orchestration.tiers import TIERS_BY_NAME

FRESHNESS_SENSOR = "freshness_checks_sensor"


def freshness_bounds(every_model: Iterable[Model]) -> dict[str, timedelta]:
    """How old each tiered model may get, by model name."""
    return {model.name: TIERS_BY_NAME[model.tier].max_age for model in every_model if model.tier}


def freshness_checks(
    manifest: Mapping[str, Any], keys: Mapping[str, dg.AssetKey], raw_key: dg.AssetKey
) -> list[dg.AssetChecksDefinition]:
    by_bound: dict[timedelta, list[dg.AssetKey]] = collections.defaultdict(list)
    for name, bound in freshness_bounds(models(manifest)).items():
        by_bound[bound].append(keys[name])
    error_after = raw_source(manifest).error_after
    if error_after is not None:
        by_bound[error_after].append(raw_key)
    return [
        check
        for bound, assets in sorted(by_bound.items())
        for check in dg.build_last_update_freshness_checks(
            assets=assets, lower_bound_delta=bound, severity=dg.AssetCheckSeverity.ERROR
        )
    ]


def freshness_sensor(checks: list[dg.AssetChecksDefinition]) -> dg.SensorDefinition:
    return dg.build_sensor_for_freshness_checks(
        freshness_checks=checks,
        name=FRESHNESS_SENSOR,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
