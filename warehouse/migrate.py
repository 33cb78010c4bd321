"""Versioned, idempotent DDL: `warehouse/migrations/NNNN_name.sql`, applied once each, in order.

Each file is a template over `{db}` and the retention settings; its checksum is taken over the
template, so changing a retention setting never looks like an edited migration. Retention is
reconciled separately on every run, so EVENTHOUSE_RAW_RETENTION_DAYS can change after install.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_TTL_DAYS = re.compile(r"toIntervalDay\((\d+)\)")


class MigrationChanged(RuntimeError):
    """An applied migration's file was edited afterwards; add a new migration instead."""


@dataclasses.dataclass(frozen=True)
class Migration:
    version: int
    name: str
    template: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.template.encode()).hexdigest()

    def statements(self, settings: Settings) -> list[str]:
        """The rendered statements of this migration, split on `;` at line ends."""
        rendered = (
            self.template.replace("{db}", settings.database)
            .replace("{raw_retention_days}", str(settings.raw_retention_days))
            .replace("{rejected_retention_days}", str(settings.rejected_retention_days))
        )
        return [part.strip() for part in re.split(r";\s*$", rendered, flags=re.M) if _has_sql(part)]


def _has_sql(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every migration file in `directory`, ordered by version."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration file {path.name} must be named NNNN_snake_case.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path.read_text()))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"duplicate migration versions in {directory}")
    return found


def _ledger_ddl(database: str) -> list[str]:
    return [
        f"CREATE DATABASE IF NOT EXISTS {database}",
        f"""CREATE TABLE IF NOT EXISTS {database}.schema_migrations
        (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
        ENGINE = ReplacingMergeTree ORDER BY version""",
    ]


def migrate(client: Client, settings: Settings, migrations: list[Migration] | None = None) -> list[str]:
    """Apply pending migrations and reconcile retention; returns the names of those applied."""
    for ddl in _ledger_ddl(settings.database):
        client.command(ddl)
    ledger = client.query(f"SELECT version, checksum FROM {settings.database}.schema_migrations FINAL")
    applied: dict[int, str] = {int(version): str(checksum) for version, checksum in ledger.result_rows}
    done = []
    for migration in migrations if migrations is not None else load_migrations():
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                raise MigrationChanged(
                    f"migration {migration.version:04d}_{migration.name} changed after it was applied"
                )
            continue
        for statement in migration.statements(settings):
            client.command(statement)
        client.insert(
            f"{settings.database}.schema_migrations",
            [[migration.version, migration.name, migration.checksum]],
            column_names=["version", "name", "checksum"],
        )
        done.append(f"{migration.version:04d}_{migration.name}")
    reconcile_retention(client, settings)
    return done


def reconcile_retention(client: Client, settings: Settings) -> None:
    """Bring the raw and rejected tables' TTLs in line with the configured retention."""
    wanted = {
        "events_raw": ("occurred_at", settings.raw_retention_days),
        "events_rejected": ("received_at", settings.rejected_retention_days),
    }
    for table, (column, days) in wanted.items():
        engine_full = client.command(
            "SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {t:String}",
            parameters={"db": settings.database, "t": table},
        )
        current = _TTL_DAYS.search(str(engine_full))
        if current is not None and int(current.group(1)) != days:
            ttl = f"toDateTime({column}) + INTERVAL {days} DAY"
            client.command(f"ALTER TABLE {settings.database}.{table} MODIFY TTL {ttl}")
