{{ config(severity='warn') }}

-- Warns when the live rollup over-counts a tenant by more than live_duplicate_tolerance
-- (0.5 %, the seeds' post-dedupe duplicate rate) over the rebuilt window: duplicates are
-- slipping past ingest dedupe and live dashboards show it until the batch marts take over.
with counted as (
    select
        tenant_id,
        sum(event_count) as live_events,
        toUInt64(0) as batch_events
    from {{ ref('event_counts_1m') }}
    where bucket_start >= {{ lookback_start() }} and bucket_start < toStartOfHour({{ reconcile_cutoff() }})
    group by tenant_id
    union all
    select
        tenant_id,
        toUInt64(0) as live_events,
        sum(event_count) as batch_events
    from {{ ref('event_counts_hourly') }}
    where bucket_start >= {{ lookback_start() }} and bucket_start < toStartOfHour({{ reconcile_cutoff() }})
    group by tenant_id
)

select
    tenant_id,
    sum(live_events) as live_event_count,
    sum(batch_events) as batch_event_count
from counted
group by tenant_id
having live_event_count > batch_event_count * (1 + {{ var('live_duplicate_tolerance') }})
