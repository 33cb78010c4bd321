-- Live percentiles, merged from minute states over the closed part of the rebuilt window, are
-- within percentile_tolerance (1 %) of quantileExact over the same events_raw rows, for groups
-- of at least percentile_check_min_samples samples.

with raw_samples as (
    {{ latency_samples_from(source('eventhouse', 'events_raw')) }}
),

exact_window as (
    select
        tenant_id,
        event_name,
        attribute,
        {{ exact_percentile(0.5, 'value_ms') }} as p50,
        {{ exact_percentile(0.95, 'value_ms') }} as p95,
        {{ exact_percentile(0.99, 'value_ms') }} as p99
    from raw_samples
    where occurred_at >= {{ lookback_start() }} and occurred_at < toStartOfHour({{ reconcile_cutoff() }})
    group by tenant_id, event_name, attribute
    having count() >= {{ var('percentile_check_min_samples') }}
),

live_window as (
    select
        tenant_id,
        event_name,
        attribute,
        {{ latency_percentile(merge_latency_state('value_ms_state'), 'max(value_max_ms)', 0.5) }} as p50,
        {{ latency_percentile(merge_latency_state('value_ms_state'), 'max(value_max_ms)', 0.95) }} as p95,
        {{ latency_percentile(merge_latency_state('value_ms_state'), 'max(value_max_ms)', 0.99) }} as p99
    from {{ ref('latency_1m') }}
    where bucket_start >= {{ lookback_start() }} and bucket_start < toStartOfHour({{ reconcile_cutoff() }})
    group by tenant_id, event_name, attribute
)

select
    exact_window.tenant_id,
    exact_window.event_name,
    exact_window.attribute,
    exact_window.p95 as exact_p95,
    live_window.p95 as live_p95
from exact_window
left join live_window
    on
        exact_window.tenant_id = live_window.tenant_id
        and exact_window.event_name = live_window.event_name
        and exact_window.attribute = live_window.attribute
where {{ percentiles_disagree('live_window', 'exact_window') }}
