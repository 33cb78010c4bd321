"""Prometheus metrics of the ingestion pipeline (served at /metrics by Litestar's controller)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS = Counter("eventhouse_events_total", "Events by outcome", ["outcome"])
VALIDATION_FAILURES = Counter("eventhouse_validation_failures_total", "Rejected events by schema", ["schema"])
DEDUPE_HITS = Counter("eventhouse_dedupe_hits_total", "Events recognised as duplicates of recent ones")
BATCH_SIZE = Histogram(
    "eventhouse_request_events", "Events per ingestion request", buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500)
)
GROUP_ROWS = Histogram(
    "eventhouse_insert_rows",
    "Rows per group-commit insert",
    buckets=(1, 10, 100, 500, 1000, 2000, 5000, 10000, 50000),
)
INSERT_SECONDS = Histogram(
    "eventhouse_insert_seconds", "Latency of inserts into the warehouse", ["table"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)  # fmt: skip
QUEUE_ROWS = Gauge(
    "eventhouse_queue_rows", "Rows waiting in the group-commit buffer", multiprocess_mode="livesum"
)
SPOOL_BYTES = Gauge(
    "eventhouse_spool_bytes", "Bytes of inserts waiting in the spool", multiprocess_mode="livesum"
)
SPOOL_AGE = Gauge(
    "eventhouse_spool_oldest_age_seconds", "Age of the oldest spooled insert", multiprocess_mode="livemax"
)
SPOOLED = Counter("eventhouse_spooled_inserts_total", "Inserts written to the spool instead of the warehouse")
REPLAYED = Counter("eventhouse_replayed_inserts_total", "Spooled inserts replayed into the warehouse")
REPLAY_ERRORS = Counter("eventhouse_replay_errors_total", "Failed attempts to replay the spool")
WAREHOUSE_UP = Gauge(
    "eventhouse_warehouse_up", "1 when the last warehouse contact succeeded", multiprocess_mode="livemin"
)
OVERLOADED = Counter(
    "eventhouse_overloaded_total", "Requests refused with 503 because a buffer was full", ["reason"]
)

TOTALS: dict[str, float] = {"accepted": 0, "duplicate": 0, "dropped": 0, "rejected": 0, "spooled_inserts": 0}
"""This process's running totals, for the JSON stats endpoint."""


def record_request(accepted: int, duplicates: int, dropped: int, rejected_schemas: list[str]) -> None:
    """Count one ingestion request's outcomes."""
    for outcome, count in (
        ("accepted", accepted),
        ("duplicate", duplicates),
        ("dropped", dropped),
        ("rejected", len(rejected_schemas)),
    ):
        if count:
            EVENTS.labels(outcome).inc(count)
            TOTALS[outcome] += count
    if duplicates:
        DEDUPE_HITS.inc(duplicates)
    for schema in rejected_schemas:
        VALIDATION_FAILURES.labels(schema).inc()
    BATCH_SIZE.observe(accepted + duplicates + dropped + len(rejected_schemas))


def record_spooled() -> None:
    SPOOLED.inc()
    TOTALS["spooled_inserts"] += 1
