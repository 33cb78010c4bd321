"""The repository's dagster.yaml on a real Postgres (dagster-postgres) records runs and their events.

Each test gets a database of its own, dropped afterwards. Postgres is reached through the same
DAGSTER_POSTGRES_* variables docker-compose sets (defaults: the local server, user postgres).
Without a reachable server the test is skipped on a laptop and fails in CI (`CI` set).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import psycopg2
import pytest

from orchestration.dbt_project import prepared_manifest
from orchestration.defs.raw import raw_asset_key
from orchestration.instance import write_instance
from tests.support.processes import REPO, free_port


def _server() -> dict[str, str]:
    return {
        "DAGSTER_POSTGRES_HOST": os.environ.get("DAGSTER_POSTGRES_HOST", "127.0.0.1"),
        "DAGSTER_POSTGRES_PORT": os.environ.get("DAGSTER_POSTGRES_PORT", "5432"),
        "DAGSTER_POSTGRES_USER": os.environ.get("DAGSTER_POSTGRES_USER", "postgres"),
        "DAGSTER_POSTGRES_PASSWORD": os.environ.get("DAGSTER_POSTGRES_PASSWORD", ""),
    }


def _connect(server: dict[str, str], database: str) -> psycopg2.extensions.connection:
    return psycopg2.connect(
        host=server["DAGSTER_POSTGRES_HOST"],
        port=int(server["DAGSTER_POSTGRES_PORT"]),
        user=server["DAGSTER_POSTGRES_USER"],
        password=server["DAGSTER_POSTGRES_PASSWORD"],
        dbname=database,
        connect_timeout=5,
    )


@pytest.fixture
def postgres_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """DAGSTER_POSTGRES_* for a fresh database on the server, set in this process's environment."""
    server = _server()
    try:
        admin = _connect(server, "postgres")
    except psycopg2.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Postgres is unreachable in CI: {exc}")
        pytest.skip(f"no Postgres: {exc}")
    admin.autocommit = True
    name = f"dagster_test_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    env = {**server, "DAGSTER_POSTGRES_DB": name}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        yield env
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.postgres
def test_postgres_instance_records_a_run_and_its_events(
    postgres_env: dict[str, str], request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    # the warehouse only once Postgres is known to be there, so a missing server fails fast
    definitions: dg.Definitions = request.getfixturevalue("definitions")
    home = tmp_path / "dagster"
    write_instance(home, postgres_env)
    raw = raw_asset_key(prepared_manifest())
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        job = definitions.resolve_implicit_global_asset_job_def()
        result = job.execute_in_process(instance=instance, asset_selection=[raw])
        assert result.success

        (run,) = instance.get_runs()
        assert run.run_id == result.run_id and run.status == dg.DagsterRunStatus.SUCCESS
        kinds = {event.dagster_event_type for event in instance.all_logs(run.run_id) if event.dagster_event}
        assert {dg.DagsterEventType.RUN_START, dg.DagsterEventType.ASSET_OBSERVATION} <= kinds
        assert instance.fetch_observations(raw, limit=1).records

    with (
        _connect(postgres_env, postgres_env["DAGSTER_POSTGRES_DB"]) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT run_id, status FROM runs")
        assert cursor.fetchall() == [(result.run_id, "SUCCESS")]
        cursor.execute("SELECT count(*) FROM event_logs WHERE run_id = %s", (result.run_id,))
        (events,) = cursor.fetchone()
        assert events > 5


@pytest.mark.parametrize(
    ("ci", "exit_code", "outcome"), [("1", 1, "Postgres is unreachable in CI"), ("", 0, "1 skipped")]
)
def test_an_unreachable_postgres_fails_in_ci_and_is_skipped_elsewhere(
    ci: str, exit_code: int, outcome: str
) -> None:
    env = {**os.environ, "CI": ci, "DAGSTER_POSTGRES_PORT": str(free_port())}
    test = f"{Path(__file__).relative_to(REPO)}::test_postgres_instance_records_a_run_and_its_events"
    command = [sys.executable, "-m", "pytest", test, "-p", "no:cacheprovider", "-p", "no:xdist", "-rs", "-q"]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert (result.returncode, outcome in result.stdout) == (exit_code, True), result.stdout[-2000:]
