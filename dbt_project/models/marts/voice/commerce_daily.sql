{{
    config(
        order_by='(tenant_id, bucket_start, site_id)',
        ttl=rollup_ttl(),
        meta={'grain': '1d', 'freshness': 'daily'}
    )
}}

-- Commerce volumes, coupon use, revenue per currency and session conversion (sessions with an
-- order / sessions with a product view, same day). The ordered view -> add_to_cart ->
-- checkout -> order_placed funnel with drop-offs is funnels_daily, funnel `checkout`.
with commerce_events as (
    select * from {{ ref('stg_voice__commerce_events') }}
    where {{ in_batch_window('occurred_at', 'day') }}
),

daily_commerce as (
    select
        tenant_id,
        toStartOfDay(toDateTime(occurred_at)) as bucket_start,
        site_id,
        countIf(event_name = 'commerce.view') as view_count,
        countIf(event_name = 'commerce.add_to_cart') as add_to_cart_count,
        countIf(event_name = 'commerce.checkout') as checkout_count,
        countIf(event_name = 'commerce.order_placed') as order_count,
        countIf(event_name = 'commerce.order_placed' and is_coupon_used) as coupon_order_count,
        {{ rate("countIf(event_name = 'commerce.order_placed' and is_coupon_used)", "countIf(event_name = 'commerce.order_placed')") }} as coupon_rate,
        sumMapIf(map(currency, coalesce(commerce_value, 0)), event_name = 'commerce.order_placed') as order_value_by_currency,
        uniqExactIf(session_id, event_name = 'commerce.view' and session_id != '') as viewing_session_count,
        uniqExactIf(session_id, event_name = 'commerce.order_placed' and session_id != '') as ordering_session_count,
        {{ rate("uniqExactIf(session_id, event_name = 'commerce.order_placed' and session_id != '')", "uniqExactIf(session_id, event_name = 'commerce.view' and session_id != '')") }} as conversion_rate
    from commerce_events
    group by tenant_id, bucket_start, site_id
)

select * from daily_commerce
{{ carry_forward_rest_of_partitions('day') }}
