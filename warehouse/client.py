"""clickhouse-connect clients for whatever EVENTHOUSE_CLICKHOUSE_URL points at."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import clickhouse_connect
from clickhouse_connect.driver.client import Client

from eventhouse.settings import Settings, get_settings


def connect(settings: Settings | None = None, **options: Any) -> Client:
    """A client for the configured ClickHouse (embedded warehouse or server); `options` pass through.

    Without a session unless asked for: our statements carry their own settings, and a session
    would make the server keep state and refuse a client used from two threads at once.
    """
    settings = settings or get_settings()
    options.setdefault("autogenerate_session_id", False)
    url = urlsplit(settings.clickhouse_url)
    secure = url.scheme == "https"
    return clickhouse_connect.get_client(
        host=url.hostname or "127.0.0.1",
        port=url.port or (8443 if secure else 8123),
        username=url.username or settings.clickhouse_user,
        password=url.password or settings.clickhouse_password,
        secure=secure,
        **options,
    )
