{{
    config(
        materialized='materialized_view',
        engine='AggregatingMergeTree()',
        order_by='(tenant_id, bucket_start, site_id, event_name)',
        ttl=rollup_ttl(),
        meta={'grain': '1m', 'freshness': 'hot', 'live': true}
    )
}}

-- Live: a ClickHouse materialized view on events_raw keeps this current on every insert, so
-- this is the one mart reading the source directly (a view over it would never fire).
-- It counts raw rows: a duplicate that slipped past ingest dedupe is counted here until the
-- batch marts, which read deduplicated staging, supersede the bucket.
select
    tenant_id,
    toStartOfMinute(toDateTime(occurred_at)) as bucket_start,
    site_id,
    event_name,
    {{ simple_state('sum', 'toUInt64(1)', 'UInt64') }} as event_count,
    {{ uniq_state('user_id') }} as users_state,
    {{ uniq_state('session_id') }} as sessions_state
from {{ source('eventhouse', 'events_raw') }}
group by tenant_id, bucket_start, site_id, event_name
