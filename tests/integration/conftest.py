"""A real `eventhouse api` process on the session's warehouse, and tenants with real keys."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings
from ingest_api.tenants import create_tenant
from tests.support.processes import Service, api_server


def api_env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        "EVENTHOUSE_CLICKHOUSE_URL": settings.clickhouse_url,
        "EVENTHOUSE_DATABASE": settings.database,
        "EVENTHOUSE_DATA_DIR": str(settings.data_dir),
        **extra,
    }


@pytest.fixture(scope="session")
def api_process(
    migrated: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Service]]:
    with api_server(api_env(migrated), tmp_path_factory.mktemp("api-logs")) as running:
        yield running


@pytest.fixture(scope="session")
def api_url(api_process: tuple[str, Service]) -> str:
    return api_process[0]


@pytest.fixture
def api(api_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, timeout=30) as client:
        yield client


@pytest.fixture
def tenant(ch: Client, migrated: Settings) -> dict[str, str]:
    return create_tenant(ch, migrated.database, "Acme")


def stored_ids(ch: Client, settings: Settings, tenant_id: str) -> list[str]:
    result = ch.query(
        f"SELECT toString(event_id) FROM {settings.database}.events_raw WHERE tenant_id = {{t:String}}",
        parameters={"t": tenant_id},
    )
    return sorted(row[0] for row in result.result_rows)
