{{
    config(
        order_by='(tenant_id, bucket_start, site_id)',
        ttl=rollup_ttl(),
        meta={'grain': '1h', 'freshness': 'hot'}
    )
}}

-- Knowledge-base effectiveness: hit rate (searches returning at least one chunk), relevance
-- (top score of searches with results), click-through and mean reciprocal rank of the hits.
-- Search latency percentiles are in latency_hourly (kb.search / kb.latency_ms).
with kb_events as (
    select * from {{ ref('stg_voice__kb_events') }}
    where {{ in_batch_window('occurred_at', 'hour') }}
),

hourly_kb as (
    select
        tenant_id,
        toStartOfHour(toDateTime(occurred_at)) as bucket_start,
        site_id,
        countIf(event_name = 'kb.search') as search_count,
        countIf(event_name = 'kb.search' and kb_results_count > 0) as search_with_results_count,
        {{ rate("countIf(event_name = 'kb.search' and kb_results_count > 0)", "countIf(event_name = 'kb.search')") }} as hit_rate,
        sumIf(kb_top_score, event_name = 'kb.search' and kb_results_count > 0) as top_score_sum,
        {{ rate("sumIf(kb_top_score, event_name = 'kb.search' and kb_results_count > 0)", "countIf(event_name = 'kb.search' and kb_results_count > 0)") }} as avg_top_score,
        countIf(event_name = 'kb.hit') as hit_count,
        {{ rate("countIf(event_name = 'kb.hit')", "countIf(event_name = 'kb.search')") }} as click_through_rate,
        sumIf(1 / kb_rank, event_name = 'kb.hit' and kb_rank > 0) as reciprocal_rank_sum,
        {{ rate("sumIf(1 / kb_rank, event_name = 'kb.hit' and kb_rank > 0)", "countIf(event_name = 'kb.hit' and kb_rank > 0)") }} as mean_reciprocal_rank
    from kb_events
    group by tenant_id, bucket_start, site_id
)

select * from hourly_kb
{{ carry_forward_rest_of_partitions('hour') }}
