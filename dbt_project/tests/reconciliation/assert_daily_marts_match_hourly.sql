-- Days are merges of hours: event counts, users and latency samples per day equal the sums and
-- merges of the hourly rows (over the reconcile window).
with counts as (
    select
        tenant_id,
        site_id,
        event_name,
        toStartOfDay(bucket_start) as day_start,
        toInt64(sum(event_count)) as difference,
        toInt64(uniqMerge(users_state)) as user_difference
    from {{ ref('event_counts_hourly') }}
    where bucket_start >= {{ reconcile_since() }}
    group by tenant_id, site_id, event_name, day_start
    union all
    select
        tenant_id,
        site_id,
        event_name,
        bucket_start as day_start,
        -toInt64(event_count) as difference,
        -toInt64(user_count) as user_difference
    from {{ ref('event_counts_daily') }}
    where bucket_start >= {{ reconcile_since() }}
),

samples as (
    select
        tenant_id,
        site_id,
        event_name,
        toStartOfDay(bucket_start) as day_start,
        toInt64(sum(sample_count)) as difference
    from {{ ref('latency_hourly') }}
    where bucket_start >= {{ reconcile_since() }}
    group by tenant_id, site_id, event_name, attribute, day_start
    union all
    select
        tenant_id,
        site_id,
        event_name,
        bucket_start as day_start,
        -toInt64(sample_count) as difference
    from {{ ref('latency_daily') }}
    where bucket_start >= {{ reconcile_since() }}
)

select
    'event_counts' as mart,
    tenant_id,
    site_id,
    event_name,
    day_start,
    sum(difference) as hourly_minus_daily
from counts
group by tenant_id, site_id, event_name, day_start
having hourly_minus_daily != 0 or sum(user_difference) != 0
union all
select
    'latency' as mart,
    tenant_id,
    site_id,
    event_name,
    day_start,
    sum(difference) as hourly_minus_daily
from samples
group by tenant_id, site_id, event_name, day_start
having hourly_minus_daily != 0
