-- Tenants' API keys, stored as SHA-256 hashes only. A key is changed (revoked) by inserting a
-- newer version of its row; readers use FINAL so the newest version wins.
CREATE TABLE IF NOT EXISTS {db}.api_keys
(
    key_hash FixedString(64),
    key_prefix String,
    tenant_id LowCardinality(String),
    tenant_name String,
    kind Enum8('write' = 1, 'read' = 2),
    allowed_origins Array(String),
    allowed_sites Array(String),
    created_at DateTime64(3, 'UTC'),
    revoked_at Nullable(DateTime64(3, 'UTC')),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY key_hash
