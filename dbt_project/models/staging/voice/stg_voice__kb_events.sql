-- Knowledge-base searches (query, results, latency, top score) and hits on their results.
select
    tenant_id,
    event_id,
    event_name,
    occurred_at,
    site_id,
    session_id,
    user_id,
    {{ attr_string('kb.query') }} as kb_query,
    {{ attr_int('kb.results_count') }} as kb_results_count,
    {{ attr_float('kb.latency_ms') }} as kb_latency_ms,
    {{ attr_float('kb.top_score') }} as kb_top_score,
    {{ attr_int('kb.rank') }} as kb_rank,
    {{ attr_string('kb.chunk_id') }} as kb_chunk_id
from {{ ref('stg_events') }}
where event_name in ('kb.search', 'kb.hit')
