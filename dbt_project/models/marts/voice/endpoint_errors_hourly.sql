{{
    config(
        order_by='(tenant_id, bucket_start, site_id, http_route)',
        ttl=rollup_ttl(),
        meta={'grain': '1h', 'freshness': 'daily'}
    )
}}

-- Per-endpoint reliability: requests, 5xx and 4xx answers, error events and the error rate
-- (5xx / requests); system.error_rate over any range is sum(server_error_count) /
-- sum(request_count). Request duration percentiles per route come from duration_ms_state.
with system_events as (
    select * from {{ ref('stg_voice__system_events') }}
    where
        event_name in ('system.request', 'system.error')
        and {{ in_batch_window('occurred_at', 'hour') }}
),

hourly_endpoints as (
    select
        tenant_id,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        site_id,
        http_route,
        countIf(event_name = 'system.request') as request_count,
        countIf(event_name = 'system.request' and http_status_code >= 500) as server_error_count,
        countIf(event_name = 'system.request' and http_status_code between 400 and 499) as client_error_count,
        countIf(event_name = 'system.error') as error_event_count,
        {{ rate("countIf(event_name = 'system.request' and http_status_code >= 500)", "countIf(event_name = 'system.request')") }} as error_rate,
        {{ latency_state_if('http_server_duration_ms', "event_name = 'system.request'") }} as duration_ms_state
    from system_events
    group by tenant_id, bucket_start, site_id, http_route
)

select * from hourly_endpoints
{{ carry_forward_rest_of_partitions('hour') }}
