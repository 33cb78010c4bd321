"""`dagster asset materialize -m orchestration.definitions --select '*'` from a shell, as documented."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings
from orchestration.dbt_project import prepared_manifest
from orchestration.defs.dbt import model_keys
from orchestration.instance import write_instance
from tests.integration.orchestration.conftest import small_spec
from tests.support.processes import REPO
from tests.support.synthetic import generate, insert_rows

pytestmark = pytest.mark.slow


def test_materializing_every_asset_from_the_shell(database: Settings, ch: Client, tmp_path: Path) -> None:
    data = generate(small_spec())
    insert_rows(ch, database.database, data.rows("initial"))
    home = tmp_path / "dagster"
    write_instance(home, {})  # the SQLite instance `make run` uses
    env = {
        **os.environ,
        "EVENTHOUSE_CLICKHOUSE_URL": database.clickhouse_url,
        "EVENTHOUSE_DATABASE": database.database,
        "EVENTHOUSE_DATA_DIR": str(tmp_path / "data"),
        "DAGSTER_HOME": str(home),
    }
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster), "asset", "materialize", "-m", "orchestration.definitions", "--select", "*"]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]

    (count,) = ch.query(f"SELECT sum(event_count) FROM `{database.database}`.event_counts_daily").result_rows[
        0
    ]
    assert count == len(data.truth("initial"))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        (run,) = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.SUCCESS
        for key in model_keys(prepared_manifest()).values():
            assert instance.get_latest_materialization_event(key) is not None, key
