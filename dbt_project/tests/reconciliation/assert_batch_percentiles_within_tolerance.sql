-- Batch percentiles are within percentile_tolerance (1 %) of quantileExact over the same
-- deduplicated samples, for every day and for the whole window merged from hourly states (the
-- "any grain by merging" promise), in groups of at least percentile_check_min_samples samples.

with samples as (
    select * from {{ ref('int_latency_samples') }}
    where occurred_at >= {{ reconcile_since() }}
),

exact_daily as (
    select
        tenant_id,
        site_id,
        event_name,
        attribute,
        toStartOfDay(toDateTime(occurred_at)) as bucket_start,
        {{ exact_percentile(0.5, 'value_ms') }} as p50,
        {{ exact_percentile(0.95, 'value_ms') }} as p95,
        {{ exact_percentile(0.99, 'value_ms') }} as p99
    from samples
    group by tenant_id, site_id, event_name, attribute, bucket_start
    having count() >= {{ var('percentile_check_min_samples') }}
),

batch_daily as (
    select
        tenant_id,
        site_id,
        event_name,
        attribute,
        bucket_start,
        p50_ms as p50,
        p95_ms as p95,
        p99_ms as p99
    from {{ ref('latency_daily') }}
    where bucket_start >= {{ reconcile_since() }}
),

exact_window as (
    select
        tenant_id,
        event_name,
        attribute,
        {{ exact_percentile(0.5, 'value_ms') }} as p50,
        {{ exact_percentile(0.95, 'value_ms') }} as p95,
        {{ exact_percentile(0.99, 'value_ms') }} as p99
    from samples
    group by tenant_id, event_name, attribute
    having count() >= {{ var('percentile_check_min_samples') }}
),

merged_window as (
    select
        tenant_id,
        event_name,
        attribute,
        {{ latency_percentile(merge_latency_state('value_ms_state'), 'max(value_max_ms)', 0.5) }} as p50,
        {{ latency_percentile(merge_latency_state('value_ms_state'), 'max(value_max_ms)', 0.95) }} as p95,
        {{ latency_percentile(merge_latency_state('value_ms_state'), 'max(value_max_ms)', 0.99) }} as p99
    from {{ ref('latency_hourly') }}
    where bucket_start >= {{ reconcile_since() }}
    group by tenant_id, event_name, attribute
)

select
    'daily' as grain,
    exact_daily.tenant_id,
    exact_daily.event_name,
    exact_daily.attribute,
    exact_daily.bucket_start,
    exact_daily.p95 as exact_p95,
    batch_daily.p95 as batch_p95
from exact_daily
left join batch_daily
    on
        exact_daily.tenant_id = batch_daily.tenant_id
        and exact_daily.site_id = batch_daily.site_id
        and exact_daily.event_name = batch_daily.event_name
        and exact_daily.attribute = batch_daily.attribute
        and exact_daily.bucket_start = batch_daily.bucket_start
where {{ percentiles_disagree('batch_daily', 'exact_daily') }}
union all
select
    'window' as grain,
    exact_window.tenant_id,
    exact_window.event_name,
    exact_window.attribute,
    {{ reconcile_since() }} as bucket_start,
    exact_window.p95 as exact_p95,
    merged_window.p95 as batch_p95
from exact_window
left join merged_window
    on
        exact_window.tenant_id = merged_window.tenant_id
        and exact_window.event_name = merged_window.event_name
        and exact_window.attribute = merged_window.attribute
where {{ percentiles_disagree('merged_window', 'exact_window') }}
