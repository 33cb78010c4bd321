"""dbt-clickhouse, unmodified, against the warehouse: table, view, incremental and materialized-view
models and a data test, built twice; on the embedded warehouse the data survives a restart."""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Iterator
from pathlib import Path

from eventhouse.settings import Settings
from tests.conftest import EXTERNAL_CLICKHOUSE
from tests.support.dbt import Dbt, failed
from tests.support.processes import embedded_warehouse, free_port
from warehouse.client import connect

FIXTURE = Path(__file__).parent / "dbt_fixture"


@contextlib.contextmanager
def warehouse(data_dir: Path, port: int) -> Iterator[str]:
    """A warehouse of this test's own (it restarts it), or the configured server."""
    if EXTERNAL_CLICKHOUSE:
        yield EXTERNAL_CLICKHOUSE
        return
    with embedded_warehouse(data_dir, port) as (url, _):
        yield url


def _counts(settings: Settings) -> dict[str, int]:
    client = connect(settings)
    tables = ("fixture_table", "fixture_view", "fixture_incremental", "fixture_mv")
    counts = {t: int(client.command(f"SELECT count() FROM {settings.database}.{t}")) for t in tables}
    counts["mv_rows"] = int(client.command(f"SELECT sum(rows) FROM {settings.database}.fixture_mv"))
    return counts


def test_dbt_builds_every_materialization_twice_and_keeps_its_data(
    settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    with warehouse(tmp_path / "wh", port) as url:
        target = dataclasses.replace(
            settings, clickhouse_url=url, database=f"{settings.database}_dbt_{uuid.uuid4().hex[:6]}"
        )
        client = connect(target)
        client.command(f"CREATE DATABASE IF NOT EXISTS {target.database}")
        client.command(
            f"CREATE TABLE {target.database}.fixture_source (id UInt64, label String) ENGINE = MergeTree ORDER BY id"
        )
        client.command(
            f"INSERT INTO {target.database}.fixture_source SELECT number, toString(number) FROM numbers(30)"
        )
        dbt = Dbt(target, tmp_path / "dbt", project=FIXTURE)
        first = dbt("build")
        assert first.returncode == 0, failed(first)
        assert _counts(target) == {
            "fixture_table": 30,
            "fixture_view": 30,
            "fixture_incremental": 30,
            "fixture_mv": 3,
            "mv_rows": 30,
        }
        client.command(
            f"INSERT INTO {target.database}.fixture_source SELECT number, toString(number) FROM numbers(30, 20)"
        )
        assert _counts(target)["mv_rows"] == 50  # the materialized view fires on insert
        second = dbt("build")
        assert second.returncode == 0, failed(second)
        assert "PASS=" in second.stdout and "ERROR=0" in second.stdout
        built = _counts(target)
        assert built["fixture_table"] == built["fixture_incremental"] == 50 and built["mv_rows"] == 50
    if EXTERNAL_CLICKHOUSE:
        return
    with warehouse(tmp_path / "wh", port):
        assert _counts(target) == built  # after a restart, everything is still there
