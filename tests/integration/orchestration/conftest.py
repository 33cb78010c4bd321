"""Dagster against the session's warehouse: the real definitions, a database per module."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg
import pytest
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings
from orchestration.definitions import build_definitions
from orchestration.resources import WarehouseResource
from tests.support.synthetic import Spec
from warehouse.migrate import migrate


@pytest.fixture(scope="module")
def database(ch: Client, migrated: Settings, request: pytest.FixtureRequest) -> Iterator[Settings]:
    """A migrated database of this module's own: other modules write events of their own."""
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    settings = dataclasses.replace(migrated, database=f"{migrated.database}_{module}")
    migrate(ch, settings)
    yield settings
    ch.command(f"DROP DATABASE IF EXISTS `{settings.database}`")


@pytest.fixture(scope="module")
def definitions(database: Settings) -> dg.Definitions:
    """The real definitions, with the warehouse resource on this module's database."""
    return build_definitions(WarehouseResource.from_settings(database))


def small_spec() -> Spec:
    """Few sessions, but every wave present: dbt's cost is its start-up, not the rows."""
    return Spec(
        end=datetime.now(UTC).replace(second=0, microsecond=0),
        tenants=1,
        sites_per_tenant=2,
        users_per_site=30,
        sessions_per_site=150,
        late_rate=0.06,
        very_late_rate=0.06,
    )
