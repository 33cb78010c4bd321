"""Every dbt model as a Dagster asset, grouped by its dbt folder, with dbt tests as asset checks.

One op runs `dbt build` for whatever subset a run selects. Its run config may name a window of
days (a partition, or the days new events fell on); without one, incremental models use dbt's
own lookback. Every run of it takes the `warehouse` pool's single slot, so dbt runs queue
instead of piling up on ClickHouse; a failed build is retried with exponential backoff, which
is safe because every model rebuilds whole partitions (insert_overwrite) or whole tables.
"""

# No `from __future__ import annotations`: Dagster reads the types of resource and config
# parameters from the decorated functions when definitions load.
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_project import eventhouse_project
from orchestration.manifest import group_for_folders, model_from_node
from orchestration.resources import WarehouseResource
from orchestration.windows import DBT_OP_NAME, dbt_build_args

WAREHOUSE_POOL = "warehouse"
"""Concurrency pool of every dbt run; dagster.yaml gives each pool one slot."""

DBT_RETRY_POLICY = dg.RetryPolicy(
    max_retries=2, delay=30, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


class EventhouseTranslator(DagsterDbtTranslator):
    """Groups by dbt folder; tags each model with its freshness tier and liveness."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_group_name(dbt_resource_props)
        return group_for_folders(tuple(dbt_resource_props["fqn"][1:-1]))

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        tags = dict(super().get_tags(dbt_resource_props))
        if dbt_resource_props["resource_type"] == "model":
            model = model_from_node(dbt_resource_props)
            if model.tier:
                tags["freshness"] = model.tier
            if model.live:
                tags["live"] = ""
        return tags


class BuildWindow(dg.Config):
    """Days to re-aggregate, as ISO dates [start, end); empty: dbt's lookback."""

    start: str = ""
    end: str = ""


def dbt_models_asset(manifest: Mapping[str, Any]) -> dg.AssetsDefinition:
    """The multi-asset of every dbt model in `manifest`."""

    @dbt_assets(
        manifest=manifest,
        project=eventhouse_project,
        dagster_dbt_translator=EventhouseTranslator(),
        name=DBT_OP_NAME,
        pool=WAREHOUSE_POOL,
        retry_policy=DBT_RETRY_POLICY,
    )
    def eventhouse_dbt(
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        warehouse: WarehouseResource,
        config: BuildWindow,
    ) -> Iterator[Any]:
        # dbt's artifacts (~6 MB a run, compiled SQL mostly) go in a directory of the run's own
        # that is removed afterwards: left in dbt_project/target, a busy sensor fills the disk
        with tempfile.TemporaryDirectory(prefix="eventhouse-dbt-") as target:
            with warehouse.dbt_environment():
                invocation = dbt.cli(
                    dbt_build_args(config.start, config.end), context=context, target_path=Path(target)
                )
            for event in invocation.stream():
                # dbt tests with several parents are logged as observations of each parent; on
                # events_raw such an observation would hide the one carrying its last update
                if isinstance(event, dg.AssetObservation) and event.asset_key not in context.assets_def.keys:
                    continue
                yield event

    return eventhouse_dbt


def model_keys(manifest: Mapping[str, Any]) -> dict[str, dg.AssetKey]:
    """Asset key of every model, by model name."""
    translator = EventhouseTranslator()
    return {
        node["name"]: translator.get_asset_key(node)
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
