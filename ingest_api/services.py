"""The long-lived objects behind the API, built at startup and closed at shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt

from litestar.datastructures import State

from eventhouse.settings import Settings
from schemas.policy import ContractPolicy
from schemas.registry import default_registry
from warehouse.client import connect

from .bodies import Limits
from .dedupe import RecentIds
from .durable import DurableSink, Replayer, WarehouseHealth
from .ingest import Ingestor
from .keys import KeyStore
from .reports.catalogue import default_catalogue
from .reports.runner import QueryRunner
from .reports.service import Reports
from .sink import ClickHouseSink
from .spool.store import Spool
from .writer import GroupCommitWriter

REPORT_CONCURRENCY = 4


@dataclasses.dataclass
class Services:
    settings: Settings
    keys: KeyStore
    ingestor: Ingestor
    writer: GroupCommitWriter
    limits: Limits
    spool: Spool
    health: WarehouseHealth
    replayer: Replayer
    replay_task: asyncio.Task[None]
    reports: Reports

    @classmethod
    async def start(cls, settings: Settings) -> Services:
        timeout = {"send_receive_timeout": settings.insert_timeout_seconds, "connect_timeout": 2}
        warehouse = ClickHouseSink(
            [connect(settings, **timeout) for _ in range(2 * settings.insert_concurrency + 1)]
        )
        spool = Spool(settings.spool_dir, settings.spool_max_bytes)
        health = WarehouseHealth()
        ping_client = connect(settings, connect_timeout=2, send_receive_timeout=5)
        replayer = Replayer(spool, warehouse, health, ping=ping_client.ping)
        writer = GroupCommitWriter(
            DurableSink(warehouse, spool, health),
            max_rows=settings.batch_max_rows,
            max_wait=settings.batch_max_wait_ms / 1000,
            max_inflight=settings.insert_concurrency,
            max_pending_rows=settings.max_pending_rows,
            min_interval=settings.batch_min_interval_ms / 1000,
        )
        keys = KeyStore(connect(settings), settings.database, settings.key_cache_seconds)
        await keys.refresh()
        recent = RecentIds(settings.dedupe_horizon_seconds, settings.dedupe_max_ids)
        recent.remember(_recent_event_ids(settings))
        ingestor = Ingestor(
            registry=default_registry(),
            policy=ContractPolicy.from_settings(settings),
            recent=recent,
            writer=writer,
            database=settings.database,
            payload_limit=settings.rejected_payload_max_bytes,
        )
        limits = Limits(settings.max_body_bytes, settings.max_decompressed_bytes, settings.max_batch_events)
        replay_task = asyncio.create_task(replayer.run(), name="spool-replayer")
        reports = Reports(
            QueryRunner(
                [connect(settings) for _ in range(REPORT_CONCURRENCY)], settings.report_cache_seconds
            ),
            settings.database,
            default_catalogue(),
        )
        return cls(settings, keys, ingestor, writer, limits, spool, health, replayer, replay_task, reports)

    async def close(self) -> None:
        """Drain the group-commit buffer (into the warehouse or the spool), then stop replaying."""
        await self.writer.close()
        self.replay_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.replay_task


def _recent_event_ids(settings: Settings) -> list[tuple[str, str, float]]:
    """Event ids received within the dedupe horizon, so a restart still recognises retries."""
    horizon = settings.dedupe_horizon_seconds
    skew = int(settings.clock_skew_hours * 3600)
    result = connect(settings).query(
        f"""SELECT tenant_id, toString(event_id), dateDiff('millisecond', received_at, now64(3)) / 1000
        FROM {settings.database}.events_raw
        WHERE received_at > now64(3) - toIntervalSecond({{horizon:UInt32}})
          AND occurred_at > now64(3) - toIntervalSecond({{window:UInt32}})
        ORDER BY received_at DESC LIMIT {{limit:UInt32}}""",
        parameters={"horizon": horizon, "window": horizon + skew, "limit": settings.dedupe_max_ids},
    )
    return [(str(t), str(e), float(age)) for t, e, age in result.result_rows]


def services_of(state: State) -> Services:
    services: Services = state["services"]
    return services


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
