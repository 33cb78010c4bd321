{{
    config(
        order_by='(tenant_id, bucket_start, site_id)',
        ttl=rollup_ttl(),
        meta={'grain': '1h', 'freshness': 'hot'}
    )
}}

-- Tool chains per user task: the average chain length over any range is
-- sum(chain_length_sum) / sum(chain_count).
with tool_chains as (
    select * from {{ ref('stg_voice__tool_chains') }}
    where {{ in_batch_window('occurred_at', 'hour') }}
),

hourly_chains as (
    select
        tenant_id,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        site_id,
        count() as chain_count,
        sum(tool_chain_length) as chain_length_sum,
        {{ rate('sum(tool_chain_length)', 'count()') }} as avg_chain_length,
        max(tool_chain_length) as max_chain_length
    from tool_chains
    group by tenant_id, bucket_start, site_id
)

select * from hourly_chains
{{ carry_forward_rest_of_partitions('hour') }}
