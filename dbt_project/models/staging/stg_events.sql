{{
    config(
        materialized='incremental',
        incremental_strategy='insert_overwrite',
        engine='MergeTree()',
        partition_by='toYYYYMMDD(occurred_at)',
        order_by='(tenant_id, event_name, site_id, occurred_at)',
        ttl='toDateTime(occurred_at) + toIntervalDay(' ~ var('raw_retention_days') ~ ')',
        settings={'ttl_only_drop_parts': 1},
        meta={'freshness': 'hot', 'retention_days': var('raw_retention_days')}
    )
}}

-- Exactly one row per (tenant_id, event_id): the earliest-received copy. A table rather than a
-- view so that every mart scans deduplicated, typed rows by partition instead of repeating the
-- dedupe over raw; each run rebuilds whole days of the batch window (insert_overwrite).
-- The scan reaches `dedupe_margin_hours` beyond the window on both sides, so every copy of an
-- event in the window is seen even when copies straddle its edge.
{%- set margin_seconds = var('dedupe_margin_hours') | int * 3600 %}

with raw_events as (
    select * from {{ source('eventhouse', 'events_raw') }}
    where {{ in_batch_window('occurred_at', 'day', before_seconds=margin_seconds, after_seconds=margin_seconds) }}
),

-- Almost every event arrives once: find the few that did not in a narrow two-column pass, so
-- only they pay for picking a copy.
duplicated_events as (
    select
        tenant_id,
        event_id,
        count() as raw_copies
    from raw_events
    group by tenant_id, event_id
    having raw_copies > 1
),

single_copies as (
    select
        *,
        toUInt64(1) as raw_copies
    from raw_events
    where
        (tenant_id, event_id) not in (
            select
                duplicated_events.tenant_id,
                duplicated_events.event_id
            from duplicated_events
        )
),

-- Ties on received_at fall back to occurred_at and batch_id so the choice is deterministic.
-- (tenant_id, event_id lead events_raw's columns, so `using` keeps the column order.)
first_copies as (
    select
        raw_events.*,
        duplicated_events.raw_copies
    from raw_events
    inner join duplicated_events using (tenant_id, event_id)
    order by
        tenant_id asc,
        event_id asc,
        raw_events.received_at asc,
        raw_events.occurred_at asc,
        raw_events.batch_id asc
    limit 1 by tenant_id, event_id
),

deduplicated as (
    select * from single_copies
    union all
    select * from first_copies
)

select
    tenant_id,
    event_id,
    event_name,
    occurred_at,
    received_at,
    site_id,
    session_id,
    user_id,
    source,
    schema_key,
    attributes,
    context,
    {{ page_path() }} as page_path,
    country,
    sdk,
    batch_id,
    raw_copies
from deduplicated
where {{ in_batch_window('occurred_at', 'day') }}
