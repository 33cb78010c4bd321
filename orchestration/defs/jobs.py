"""The jobs schedules and sensors launch, each a selection of dbt models derived from `meta`.

Live models (materialized views ClickHouse keeps current on insert) are built only by the full
build: rebuilding them on a timer would buy nothing. Every other job also builds the models its
selection reads from (views, staging), so a new model's upstream always exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import dagster as dg

from orchestration.manifest import Model, models
from orchestration.tiers import TIERS
from orchestration.windows import Window

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

BUILD_ALL_JOB = "build_all_models"
REFRESH_JOB = "refresh_incremental_models"
BY_DAY_JOB = "rebuild_days"
RETENTION_JOB = "verify_retention_ttls"

RETENTION_TEST = "assert_retention_ttls"
"""The dbt test comparing every table's TTL with the retention settings."""

PARTITIONS_START = "2025-01-01"
"""First day a backfill can target; raw events older than the 90-day TTL are gone anyway."""


def tier_job_name(tier: str) -> str:
    return f"{tier}_models"


@dg.daily_partitioned_config(start_date=PARTITIONS_START, end_offset=1)
def _one_day(start: datetime, end: datetime) -> dict[str, Any]:
    # end_offset=1: today is a partition too, so today's buckets can be rebuilt before midnight
    return Window(start.date(), end.date()).run_config()


def scheduled_tiers(manifest: Mapping[str, Any]) -> list[str]:
    """Tiers with at least one model a schedule must rebuild, in cadence order."""
    present = {model.tier for model in models(manifest) if model.tier and not model.live}
    return [tier.name for tier in TIERS if tier.name in present]


def _rebuilding(
    chosen: list[Model], keys: Mapping[str, dg.AssetKey], never: dg.AssetSelection
) -> dg.AssetSelection:
    """`chosen` and everything they read from, bar `never`."""
    return dg.AssetSelection.assets(*(keys[model.name] for model in chosen)).upstream() - never


def jobs(
    manifest: Mapping[str, Any],
    dbt_models: dg.AssetsDefinition,
    keys: Mapping[str, dg.AssetKey],
    raw_key: dg.AssetKey,
) -> list[UnresolvedAssetJobDefinition]:
    every_model = models(manifest)
    never = dg.AssetSelection.assets(raw_key, *(keys[m.name] for m in every_model if m.live))
    incremental = _rebuilding([m for m in every_model if m.materialized == "incremental"], keys, never)
    retention_checks = [spec.key for spec in dbt_models.check_specs if spec.name == RETENTION_TEST]
    if not retention_checks:
        raise LookupError(f"the dbt test {RETENTION_TEST} is gone; {RETENTION_JOB} has nothing to run")
    return [
        dg.define_asset_job(
            BUILD_ALL_JOB,
            selection=dg.AssetSelection.assets(dbt_models),
            description="Every dbt model, live ones included: first install and model changes.",
        ),
        dg.define_asset_job(
            REFRESH_JOB,
            selection=incremental,
            description="Incremental models for a window of days (run config), or dbt's lookback.",
        ),
        dg.define_asset_job(
            BY_DAY_JOB,
            selection=incremental,
            config=_one_day,
            description="Incremental models for one day: re-materialize or backfill any day.",
        ),
        dg.define_asset_job(
            RETENTION_JOB,
            selection=dg.AssetSelection.checks(*retention_checks),
            description="Checks every table's ClickHouse TTL against the retention settings.",
        ),
        *(
            dg.define_asset_job(
                tier_job_name(tier),
                selection=_rebuilding([m for m in every_model if m.tier == tier], keys, never),
                description=f"Models of the {tier} freshness tier, over dbt's lookback.",
            )
            for tier in scheduled_tiers(manifest)
        ),
    ]
