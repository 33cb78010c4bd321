-- Commerce steps: view, add to cart, checkout, order placed.
select
    tenant_id,
    event_id,
    event_name,
    occurred_at,
    site_id,
    session_id,
    user_id,
    {{ attr_string('commerce.product_id') }} as product_id,
    {{ attr_float('commerce.value') }} as commerce_value,
    {{ attr_string('commerce.currency') }} as currency,
    {{ attr_string('commerce.coupon') }} as coupon,
    coupon != '' as is_coupon_used
from {{ ref('stg_events') }}
where event_name in ('commerce.view', 'commerce.add_to_cart', 'commerce.checkout', 'commerce.order_placed')
