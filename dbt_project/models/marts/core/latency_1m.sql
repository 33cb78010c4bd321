{{
    config(
        materialized='materialized_view',
        engine='AggregatingMergeTree()',
        order_by='(tenant_id, bucket_start, site_id, event_name, attribute)',
        ttl=rollup_ttl(),
        meta={'grain': '1m', 'freshness': 'hot', 'live': true}
    )
}}

-- Live: kept current on insert by a materialized view on events_raw (see event_counts_1m).
-- One quantile state per latency attribute and minute; any grain's p50/p95/p99 merges out of it.
with samples as (
    {{ latency_samples_from(source('eventhouse', 'events_raw')) }}
)

select
    tenant_id,
    toStartOfMinute(toDateTime(occurred_at)) as bucket_start,
    site_id,
    event_name,
    attribute,
    {{ simple_state('sum', 'toUInt64(1)', 'UInt64') }} as sample_count,
    {{ simple_state('sum', 'value_ms', 'Float64') }} as value_sum_ms,
    {{ simple_state('min', 'value_ms', 'Float64') }} as value_min_ms,
    {{ simple_state('max', 'value_ms', 'Float64') }} as value_max_ms,
    {{ latency_state('value_ms') }} as value_ms_state
from samples
group by tenant_id, bucket_start, site_id, event_name, attribute
