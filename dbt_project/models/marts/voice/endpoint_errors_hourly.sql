{{
    config(
        order_by='(tenant_id, bucket_start, site_id, http_route)',
        ttl=rollup_ttl(),
        meta={'grain': '1h', 'freshness': 'hot'}
    )
}}

-- Per-endpoint reliability. Services report how many requests each route served in a window
-- (ops.endpoint_requests) and every failed request (ops.endpoint_error); the error rate is
-- errors / requests, and system.error_rate over any range is sum(error_count) /
-- sum(request_count).
with ops_events as (
    select * from {{ ref('stg_voice__ops_events') }}
    where
        event_name in ('ops.endpoint_requests', 'ops.endpoint_error')
        and {{ in_batch_window('occurred_at', 'hour') }}
),

hourly_endpoints as (
    select
        tenant_id,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        site_id,
        http_route,
        toUInt64(sumIf(window_request_count, event_name = 'ops.endpoint_requests')) as request_count,
        countIf(event_name = 'ops.endpoint_error') as error_count,
        countIf(event_name = 'ops.endpoint_error' and http_status_code >= 500) as server_error_count,
        countIf(event_name = 'ops.endpoint_error' and http_status_code between 400 and 499) as client_error_count,
        {{ rate("countIf(event_name = 'ops.endpoint_error')", "sumIf(window_request_count, event_name = 'ops.endpoint_requests')") }} as error_rate
    from ops_events
    group by tenant_id, bucket_start, site_id, http_route
)

select * from hourly_endpoints
{{ carry_forward_rest_of_partitions('hour') }}
