{{
    config(
        materialized='table',
        order_by='(tenant_id, bucket_start, site_id, activity_week)',
        ttl=rollup_ttl(),
        meta={'grain': '1w', 'freshness': 'weekly'}
    )
}}

-- Weekly cohorts: users by the week they were first active (bucket_start) and each later week
-- they came back. Rebuilt whole from the compact user-week table, since a new user changes
-- only their own cohort but a cohort's size is needed on every one of its rows.
with activity as (
    select
        tenant_id,
        site_id,
        user_id,
        activity_week
    from {{ ref('int_user_activity_weekly') }}
),

cohorts as (
    select
        tenant_id,
        site_id,
        user_id,
        min(activity_week) as cohort_week
    from activity
    group by tenant_id, site_id, user_id
),

cohort_activity as (
    select
        tenant_id,
        cohorts.cohort_week as bucket_start,
        site_id,
        activity.activity_week,
        count() as active_user_count
    from activity
    inner join cohorts using (tenant_id, site_id, user_id)
    group by tenant_id, bucket_start, site_id, activity.activity_week
),

retention as (
    select
        tenant_id,
        bucket_start,
        site_id,
        activity_week,
        toUInt32(dateDiff('week', bucket_start, activity_week)) as week_number,
        max(active_user_count) over cohort as cohort_user_count,
        active_user_count,
        active_user_count / cohort_user_count as retention_rate
    from cohort_activity
    window cohort as (partition by tenant_id, bucket_start, site_id)
)

select * from retention
