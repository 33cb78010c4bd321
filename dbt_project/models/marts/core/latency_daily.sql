{{
    config(
        order_by='(tenant_id, bucket_start, site_id, event_name, attribute)',
        ttl=rollup_ttl(),
        meta={'grain': '1d', 'freshness': 'daily'}
    )
}}

-- Days are merged from the hourly states: the same sketch as aggregating the day's samples.
-- Hourly columns are renamed on the way in (ClickHouse aliases are query-wide).
with hours as (
    select
        tenant_id,
        toStartOfDay(bucket_start) as day_start,
        site_id,
        event_name,
        attribute,
        sample_count as hour_sample_count,
        value_sum_ms as hour_value_sum_ms,
        value_min_ms as hour_value_min_ms,
        value_max_ms as hour_value_max_ms,
        value_ms_state as hour_value_ms_state
    from {{ ref('latency_hourly') }}
    where {{ in_batch_window('bucket_start', 'day') }}
),

daily_latency as (
    select
        tenant_id,
        day_start as bucket_start,
        site_id,
        event_name,
        attribute,
        sum(hour_sample_count) as sample_count,
        sum(hour_value_sum_ms) as value_sum_ms,
        min(hour_value_min_ms) as value_min_ms,
        max(hour_value_max_ms) as value_max_ms,
        {{ latency_percentiles(merge_latency_state('hour_value_ms_state'), 'max(hour_value_max_ms)') }},
        {{ merge_latency_state('hour_value_ms_state') }} as value_ms_state
    from hours
    group by tenant_id, day_start, site_id, event_name, attribute
)

select * from daily_latency
{{ carry_forward_rest_of_partitions('day') }}
