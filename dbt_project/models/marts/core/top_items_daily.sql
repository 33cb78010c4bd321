{{
    config(
        order_by='(tenant_id, bucket_start, site_id, dimension, item)',
        ttl=rollup_ttl(),
        meta={'grain': '1d', 'freshness': 'daily'}
    )
}}

-- Ranked items per day for every dimension in the `top_items` var (tools, errors, KB queries,
-- pages, ...). Counts are kept for the top `top_items_per_day` items of each tenant, site,
-- dimension and day, so a top-N over any range is a sum over days.
with events as (
    select
        tenant_id,
        site_id,
        event_name,
        occurred_at,
        attributes,
        page_path
    from {{ ref('stg_events') }}
    where {{ in_batch_window('occurred_at', 'day') }}
),

items as (
    {%- for dimension, item in var('top_items').items() %}
    select
        tenant_id,
        toStartOfDay(toDateTime(occurred_at)) as bucket_start,
        site_id,
        '{{ dimension }}' as dimension,
        {{ item.column if item.get('column') else attr_string(item.attribute) }} as item
    from events
    where
        item != ''
        {%- if item.events %}
        and event_name in {{ string_list(item.events) }}
        {%- endif %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

daily_items as (
    select
        tenant_id,
        bucket_start,
        site_id,
        dimension,
        item,
        count() as item_count
    from items
    group by tenant_id, bucket_start, site_id, dimension, item
    order by item_count desc, item asc
    limit {{ var('top_items_per_day') }} by tenant_id, bucket_start, site_id, dimension
)

select * from daily_items
{{ carry_forward_rest_of_partitions('day') }}
