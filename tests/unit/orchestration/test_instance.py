"""The instance: one dagster.yaml, SQLite under DAGSTER_HOME unless Postgres is configured."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import yaml
from dagster._core.instance.config import PoolGranularity

from orchestration.instance import INSTANCE_YAML, instance_config, write_instance
from tests.support.processes import REPO

POSTGRES_VARIABLES = {
    "DAGSTER_POSTGRES_HOST",
    "DAGSTER_POSTGRES_PORT",
    "DAGSTER_POSTGRES_USER",
    "DAGSTER_POSTGRES_PASSWORD",
    "DAGSTER_POSTGRES_DB",
}


def test_the_repository_file_stores_in_postgres_from_the_compose_variables() -> None:
    database = yaml.safe_load(INSTANCE_YAML.read_text())["storage"]["postgres"]["postgres_db"]
    assert {value["env"] for value in database.values() if isinstance(value, dict)} == POSTGRES_VARIABLES
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    assert set(compose["x-eventhouse-env"]) >= POSTGRES_VARIABLES


def test_without_a_postgres_host_storage_is_sqlite_in_the_home(tmp_path: Path) -> None:
    base = yaml.safe_load(INSTANCE_YAML.read_text())
    local = instance_config(base, tmp_path, {})
    assert local["storage"] == {"sqlite": {"base_dir": str(tmp_path / "storage")}}
    assert {key: value for key, value in local.items() if key != "storage"} == {
        key: value for key, value in base.items() if key != "storage"
    }
    assert instance_config(base, tmp_path, {"DAGSTER_POSTGRES_HOST": "db"}) == base


def test_the_written_instance_loads_with_the_queue_limits_and_retries(tmp_path: Path) -> None:
    write_instance(tmp_path, {})
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert type(instance.run_storage).__name__ == "SqliteRunStorage"
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        concurrency = instance.get_concurrency_config()
        assert concurrency.pool_config.default_pool_limit == 1
        assert concurrency.pool_config.pool_granularity == PoolGranularity.RUN
        assert instance.run_retries_enabled
    assert (tmp_path / "storage").is_dir()
