-- Voice turns and their timings: turn starts, first responses, barge-ins, ASR partials.
select
    tenant_id,
    event_id,
    event_name,
    occurred_at,
    site_id,
    session_id,
    user_id,
    {{ attr_string('voice.session_id') }} as voice_session_id,
    {{ attr_float('voice.first_response_ms') }} as first_response_ms,
    {{ attr_float('voice.barge_in_to_pause_ms') }} as barge_in_to_pause_ms,
    {{ attr_float('asr.partial_latency_ms') }} as asr_partial_latency_ms
from {{ ref('stg_events') }}
where event_name in ('voice.turn_started', 'voice.first_response', 'voice.barge_in', 'voice.asr_partial')
