-- Agent tool calls, started and completed. Outcome, duration and navigation optimism are only
-- on completions.
select
    tenant_id,
    event_id,
    event_name,
    occurred_at,
    site_id,
    session_id,
    user_id,
    event_name = 'ai.tool_call_completed' as is_completed,
    {{ attr_string('tool.name') }} as tool_name,
    {{ attr_string('tool.category') }} as tool_category,
    {{ attr_float('tool.duration_ms') }} as tool_duration_ms,
    {{ attr_bool('tool.success') }} as is_success,
    {{ attr_string('error.type') }} as error_type,
    {{ attr_bool('navigation.optimistic') }} as is_navigation_optimistic
from {{ ref('stg_events') }}
where event_name in ('ai.tool_call_started', 'ai.tool_call_completed')
