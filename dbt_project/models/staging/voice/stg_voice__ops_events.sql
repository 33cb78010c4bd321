-- The service's own errors and capacity signals (the contract's ops.* events): request counts
-- and errors per endpoint, WebSocket pings, backpressure drops and queue lag.
select
    tenant_id,
    event_id,
    event_name,
    occurred_at,
    site_id,
    {{ attr_string('http.route') }} as http_route,
    {{ attr_int('ops.request_count') }} as window_request_count,
    {{ attr_int('ops.window_ms') }} as window_ms,
    {{ attr_int('http.response.status_code') }} as http_status_code,
    {{ attr_string('error.type') }} as error_type,
    {{ attr_float('ws.ping_rtt_ms') }} as ws_ping_rtt_ms,
    {{ attr_string('messaging.destination.name') }} as queue_name,
    {{ attr_int('backpressure.dropped_count') }} as dropped_count,
    {{ attr_string('backpressure.reason') }} as drop_reason,
    {{ attr_float('queue.lag_ms') }} as queue_lag_ms,
    {{ attr_int('queue.depth') }} as queue_depth,
    {{ attr_float('queue.consumed_per_s') }} as queue_consumed_per_s
from {{ ref('stg_events') }}
where event_name in ('ops.endpoint_requests', 'ops.endpoint_error', 'ops.ws_ping', 'ops.backpressure_drop', 'ops.queue_lag')
