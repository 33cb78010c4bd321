"""The ClickHouse end of group commit: one insert per group, with its content-derived dedup token."""

from __future__ import annotations

import queue
from collections.abc import Sequence
from typing import Any

from clickhouse_connect.driver.client import Client


class ClickHouseSink:
    """Inserts groups column-wise; one client per concurrent insert (clients are not shared)."""

    def __init__(self, clients: Sequence[Client]) -> None:
        self._clients: queue.Queue[Client] = queue.Queue()
        for client in clients:
            self._clients.put(client)

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], token: str) -> None:
        client = self._clients.get()
        try:
            client.insert(
                table,
                list(zip(*rows, strict=True)),
                column_names=list(columns),
                column_oriented=True,
                settings={"insert_deduplication_token": token},
            )
        finally:
            self._clients.put(client)
