-- Booking slot holds and confirmations.
select
    tenant_id,
    event_id,
    event_name,
    occurred_at,
    site_id,
    session_id,
    user_id,
    {{ attr_string('booking.slot_id') }} as booking_slot_id
from {{ ref('stg_events') }}
where event_name in ('booking.slot_hold', 'booking.confirmed')
