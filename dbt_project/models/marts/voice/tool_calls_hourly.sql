{{
    config(
        order_by='(tenant_id, bucket_start, site_id, tool_name, tool_category)',
        ttl=rollup_ttl(),
        meta={'grain': '1h', 'freshness': 'hot'}
    )
}}

-- Tool calls by tool: volume, success, navigation optimism (optimistic `goto` before the page
-- confirmed it) and duration percentiles per tool.
with tool_calls as (
    select * from {{ ref('stg_voice__tool_calls') }}
    where {{ in_batch_window('occurred_at', 'hour') }}
),

hourly_tool_calls as (
    select
        tenant_id,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        site_id,
        tool_name,
        tool_category,
        countIf(not is_completed) as started_call_count,
        countIf(is_completed) as completed_call_count,
        countIf(is_completed and is_success) as successful_call_count,
        countIf(is_completed and not is_success) as failed_call_count,
        {{ rate('countIf(is_completed and is_success)', 'countIf(is_completed)') }} as success_rate,
        countIf(is_completed and is_navigation_optimistic is not null) as navigation_call_count,
        countIf(is_completed and is_navigation_optimistic) as optimistic_navigation_count,
        countIf(is_completed and is_navigation_optimistic and is_success) as optimistic_navigation_success_count,
        {{ rate('countIf(is_completed and is_navigation_optimistic)', 'countIf(is_completed and is_navigation_optimistic is not null)') }} as navigation_optimism_rate,
        sumIf(tool_duration_ms, is_completed) as duration_sum_ms,
        maxIf(tool_duration_ms, is_completed) as duration_max_ms,
        {{ latency_state_if('tool_duration_ms', 'is_completed') }} as duration_ms_state
    from tool_calls
    group by tenant_id, bucket_start, site_id, tool_name, tool_category
)

select * from hourly_tool_calls
{{ carry_forward_rest_of_partitions('hour') }}
