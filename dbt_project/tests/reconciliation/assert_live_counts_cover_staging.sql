-- The live rollup counts events_raw rows on insert, so for every closed hour of the rebuilt
-- window it holds at least the deduplicated count (it may hold more: duplicates that slipped
-- past ingest, see assert_live_duplicate_share_is_small). A shortfall means inserts went
-- uncounted (e.g. the materialized view was missing while rows arrived).
with counted as (
    select
        tenant_id,
        site_id,
        event_name,
        toStartOfHour(bucket_start) as hour_start,
        toInt64(sum(event_count)) as difference
    from {{ ref('event_counts_1m') }}
    where bucket_start >= {{ lookback_start() }}
    group by tenant_id, site_id, event_name, hour_start
    union all
    select
        tenant_id,
        site_id,
        event_name,
        bucket_start as hour_start,
        -toInt64(event_count) as difference
    from {{ ref('event_counts_hourly') }}
    where bucket_start >= {{ lookback_start() }}
)

select
    tenant_id,
    site_id,
    event_name,
    hour_start,
    sum(difference) as live_minus_batch
from counted
where hour_start < toStartOfHour({{ reconcile_cutoff() }})
group by tenant_id, site_id, event_name, hour_start
having live_minus_batch < 0
