{{
    config(
        order_by='(tenant_id, bucket_start, site_id, event_name)',
        ttl=rollup_ttl(),
        meta={'grain': '1d', 'freshness': 'daily'}
    )
}}

-- Days are merged from the hourly mart (counts add up, uniq states merge), never rescanned.
-- Hourly columns are renamed on the way in: ClickHouse aliases are query-wide, so reusing a
-- name for the merged column would feed the aggregate into itself.
with hours as (
    select
        tenant_id,
        toStartOfDay(bucket_start) as day_start,
        site_id,
        event_name,
        event_count as hour_event_count,
        users_state as hour_users_state,
        sessions_state as hour_sessions_state
    from {{ ref('event_counts_hourly') }}
    where {{ in_batch_window('bucket_start', 'day') }}
),

daily_counts as (
    select
        tenant_id,
        day_start as bucket_start,
        site_id,
        event_name,
        sum(hour_event_count) as event_count,
        uniqMerge(hour_users_state) as user_count,
        uniqMerge(hour_sessions_state) as session_count,
        uniqMergeState(hour_users_state) as users_state,
        uniqMergeState(hour_sessions_state) as sessions_state
    from hours
    group by tenant_id, day_start, site_id, event_name
)

select * from daily_counts
{{ carry_forward_rest_of_partitions('day') }}
