{{
    config(
        order_by='(tenant_id, bucket_start, site_id, event_name)',
        ttl=rollup_ttl(),
        meta={'grain': '1h', 'freshness': 'hot'}
    )
}}

with events as (
    select
        tenant_id,
        site_id,
        event_name,
        occurred_at,
        user_id,
        session_id
    from {{ ref('stg_events') }}
    where {{ in_batch_window('occurred_at', 'hour') }}
),

hourly_counts as (
    select
        tenant_id,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        site_id,
        event_name,
        count() as event_count,
        uniqIf(user_id, user_id != '') as user_count,
        uniqIf(session_id, session_id != '') as session_count,
        {{ uniq_state('user_id') }} as users_state,
        {{ uniq_state('session_id') }} as sessions_state
    from events
    group by tenant_id, bucket_start, site_id, event_name
)

select * from hourly_counts
{{ carry_forward_rest_of_partitions('hour') }}
