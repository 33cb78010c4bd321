{{
    config(
        order_by='(tenant_id, bucket_start, site_id, queue_name)',
        ttl=rollup_ttl(),
        meta={'grain': '1h', 'freshness': 'daily'}
    )
}}

-- Capacity per queue: backpressure drops (events and dropped items) and queue lag. WebSocket
-- ping RTT percentiles are in latency_hourly (ws.ping / ws.rtt_ms).
with system_events as (
    select * from {{ ref('stg_voice__system_events') }}
    where
        event_name in ('ingest.backpressure_drop', 'queue.lag')
        and {{ in_batch_window('occurred_at', 'hour') }}
),

hourly_queues as (
    select
        tenant_id,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        site_id,
        queue_name,
        countIf(event_name = 'ingest.backpressure_drop') as backpressure_drop_count,
        sumIf(queue_dropped_count, event_name = 'ingest.backpressure_drop') as dropped_item_count,
        countIf(event_name = 'queue.lag' and queue_lag_ms is not null) as lag_sample_count,
        maxIf(queue_lag_ms, event_name = 'queue.lag') as lag_max_ms,
        {{ latency_state_if('queue_lag_ms', "event_name = 'queue.lag'") }} as lag_ms_state
    from system_events
    group by tenant_id, bucket_start, site_id, queue_name
)

select * from hourly_queues
{{ carry_forward_rest_of_partitions('hour') }}
