{{
    config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        engine='MergeTree()',
        partition_by='toYYYYMM(activity_week)',
        order_by='(tenant_id, site_id, activity_week, user_id)',
        ttl=rollup_ttl('activity_week'),
        meta={'grain': '1w', 'freshness': 'daily'}
    )
}}

-- One row per user and week (Monday, UTC) in which they sent any event. Kept for the rollup
-- retention, longer than raw events, so cohorts keep their first week after raw data expires.
with events as (
    select
        tenant_id,
        site_id,
        user_id,
        occurred_at
    from {{ ref('stg_events') }}
    where user_id != '' and {{ in_batch_window('occurred_at', 'week') }}
),

user_weeks as (
    select
        tenant_id,
        site_id,
        user_id,
        toDateTime(toMonday(occurred_at), 'UTC') as activity_week,
        count() as event_count
    from events
    group by tenant_id, site_id, user_id, activity_week
)

select * from user_weeks
{{ carry_forward_rest_of_partitions('week', bucket_column='activity_week') }}
