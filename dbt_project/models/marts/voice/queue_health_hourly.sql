{{
    config(
        order_by='(tenant_id, bucket_start, site_id, queue_name)',
        ttl=rollup_ttl(),
        meta={'grain': '1h', 'freshness': 'hot'}
    )
}}

-- Capacity per queue: backpressure drops, queue lag (max and percentiles), depth and consumer
-- throughput (its mean over any range is sum(consumed_per_s_sum) / sum(lag_sample_count)). WebSocket ping RTT percentiles are in latency_hourly (ops.ws_ping / ws.ping_rtt_ms).
with ops_events as (
    select * from {{ ref('stg_voice__ops_events') }}
    where
        event_name in ('ops.backpressure_drop', 'ops.queue_lag')
        and {{ in_batch_window('occurred_at', 'hour') }}
),

hourly_queues as (
    select
        tenant_id,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        site_id,
        queue_name,
        countIf(event_name = 'ops.backpressure_drop') as backpressure_drop_count,
        toUInt64(sumIf(dropped_count, event_name = 'ops.backpressure_drop')) as dropped_item_count,
        countIf(event_name = 'ops.queue_lag' and queue_lag_ms is not null) as lag_sample_count,
        maxIf(queue_lag_ms, event_name = 'ops.queue_lag') as lag_max_ms,
        {{ latency_state_if('queue_lag_ms', "event_name = 'ops.queue_lag'") }} as lag_ms_state,
        maxIf(queue_depth, event_name = 'ops.queue_lag') as depth_max,
        sumIf(queue_consumed_per_s, event_name = 'ops.queue_lag') as consumed_per_s_sum
    from ops_events
    group by tenant_id, bucket_start, site_id, queue_name
)

select * from hourly_queues
{{ carry_forward_rest_of_partitions('hour') }}
