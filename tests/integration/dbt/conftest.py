"""Reading the marts dbt built in a test's database."""

from __future__ import annotations

import dataclasses
from typing import Any

from clickhouse_connect.driver.client import Client


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
