-- Events that failed the contract, kept for debugging: the reasons with their JSON Pointer
-- paths and the offending event text (truncated by the API), expiring by TTL.
CREATE TABLE IF NOT EXISTS {db}.events_rejected
(
    tenant_id LowCardinality(String),
    received_at DateTime64(3, 'UTC'),
    event_id String,
    event_name String,
    error_paths Array(String),
    error_messages Array(String),
    payload String CODEC(ZSTD(3)),
    payload_truncated Bool
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (tenant_id, received_at)
TTL toDateTime(received_at) + INTERVAL {rejected_retention_days} DAY
SETTINGS ttl_only_drop_parts = 1
