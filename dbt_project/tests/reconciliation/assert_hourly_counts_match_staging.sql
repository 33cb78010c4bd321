-- The batch rollup is exact: per (tenant, site, event, hour) of the rebuilt window,
-- event_counts_hourly equals the deduplicated events in stg_events. Any surplus or shortfall
-- on either side is a row.
with counted as (
    select
        tenant_id,
        site_id,
        event_name,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        toInt64(count()) as difference
    from {{ ref('stg_events') }}
    where occurred_at >= {{ lookback_start() }}
    group by tenant_id, site_id, event_name, bucket_start
    union all
    select
        tenant_id,
        site_id,
        event_name,
        bucket_start,
        -toInt64(event_count) as difference
    from {{ ref('event_counts_hourly') }}
    where bucket_start >= {{ lookback_start() }}
)

select
    tenant_id,
    site_id,
    event_name,
    bucket_start,
    sum(difference) as staged_minus_rollup
from counted
group by tenant_id, site_id, event_name, bucket_start
having staged_minus_rollup != 0
