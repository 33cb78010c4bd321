"""dbt against the session's warehouse: a database of its own, and a helper that runs dbt in it."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings

REPO = Path(__file__).resolve().parents[3]
PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")


@dataclasses.dataclass(frozen=True)
class Dbt:
    """`dbt` run as a subprocess on one database; target and logs stay in a temporary directory."""

    settings: Settings
    workdir: Path

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "EVENTHOUSE_CLICKHOUSE_URL": self.settings.clickhouse_url,
            "EVENTHOUSE_CLICKHOUSE_USER": self.settings.clickhouse_user,
            "EVENTHOUSE_CLICKHOUSE_PASSWORD": self.settings.clickhouse_password,
            "EVENTHOUSE_DATABASE": self.settings.database,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }

    def __call__(self, *args: str, vars: dict[str, Any] | None = None) -> subprocess.CompletedProcess[str]:
        command = [
            str(DBT),
            *args,
            "--project-dir", str(PROJECT),
            "--profiles-dir", str(PROJECT),
            "--target-path", str(self.workdir / "target"),
            "--log-path", str(self.workdir / "logs"),
        ]  # fmt: skip
        if vars:
            command += ["--vars", json.dumps(vars)]
        return subprocess.run(command, env=self.env(), cwd=REPO, capture_output=True, text=True, timeout=600)

    def artifact(self, name: str) -> dict[str, Any]:
        return json.loads((self.workdir / "target" / name).read_text())


def failed(result: subprocess.CompletedProcess[str]) -> str:
    """The useful end of a failed dbt run's output, for assertion messages."""
    lines = [line for line in result.stdout.splitlines() if "ERROR" in line or "FAIL" in line]
    return "\n".join(lines[-20:] + result.stdout.splitlines()[-30:] + [result.stderr[-2000:]])


def query(client: Client, sql: str) -> list[dict[str, Any]]:
    result = client.query(sql)
    return [dict(zip(result.column_names, row, strict=True)) for row in result.result_rows]


@dataclasses.dataclass(frozen=True)
class Table:
    """A table's rows at one moment, minus aggregate-state columns (opaque bytes)."""

    columns: tuple[str, ...]
    rows: frozenset[tuple[Any, ...]]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def snapshot(client: Client, database: str, tables: list[str]) -> dict[str, Table]:
    """Every row of `tables` now."""
    taken = {}
    for table in tables:
        columns = [
            name
            for name, kind in client.query(
                "SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {t:String}"
                " ORDER BY position",
                parameters={"db": database, "t": table},
            ).result_rows
            if not str(kind).startswith("AggregateFunction")
        ]
        rows = client.query(f"SELECT {', '.join(columns)} FROM {database}.{table}").result_rows
        taken[table] = Table(tuple(columns), frozenset(tuple(_hashable(v) for v in row) for row in rows))
    return taken


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    if isinstance(value, list):
        return tuple(value)
    return value
