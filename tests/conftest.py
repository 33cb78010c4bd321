"""Fixtures shared by every test: a real warehouse (embedded, or a server when configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings, load_settings
from tests.support.processes import embedded_warehouse
from warehouse.client import connect
from warehouse.migrate import migrate

EXTERNAL_CLICKHOUSE = os.environ.get("EVENTHOUSE_CLICKHOUSE_URL")
"""When set, tests run against that ClickHouse server instead of an embedded warehouse."""


@pytest.fixture(scope="session")
def warehouse_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The ClickHouse HTTP endpoint of this test session (one embedded warehouse per xdist worker)."""
    if EXTERNAL_CLICKHOUSE:
        yield EXTERNAL_CLICKHOUSE
        return
    with embedded_warehouse(tmp_path_factory.mktemp("warehouse") / "data") as (url, _service):
        yield url


@pytest.fixture(scope="session")
def settings(warehouse_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for this session: its warehouse, a database of its own, a fresh data directory."""
    return load_settings(
        {
            **os.environ,
            "EVENTHOUSE_CLICKHOUSE_URL": warehouse_url,
            "EVENTHOUSE_DATABASE": f"eventhouse_test_{uuid.uuid4().hex[:8]}",
            "EVENTHOUSE_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        }
    )


@pytest.fixture(scope="session")
def ch(settings: Settings) -> Client:
    """A clickhouse-connect client on the session's warehouse."""
    return connect(settings)


@pytest.fixture(scope="session")
def migrated(ch: Client, settings: Settings) -> Settings:
    """The session's database with every migration applied."""
    migrate(ch, settings)
    return settings


@pytest.fixture
def tmp_data_dir(tmp_path: Path) -> Path:
    return tmp_path
