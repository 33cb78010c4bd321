-- Accepted events, one row each. ReplacingMergeTree collapses copies of an event at merge time,
-- keeping the earliest received (the highest dedup_version), the same copy staging picks when it
-- deduplicates exactly (DESIGN §7) — so a merge never removes the row staging would have chosen.
-- Partitioned by the event's own month so a late event lands beside its neighbours and TTL
-- drops whole parts; the non-replicated dedup window makes a retried insert block a no-op.
CREATE TABLE IF NOT EXISTS {db}.events_raw
(
    tenant_id LowCardinality(String),
    event_id UUID,
    event_name LowCardinality(String),
    occurred_at DateTime64(3, 'UTC'),
    client_occurred_at DateTime64(3, 'UTC'),
    occurred_offset_minutes Int16,
    received_at DateTime64(3, 'UTC'),
    site_id LowCardinality(String),
    session_id String,
    user_id String,
    source LowCardinality(String),
    schema_key LowCardinality(String),
    attributes String CODEC(ZSTD(3)),
    context String CODEC(ZSTD(3)),
    country LowCardinality(String),
    ip_prefix String,
    user_agent String CODEC(ZSTD(3)),
    sdk LowCardinality(String),
    batch_id String,
    dedup_version UInt64 MATERIALIZED toUInt64(9999999999999) - toUInt64(toUnixTimestamp64Milli(received_at)),
    INDEX idx_event_id event_id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_session_id session_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = ReplacingMergeTree(dedup_version)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (tenant_id, toDate(occurred_at), event_name, event_id)
TTL toDateTime(occurred_at) + INTERVAL {raw_retention_days} DAY
SETTINGS non_replicated_deduplication_window = 1000, ttl_only_drop_parts = 1
