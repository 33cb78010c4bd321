"""`eventhouse migrate`: versioned, idempotent, recorded; the raw table dedupes retried inserts."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings
from warehouse.migrate import Migration, MigrationChanged, load_migrations, migrate


def _fresh(settings: Settings, **changes: object) -> Settings:
    return dataclasses.replace(settings, database=f"{settings.database}_m{uuid.uuid4().hex[:6]}", **changes)


def _schema(ch: Client, database: str) -> list[tuple[str, str]]:
    return list(
        ch.query(
            "SELECT name, create_table_query FROM system.tables WHERE database = {db:String} ORDER BY name",
            parameters={"db": database},
        ).result_rows
    )


def test_migrate_creates_the_tables_and_records_every_version(ch: Client, settings: Settings) -> None:
    target = _fresh(settings)
    applied = migrate(ch, target)
    assert applied == [f"{m.version:04d}_{m.name}" for m in load_migrations()]
    tables = dict(_schema(ch, target.database))
    assert {"events_raw", "events_rejected", "api_keys", "schema_migrations"} <= set(tables)
    assert "ReplacingMergeTree(dedup_version)" in tables["events_raw"]
    assert "non_replicated_deduplication_window = 1000" in tables["events_raw"]
    assert "toIntervalDay(90)" in tables["events_raw"]
    ledger = ch.query(f"SELECT version FROM {target.database}.schema_migrations FINAL ORDER BY version")
    assert [v for (v,) in ledger.result_rows] == [m.version for m in load_migrations()]


def test_running_migrate_twice_changes_nothing(ch: Client, settings: Settings) -> None:
    target = _fresh(settings)
    migrate(ch, target)
    before = _schema(ch, target.database)
    assert migrate(ch, target) == []
    assert _schema(ch, target.database) == before
    assert ch.command(f"SELECT count() FROM {target.database}.schema_migrations") == len(load_migrations())


def test_an_edited_migration_is_refused(ch: Client, settings: Settings) -> None:
    target = _fresh(settings)
    migrate(ch, target)
    edited = [
        dataclasses.replace(m, template=m.template + "\n-- edited") if m.version == 2 else m
        for m in load_migrations()
    ]
    with pytest.raises(MigrationChanged, match="0002_events_raw"):
        migrate(ch, target, edited)


def test_a_new_migration_is_applied_once(ch: Client, settings: Settings) -> None:
    target = _fresh(settings)
    migrate(ch, target)
    extra = Migration(9999, "probe", "CREATE TABLE IF NOT EXISTS {db}.probe (x UInt8) ENGINE = Memory;\n")
    assert migrate(ch, target, [*load_migrations(), extra]) == ["9999_probe"]
    assert migrate(ch, target, [*load_migrations(), extra]) == []


def test_retention_follows_the_setting(ch: Client, settings: Settings) -> None:
    target = _fresh(settings)
    migrate(ch, target)
    migrate(ch, dataclasses.replace(target, raw_retention_days=30, rejected_retention_days=7))
    tables = dict(_schema(ch, target.database))
    assert "toIntervalDay(30)" in tables["events_raw"]
    assert "toIntervalDay(7)" in tables["events_rejected"]


def test_a_retried_insert_block_is_stored_once(ch: Client, migrated: Settings) -> None:
    """Insert deduplication is on for the raw table: the same block (or token) twice is one block."""
    table = f"{migrated.database}.events_raw"
    tenant = f"t_{uuid.uuid4().hex[:6]}"
    rows = [
        [
            tenant,
            uuid.uuid4(),
            "page_view",
            "2026-11-01 10:00:00",
            "2026-11-01 10:00:00",
            0,
            "2026-11-01 10:00:01",
        ]
        for _ in range(3)
    ]
    columns = [
        "tenant_id",
        "event_id",
        "event_name",
        "occurred_at",
        "client_occurred_at",
        "occurred_offset_minutes",
        "received_at",
    ]
    token = {"insert_deduplication_token": f"batch-{tenant}"}
    for _ in range(2):
        ch.insert(table, rows, column_names=columns, settings=token)
    assert (
        ch.command(f"SELECT count() FROM {table} WHERE tenant_id = {{t:String}}", parameters={"t": tenant})
        == 3
    )
