"""One world for the dashboard and Grafana tests: generated events in a database of their own, every
mart built by dbt, an API serving them, and read keys for two tenants with events and one without."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings
from ingest_api.tenants import create_tenant
from tests.integration.conftest import api_env
from tests.support.dbt import Dbt, failed
from tests.support.processes import api_server
from tests.support.synthetic import Spec, Truth, generate, insert_rows
from warehouse.migrate import migrate

HOURS = 60  # of events before now: the 24-hour and 7-day views both have data, dbt stays quick
TENANTS = ("t_1", "t_2", "t_empty")  # t_empty has keys but no events


@dataclasses.dataclass(frozen=True)
class World:
    api_url: str
    settings: Settings
    truth: Truth
    read_keys: dict[str, str]  # tenant id -> read key
    write_key: str  # of t_1: a key the report API must refuse


@pytest.fixture(scope="session")
def world(ch: Client, migrated: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = dataclasses.replace(migrated, database=f"{migrated.database}_e2e")
    migrate(ch, settings)
    # Events end at the last whole hour: the report API reads buckets from the hour dbt last ran in
    # from the live rollups (raw rows, duplicates and all), so ending before it keeps every bucket
    # exactly the deduplicated ground truth.
    end = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    data = generate(Spec(end=end, hours=HOURS, sessions_per_site=250, seed=23))
    insert_rows(ch, settings.database, data.rows())
    # one first build after the events are in: every mart aggregates all of them (no lookback)
    result = Dbt(settings, tmp_path_factory.mktemp("dbt-e2e"))("run")
    assert result.returncode == 0, failed(result)
    keys = {t: create_tenant(ch, settings.database, t, tenant_id=t)["read_key"] for t in TENANTS}
    write_key = create_tenant(ch, settings.database, "t_1 writer", tenant_id="t_1")["write_key"]
    with api_server(api_env(settings), tmp_path_factory.mktemp("e2e-api")) as (url, _service):
        yield World(url, settings, data.truth(), keys, write_key)


def report(world: World, tenant: str, path: str, body: dict[str, Any]) -> Any:
    """One report API answer, asked directly (not through the page)."""
    response = httpx.post(
        f"{world.api_url}/api/v1/analytics/reports/{path}",
        json=body,
        headers={"Authorization": f"Bearer {world.read_keys[tenant]}"},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()
