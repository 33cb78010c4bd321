"""Every setting eventhouse reads, from the environment, in one place.

Settings are read lazily (on the first `get_settings()` call, never at import time) so that
tests and subprocesses can point a fresh process at their own warehouse and data directory.
`.env.example` lists every variable with its default.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Mapping
from pathlib import Path


class _Env:
    """Typed reads from an environment mapping."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def text(self, name: str, default: str) -> str:
        return self._environ.get(name, default)

    def integer(self, name: str, default: int) -> int:
        return int(self._environ.get(name, default))

    def number(self, name: str, default: float) -> float:
        return float(self._environ.get(name, default))

    def items(self, name: str, default: str = "") -> tuple[str, ...]:
        raw = self._environ.get(name, default)
        return tuple(item.strip() for item in raw.split(",") if item.strip())


@dataclasses.dataclass(frozen=True)
class Settings:
    """Process-wide configuration; each field names its environment variable."""

    # --- warehouse -------------------------------------------------------------------------
    clickhouse_url: str
    """EVENTHOUSE_CLICKHOUSE_URL: ClickHouse HTTP endpoint (the embedded warehouse by default)."""
    clickhouse_user: str
    """EVENTHOUSE_CLICKHOUSE_USER: ClickHouse user."""
    clickhouse_password: str
    """EVENTHOUSE_CLICKHOUSE_PASSWORD: ClickHouse password."""
    database: str
    """EVENTHOUSE_DATABASE: database holding eventhouse's tables (raw, rejected, keys, marts)."""
    data_dir: Path
    """EVENTHOUSE_DATA_DIR: local state (embedded warehouse data, spool, Dagster home)."""
    raw_retention_days: int
    """EVENTHOUSE_RAW_RETENTION_DAYS: TTL of events_raw, by the event's own time."""
    rejected_retention_days: int
    """EVENTHOUSE_REJECTED_RETENTION_DAYS: TTL of events_rejected."""

    # --- event contract ----------------------------------------------------------------------
    clock_skew_hours: float
    """EVENTHOUSE_CLOCK_SKEW_HOURS: occurred_at further than this from receipt is rejected."""
    url_query_allowlist: tuple[str, ...]
    """EVENTHOUSE_URL_QUERY_ALLOWLIST: query-string parameters kept on stored URLs (comma list)."""
    ip_prefix_bits: int
    """EVENTHOUSE_IP_PREFIX_BITS: keep this many leading bits of an IPv4 client address (0: none)."""
    country_header: str
    """EVENTHOUSE_COUNTRY_HEADER: trusted request header carrying the client's ISO country code."""

    # --- ingestion API -------------------------------------------------------------------------
    api_host: str
    """EVENTHOUSE_API_HOST: address `eventhouse api` binds."""
    api_port: int
    """EVENTHOUSE_API_PORT: port `eventhouse api` binds."""
    api_workers: int
    """EVENTHOUSE_API_WORKERS: API worker processes (each with its own group-commit buffer)."""
    max_batch_events: int
    """EVENTHOUSE_MAX_BATCH_EVENTS: events allowed in one request."""
    max_body_bytes: int
    """EVENTHOUSE_MAX_BODY_BYTES: request body size limit, as sent (compressed)."""
    max_decompressed_bytes: int
    """EVENTHOUSE_MAX_DECOMPRESSED_BYTES: request body size limit after decompression."""
    dedupe_horizon_seconds: int
    """EVENTHOUSE_DEDUPE_HORIZON_SECONDS: how long an accepted event_id is remembered per tenant."""
    dedupe_max_ids: int
    """EVENTHOUSE_DEDUPE_MAX_IDS: most event ids remembered (oldest forgotten first)."""
    batch_max_rows: int
    """EVENTHOUSE_BATCH_MAX_ROWS: a group commit flushes once this many rows wait."""
    batch_max_wait_ms: float
    """EVENTHOUSE_BATCH_MAX_WAIT_MS: a group commit flushes this long after its first row arrived."""
    batch_min_interval_ms: float
    """EVENTHOUSE_BATCH_MIN_INTERVAL_MS: at least this long between two inserts into one table."""
    insert_concurrency: int
    """EVENTHOUSE_INSERT_CONCURRENCY: inserts into one table in flight at once."""
    rate_limit: str
    """EVENTHOUSE_RATE_LIMIT: requests per tenant, as `<count>/<second|minute|hour|day>`."""
    key_cache_seconds: float
    """EVENTHOUSE_KEY_CACHE_SECONDS: how often the API re-reads API keys from the warehouse."""
    rejected_payload_max_bytes: int
    """EVENTHOUSE_REJECTED_PAYLOAD_MAX_BYTES: how much of a rejected event's text is kept."""

    # --- durability and operations ------------------------------------------------------------
    spool_max_bytes: int
    """EVENTHOUSE_SPOOL_MAX_BYTES: the on-disk spool's limit; past it, ingestion answers 503."""
    max_pending_rows: int
    """EVENTHOUSE_MAX_PENDING_ROWS: rows allowed to wait for the warehouse before 503s start."""
    insert_timeout_seconds: float
    """EVENTHOUSE_INSERT_TIMEOUT_SECONDS: an insert slower than this goes to the spool instead."""
    log_level: str
    """EVENTHOUSE_LOG_LEVEL: level of the API's JSON logs."""
    access_log: bool
    """EVENTHOUSE_ACCESS_LOG: log one JSON line per request (1) or not (0)."""
    otlp_endpoint: str
    """EVENTHOUSE_OTLP_ENDPOINT: OTLP/HTTP collector URL for traces; empty turns tracing off."""

    # --- orchestration -------------------------------------------------------------------------
    schedule_timezone: str
    """EVENTHOUSE_SCHEDULE_TIMEZONE: IANA zone the Dagster schedules' cron expressions run in."""
    alert_webhook_url: str
    """EVENTHOUSE_ALERT_WEBHOOK_URL: failed freshness checks are POSTed here as JSON; empty: log only."""

    # --- reports -------------------------------------------------------------------------------
    report_cache_seconds: float
    """EVENTHOUSE_REPORT_CACHE_SECONDS: how long a report answer is reused (per tenant and query)."""

    @property
    def spool_dir(self) -> Path:
        """Where the API spools acknowledged inserts the warehouse could not take."""
        return self.data_dir / "spool"

    @property
    def warehouse_dir(self) -> Path:
        """Where the embedded warehouse keeps its ClickHouse data."""
        return self.data_dir / "warehouse"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from `environ` (default: the process environment)."""
    env = _Env(os.environ if environ is None else environ)
    return Settings(
        clickhouse_url=env.text("EVENTHOUSE_CLICKHOUSE_URL", "http://127.0.0.1:8123"),
        clickhouse_user=env.text("EVENTHOUSE_CLICKHOUSE_USER", "default"),
        clickhouse_password=env.text("EVENTHOUSE_CLICKHOUSE_PASSWORD", ""),
        database=env.text("EVENTHOUSE_DATABASE", "eventhouse"),
        data_dir=Path(env.text("EVENTHOUSE_DATA_DIR", ".eventhouse")).absolute(),
        raw_retention_days=env.integer("EVENTHOUSE_RAW_RETENTION_DAYS", 90),
        rejected_retention_days=env.integer("EVENTHOUSE_REJECTED_RETENTION_DAYS", 30),
        clock_skew_hours=env.number("EVENTHOUSE_CLOCK_SKEW_HOURS", 24.0),
        url_query_allowlist=env.items(
            "EVENTHOUSE_URL_QUERY_ALLOWLIST", "utm_source,utm_medium,utm_campaign,utm_term,utm_content"
        ),
        ip_prefix_bits=env.integer("EVENTHOUSE_IP_PREFIX_BITS", 0),
        country_header=env.text("EVENTHOUSE_COUNTRY_HEADER", "CF-IPCountry"),
        api_host=env.text("EVENTHOUSE_API_HOST", "127.0.0.1"),
        api_port=env.integer("EVENTHOUSE_API_PORT", 8000),
        api_workers=env.integer("EVENTHOUSE_API_WORKERS", 1),
        max_batch_events=env.integer("EVENTHOUSE_MAX_BATCH_EVENTS", 500),
        max_body_bytes=env.integer("EVENTHOUSE_MAX_BODY_BYTES", 500 * 1024),
        max_decompressed_bytes=env.integer("EVENTHOUSE_MAX_DECOMPRESSED_BYTES", 5 * 1024 * 1024),
        dedupe_horizon_seconds=env.integer("EVENTHOUSE_DEDUPE_HORIZON_SECONDS", 3600),
        dedupe_max_ids=env.integer("EVENTHOUSE_DEDUPE_MAX_IDS", 1_000_000),
        batch_max_rows=env.integer("EVENTHOUSE_BATCH_MAX_ROWS", 5000),
        batch_max_wait_ms=env.number("EVENTHOUSE_BATCH_MAX_WAIT_MS", 5.0),
        batch_min_interval_ms=env.number("EVENTHOUSE_BATCH_MIN_INTERVAL_MS", 0.0),
        insert_concurrency=env.integer("EVENTHOUSE_INSERT_CONCURRENCY", 2),
        rate_limit=env.text("EVENTHOUSE_RATE_LIMIT", "1000/second"),
        key_cache_seconds=env.number("EVENTHOUSE_KEY_CACHE_SECONDS", 5.0),
        rejected_payload_max_bytes=env.integer("EVENTHOUSE_REJECTED_PAYLOAD_MAX_BYTES", 16 * 1024),
        spool_max_bytes=env.integer("EVENTHOUSE_SPOOL_MAX_BYTES", 1 << 30),
        max_pending_rows=env.integer("EVENTHOUSE_MAX_PENDING_ROWS", 200_000),
        insert_timeout_seconds=env.number("EVENTHOUSE_INSERT_TIMEOUT_SECONDS", 30.0),
        log_level=env.text("EVENTHOUSE_LOG_LEVEL", "INFO"),
        access_log=env.text("EVENTHOUSE_ACCESS_LOG", "1") == "1",
        otlp_endpoint=env.text("EVENTHOUSE_OTLP_ENDPOINT", ""),
        report_cache_seconds=env.number("EVENTHOUSE_REPORT_CACHE_SECONDS", 60.0),
        schedule_timezone=env.text("EVENTHOUSE_SCHEDULE_TIMEZONE", "UTC"),
        alert_webhook_url=env.text("EVENTHOUSE_ALERT_WEBHOOK_URL", ""),
    )


@functools.cache
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return load_settings()
