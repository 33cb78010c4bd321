"""Resources: the warehouse (ClickHouse through eventhouse's settings) and the dbt CLI.

The warehouse resource is the one place orchestration learns where ClickHouse is: unset fields
fall back to EVENTHOUSE_* (eventhouse.settings), and tests set them to their own session's
warehouse and database. dbt reads the same variables in profiles.yml, so the resource hands
them to every dbt invocation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from clickhouse_connect.driver.client import Client
from dagster_dbt import DbtCliResource, DbtProject

from eventhouse.settings import Settings, load_settings
from warehouse.client import connect

_ENVIRON_LOCK = threading.Lock()


class WarehouseResource(dg.ConfigurableResource):
    """The eventhouse ClickHouse database; any field left unset comes from EVENTHOUSE_*."""

    clickhouse_url: str | None = None
    clickhouse_user: str | None = None
    clickhouse_password: str | None = None
    database: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(
            clickhouse_url=settings.clickhouse_url,
            clickhouse_user=settings.clickhouse_user,
            clickhouse_password=settings.clickhouse_password,
            database=settings.database,
        )

    def settings(self) -> Settings:
        """eventhouse's settings as this process's environment has them, with this resource's overrides."""
        fields = ("clickhouse_url", "clickhouse_user", "clickhouse_password", "database")
        overrides = {name: getattr(self, name) for name in fields if getattr(self, name) is not None}
        return dataclasses.replace(load_settings(), **overrides)

    def client(self) -> Client:
        return connect(self.settings())

    @contextlib.contextmanager
    def dbt_environment(self) -> Iterator[None]:
        """Overlay EVENTHOUSE_* on os.environ while a dbt invocation starts.

        dagster-dbt builds dbt's environment from os.environ and takes no other; the overlay is
        undone once the subprocess has started, and a lock keeps concurrent starts apart.
        """
        settings = self.settings()
        overlay = {
            "EVENTHOUSE_CLICKHOUSE_URL": settings.clickhouse_url,
            "EVENTHOUSE_CLICKHOUSE_USER": settings.clickhouse_user,
            "EVENTHOUSE_CLICKHOUSE_PASSWORD": settings.clickhouse_password,
            "EVENTHOUSE_DATABASE": settings.database,
        }
        with _ENVIRON_LOCK:
            saved = {name: os.environ.get(name) for name in overlay}
            os.environ.update(overlay)
            try:
                yield
            finally:
                for name, value in saved.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value


def dbt_cli(project: DbtProject) -> DbtCliResource:
    """The dbt CLI for `project`, using the dbt installed beside this interpreter.

    A virtualenv that is not activated has no `dbt` on PATH, yet its interpreter runs Dagster.
    """
    beside_python = Path(sys.executable).with_name("dbt")
    return DbtCliResource(
        project_dir=project,
        dbt_executable=str(beside_python) if beside_python.exists() else "dbt",
    )
