"""events_raw, the table the ingest API appends to: an external asset Dagster observes.

It is the dbt source every model descends from (same asset key), so lineage runs unbroken from
raw events to the marts. An observation records its row count and newest `received_at`; that
time is also its `dagster/last_updated_timestamp`, which the freshness checks read.
"""

# No `from __future__ import annotations`: Dagster reads the types of resource and config
# parameters from the decorated functions when definitions load.
import dataclasses
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import dagster as dg
from clickhouse_connect.driver.client import Client

from orchestration.defs.dbt import EventhouseTranslator
from orchestration.manifest import Source, source
from orchestration.resources import WarehouseResource

RAW_SOURCE = ("eventhouse", "events_raw")
"""(dbt source name, table) of the raw events."""
EVENT_TIME = "occurred_at"
"""The column buckets, staging partitions and Dagster's day windows are cut on."""
RAW_GROUP = "raw"
_LAST_UPDATED = "dagster/last_updated_timestamp"


def raw_source(manifest: Mapping[str, Any]) -> Source:
    return source(manifest, *RAW_SOURCE)


def raw_asset_key(manifest: Mapping[str, Any]) -> dg.AssetKey:
    """The key dagster-dbt gives the dbt source, so the models' dependency lands on this asset."""
    node = next(
        node for node in manifest["sources"].values() if (node["source_name"], node["name"]) == RAW_SOURCE
    )
    return EventhouseTranslator().get_asset_key(node)


@dataclasses.dataclass(frozen=True)
class RawSnapshot:
    row_count: int
    newest_received_at: datetime | None

    def metadata(self) -> dict[str, dg.MetadataValue]:
        metadata: dict[str, dg.MetadataValue] = {"row_count": dg.MetadataValue.int(self.row_count)}
        if self.newest_received_at is not None:
            newest = self.newest_received_at.timestamp()
            metadata["newest_received_at"] = dg.MetadataValue.timestamp(newest)
            metadata[_LAST_UPDATED] = dg.MetadataValue.timestamp(newest)
        return metadata

    def data_version(self) -> dg.DataVersion:
        newest = self.newest_received_at.isoformat() if self.newest_received_at else "empty"
        return dg.DataVersion(f"{self.row_count}@{newest}")


def _utc(moment: datetime) -> datetime | None:
    """ClickHouse answers an empty max() with the epoch: that means no rows."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None if aware.timestamp() <= 0 else aware


def snapshot(client: Client, database: str, raw: Source) -> RawSnapshot:
    row_count, newest = client.query(
        f"SELECT count(), max({raw.loaded_at_field}) FROM `{database}`.`{raw.name}`"
    ).result_rows[0]
    return RawSnapshot(int(row_count), _utc(newest))


@dataclasses.dataclass(frozen=True)
class Arrivals:
    """Rows received after a cursor: the days their events happened on, and the newest receipt."""

    days: tuple[date, ...]
    newest_received_at: datetime | None


def arrivals_since(client: Client, database: str, raw: Source, cursor: datetime | None) -> Arrivals:
    """What arrived after `cursor` (everything when None)."""
    rows = client.query(
        f"SELECT toDate({EVENT_TIME}) AS day, max({raw.loaded_at_field}) FROM `{database}`.`{raw.name}`"
        f" WHERE {raw.loaded_at_field} > {{cursor:DateTime64(3, 'UTC')}} GROUP BY day ORDER BY day",
        parameters={"cursor": cursor or datetime.fromtimestamp(0, UTC)},
    ).result_rows
    newest = max((received for _, received in rows), default=None)
    return Arrivals(tuple(day for day, _ in rows), _utc(newest) if newest else None)


def last_writes(client: Client, database: str, tables: Sequence[str]) -> dict[str, float]:
    """When ClickHouse last wrote each table (its newest active part), as Unix timestamps."""
    if not tables:
        return {}
    rows = client.query(
        "SELECT table, toUnixTimestamp(max(modification_time)) FROM system.parts"
        " WHERE database = {db:String} AND table IN {tables:Array(String)} AND active GROUP BY table",
        parameters={"db": database, "tables": list(tables)},
    ).result_rows
    return {table: float(written) for table, written in rows}


def live_observation(key: dg.AssetKey, written: float) -> dg.AssetObservation:
    """A live rollup, as fresh as ClickHouse's last write into it."""
    return dg.AssetObservation(asset_key=key, metadata={_LAST_UPDATED: dg.MetadataValue.timestamp(written)})


def raw_events_asset(manifest: Mapping[str, Any]) -> dg.SourceAsset:
    raw = raw_source(manifest)

    @dg.observable_source_asset(
        key=raw_asset_key(manifest), group_name=RAW_GROUP, description=raw.description
    )
    def events_raw(warehouse: WarehouseResource) -> dg.ObserveResult:
        state = snapshot(warehouse.client(), warehouse.settings().database, raw)
        return dg.ObserveResult(data_version=state.data_version(), metadata=state.metadata())

    return events_raw
