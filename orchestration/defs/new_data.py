"""The sensor that turns newly received events into dbt runs.

Its cursor is the newest `received_at` it has seen. When rows arrive after it, the sensor asks
for one run of the incremental models from the earliest day those events happened on — late
events included, however old — and records an observation of events_raw and of the live rollups
(which ClickHouse fed on insert). The window has no end, so the run moves the batch watermark
the report API reads, like a lookback run. The first evaluation ever runs the full build instead, so a
fresh install gets its live materialized views without anyone pressing a button.

While a refresh it asked for still waits in the run queue, it asks for nothing and keeps its
cursor: the next request, once that run starts, covers everything received meanwhile. So at most
one refresh waits behind the one running, however fast events arrive.

Rows stored with a `received_at` older than the cursor (a spool replayed after an outage) are
not seen here; the tier schedules' lookback re-aggregates them.
"""

# No `from __future__ import annotations`: Dagster reads the types of resource and config
# parameters from the decorated functions when definitions load.
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import dagster as dg

from orchestration.defs.jobs import BUILD_ALL_JOB, REFRESH_JOB
from orchestration.defs.raw import (
    Arrivals,
    arrivals_since,
    last_writes,
    live_observation,
    raw_source,
    snapshot,
)
from orchestration.resources import WarehouseResource
from orchestration.windows import Window

if TYPE_CHECKING:
    from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

NEW_DATA_SENSOR = "new_raw_events_sensor"
_WAITING = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING]


def run_request(arrivals: Arrivals, first: bool) -> dg.RunRequest:
    """The run new arrivals call for: the full build the first time, else from their first day on."""
    if arrivals.newest_received_at is None:
        raise ValueError("no arrivals, no run")
    run_key = arrivals.newest_received_at.isoformat()
    if first:
        return dg.RunRequest(run_key=run_key, job_name=BUILD_ALL_JOB)
    return dg.RunRequest(
        run_key=run_key, job_name=REFRESH_JOB, run_config=Window.since_earliest(arrivals.days).run_config()
    )


def new_raw_events_sensor(
    manifest: Mapping[str, Any],
    raw_key: dg.AssetKey,
    live_keys: Mapping[str, dg.AssetKey],
    targets: "Sequence[UnresolvedAssetJobDefinition]",
) -> dg.SensorDefinition:
    """`live_keys`: asset key of each live rollup, by table name; `targets`: the two jobs it runs."""
    raw = raw_source(manifest)

    @dg.sensor(
        name=NEW_DATA_SENSOR,
        jobs=list(targets),
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Runs the incremental models over the days newly received events fell on.",
    )
    def sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource) -> dg.SensorResult:
        waiting = context.instance.get_runs_count(dg.RunsFilter(job_name=REFRESH_JOB, statuses=_WAITING))
        if waiting:
            return dg.SensorResult(skip_reason="a refresh is still waiting to start; it will be followed")
        cursor = datetime.fromisoformat(context.cursor) if context.cursor else None
        client, database = warehouse.client(), warehouse.settings().database
        arrivals = arrivals_since(client, database, raw, cursor)
        if arrivals.newest_received_at is None:
            return dg.SensorResult(skip_reason=f"no events received after {context.cursor or 'the start'}")
        state = snapshot(client, database, raw)
        observations = [
            dg.AssetObservation(asset_key=raw_key, metadata=state.metadata()),
            *(
                live_observation(live_keys[table], written)
                for table, written in last_writes(client, database, list(live_keys)).items()
            ),
        ]
        return dg.SensorResult(
            run_requests=[run_request(arrivals, first=cursor is None)],
            cursor=arrivals.newest_received_at.isoformat(),
            asset_events=observations,
        )

    return sensor
