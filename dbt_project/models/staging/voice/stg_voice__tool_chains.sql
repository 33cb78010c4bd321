-- Completed multi-tool chains: how many tool calls one user task took.
select
    tenant_id,
    event_id,
    occurred_at,
    site_id,
    session_id,
    user_id,
    {{ attr_string('task.id') }} as task_id,
    {{ attr_int('tool.chain_length') }} as tool_chain_length
from {{ ref('stg_events') }}
where event_name = 'ai.tool_chain_completed'
