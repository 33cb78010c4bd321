{{
    config(
        order_by='(tenant_id, bucket_start, site_id, event_name, attribute)',
        ttl=rollup_ttl(),
        meta={'grain': '1h', 'freshness': 'hot'}
    )
}}

with samples as (
    select * from {{ ref('int_latency_samples') }}
    where {{ in_batch_window('occurred_at', 'hour') }}
),

hourly_latency as (
    select
        tenant_id,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        site_id,
        event_name,
        attribute,
        count() as sample_count,
        sum(value_ms) as value_sum_ms,
        min(value_ms) as value_min_ms,
        max(value_ms) as value_max_ms,
        {{ latency_percentiles(latency_state('value_ms'), 'max(value_ms)') }},
        {{ latency_state('value_ms') }} as value_ms_state
    from samples
    group by tenant_id, bucket_start, site_id, event_name, attribute
)

select * from hourly_latency
{{ carry_forward_rest_of_partitions('hour') }}
