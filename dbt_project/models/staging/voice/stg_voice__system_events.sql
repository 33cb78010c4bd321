-- The service's own errors and capacity signals: requests per endpoint, errors, WebSocket
-- pings, backpressure drops and queue lag.
select
    tenant_id,
    event_id,
    event_name,
    occurred_at,
    site_id,
    {{ attr_string('http.route') }} as http_route,
    {{ attr_int('http.response.status_code') }} as http_status_code,
    {{ attr_float('http.server.duration_ms') }} as http_server_duration_ms,
    {{ attr_string('error.type') }} as error_type,
    {{ attr_float('ws.rtt_ms') }} as ws_rtt_ms,
    {{ attr_string('queue.name') }} as queue_name,
    {{ attr_int('queue.dropped_count') }} as queue_dropped_count,
    {{ attr_float('queue.lag_ms') }} as queue_lag_ms
from {{ ref('stg_events') }}
where event_name in ('system.request', 'system.error', 'ws.ping', 'ingest.backpressure_drop', 'queue.lag')
