"""A platform of one's own per test: warehouse and API processes that the test stops and kills."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest

from eventhouse.settings import Settings, load_settings
from ingest_api.tenants import create_tenant
from tests.support.events import voice_first_response
from tests.support.processes import Service, embedded_warehouse, free_port
from warehouse.client import connect
from warehouse.migrate import migrate


@dataclasses.dataclass
class Platform:
    root: Path
    warehouse_port: int
    settings: Settings
    write_key: str = ""
    tenant_id: str = ""

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "EVENTHOUSE_CLICKHOUSE_URL": self.settings.clickhouse_url,
            "EVENTHOUSE_DATA_DIR": str(self.settings.data_dir),
            "EVENTHOUSE_KEY_CACHE_SECONDS": "600",  # keys stay usable while the warehouse is down
            **extra,
        }

    def warehouse(self) -> AbstractContextManager[tuple[str, Service]]:
        """The platform's warehouse process (same port and data each time it is started)."""
        return embedded_warehouse(self.root / "warehouse", port=self.warehouse_port)

    def stored_counts(self) -> dict[str, int]:
        result = connect(self.settings).query(
            "SELECT toString(event_id), count() FROM eventhouse.events_raw WHERE tenant_id = {t:String} GROUP BY event_id",
            parameters={"t": self.tenant_id},
        )
        return {event_id: count for event_id, count in result.result_rows}


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    port = free_port()
    settings = load_settings(
        {
            "EVENTHOUSE_CLICKHOUSE_URL": f"http://127.0.0.1:{port}",
            "EVENTHOUSE_DATA_DIR": str(tmp_path / "api"),
        }
    )
    found = Platform(tmp_path, port, settings)
    with found.warehouse():
        client = connect(settings)
        migrate(client, settings)
        tenant = create_tenant(client, settings.database, "Durable")
    found.write_key, found.tenant_id = tenant["write_key"], tenant["tenant_id"]
    yield found


class Load:
    """Posts 20-event batches from a few threads until stopped; remembers what was acknowledged."""

    def __init__(self, url: str, key: str, threads: int = 3) -> None:
        self.url, self.key = url, key
        self.acknowledged: list[str] = []
        self.statuses: dict[int, int] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self._stop.is_set():
                events = [voice_first_response() for _ in range(20)]
                try:
                    response = client.post(
                        f"{self.url}/api/v1/analytics/events",
                        json={"events": events},
                        params={"key": self.key},
                    )
                except httpx.HTTPError:
                    time.sleep(0.05)
                    continue
                with self._lock:
                    self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
                    if response.status_code == 200:
                        assert response.json()["accepted"] == 20
                        self.acknowledged.extend(e["event_id"] for e in events)
                if response.status_code != 200:
                    time.sleep(0.05)

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def count(self) -> int:
        with self._lock:
            return len(self.acknowledged)

    def wait_for(self, more: int, timeout: float = 60) -> None:
        target = self.count() + more
        deadline = time.monotonic() + timeout
        while self.count() < target:
            assert time.monotonic() < deadline, f"only {self.count()} acknowledged; statuses {self.statuses}"
            time.sleep(0.05)


def wait_until_replayed(api_url: str, timeout: float = 90) -> dict:
    """Poll readiness until the warehouse is reachable and the spool is empty."""
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        response = httpx.get(f"{api_url}/api/v1/analytics/events/health", timeout=10)
        state = response.json()
        if response.status_code == 200 and state["spool"]["bytes"] == 0:
            return state
        time.sleep(0.2)
    raise AssertionError(f"spool not replayed in time: {state}")
