{{
    config(
        order_by='(tenant_id, bucket_start, site_id)',
        ttl=rollup_ttl(),
        meta={'grain': '1d', 'freshness': 'daily'}
    )
}}

-- Booking volumes. The hold-to-confirm rate follows each slot from its hold to a confirmation
-- within 24 h: funnels_daily, funnel `booking` (by booking.slot_id), step 2's step_rate.
with booking_events as (
    select * from {{ ref('stg_voice__booking_events') }}
    where {{ in_batch_window('occurred_at', 'day') }}
),

daily_bookings as (
    select
        tenant_id,
        toStartOfDay(toDateTime(occurred_at)) as bucket_start,
        site_id,
        countIf(event_name = 'booking.slot_hold') as hold_count,
        countIf(event_name = 'booking.confirmed') as confirmation_count,
        uniqExactIf(booking_slot_id, event_name = 'booking.slot_hold' and booking_slot_id != '') as held_slot_count,
        uniqExactIf(booking_slot_id, event_name = 'booking.confirmed' and booking_slot_id != '') as confirmed_slot_count
    from booking_events
    group by tenant_id, bucket_start, site_id
)

select * from daily_bookings
{{ carry_forward_rest_of_partitions('day') }}
