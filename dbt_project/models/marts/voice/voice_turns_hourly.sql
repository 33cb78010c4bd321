{{
    config(
        order_by='(tenant_id, bucket_start, site_id)',
        ttl=rollup_ttl(),
        meta={'grain': '1h', 'freshness': 'hot'}
    )
}}

-- Voice turn volumes and barge-ins. Their timings (first response, barge-in to pause, ASR
-- partial latency) are percentiles in latency_hourly/latency_daily, like every *_ms attribute.
with voice_events as (
    select * from {{ ref('stg_voice__voice_events') }}
    where {{ in_batch_window('occurred_at', 'hour') }}
),

hourly_turns as (
    select
        tenant_id,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        site_id,
        countIf(event_name = 'voice.turn_started') as turn_count,
        countIf(event_name = 'voice.first_response') as first_response_count,
        countIf(event_name = 'voice.barge_in') as barge_in_count,
        countIf(event_name = 'voice.asr_partial') as asr_partial_count,
        {{ rate("countIf(event_name = 'voice.barge_in')", "countIf(event_name = 'voice.turn_started')") }} as barge_in_rate,
        sumIf(barge_in_to_pause_ms, event_name = 'voice.barge_in') as barge_in_to_pause_sum_ms,
        uniqIf(voice_session_id, voice_session_id != '') as voice_session_count,
        {{ uniq_state('voice_session_id') }} as voice_sessions_state
    from voice_events
    group by tenant_id, bucket_start, site_id
)

select * from hourly_turns
{{ carry_forward_rest_of_partitions('hour') }}
