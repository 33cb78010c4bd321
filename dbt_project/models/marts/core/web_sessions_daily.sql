{{
    config(
        order_by='(tenant_id, bucket_start, site_id)',
        ttl=rollup_ttl(),
        meta={'grain': '1d', 'freshness': 'daily'}
    )
}}

-- Sessions by the day they start: duration (first to last event), events, page views, bounces
-- (a bounce is a session of exactly one event). Per-session columns carry a session_ prefix:
-- ClickHouse aliases are query-wide, so a daily column of the same name would shadow them.
-- A late event can extend a session that began up to session_max_hours earlier, so a run
-- recomputes the sessions started from that far before the batch window, reading events from
-- twice as far back (to find where those sessions really began) to that far past its end.
{%- set margin_seconds = var('session_max_hours') | int * 3600 %}

with events as (
    select
        tenant_id,
        site_id,
        session_id,
        user_id,
        event_name,
        occurred_at
    from {{ ref('stg_events') }}
    where
        session_id != ''
        and {{ in_batch_window('occurred_at', 'day', before_seconds=2 * margin_seconds, after_seconds=margin_seconds) }}
),

sessions as (
    select
        tenant_id,
        site_id,
        session_id,
        argMin(user_id, occurred_at) as user_id,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        count() as session_event_count,
        countIf(event_name in {{ string_list(var('page_view_events')) }}) as session_page_view_count
    from events
    group by tenant_id, site_id, session_id
),

daily_sessions as (
    select
        tenant_id,
        toStartOfDay(toDateTime(started_at)) as bucket_start,
        site_id,
        count() as session_count,
        countIf(session_event_count = 1) as bounced_session_count,
        {{ rate('countIf(session_event_count = 1)', 'count()') }} as bounce_rate,
        sum(session_event_count) as event_count,
        sum(session_page_view_count) as page_view_count,
        sum(dateDiff('millisecond', started_at, ended_at)) as duration_sum_ms,
        {{ rate('sum(dateDiff(\'millisecond\', started_at, ended_at))', 'count()') }} as avg_duration_ms,
        max(dateDiff('millisecond', started_at, ended_at)) as duration_max_ms,
        {{ latency_state("dateDiff('millisecond', started_at, ended_at)") }} as duration_ms_state,
        {{ uniq_state('user_id') }} as users_state
    from sessions
    where {{ in_batch_window('started_at', 'day', before_seconds=margin_seconds) }}
    group by tenant_id, bucket_start, site_id
)

select * from daily_sessions
{{ carry_forward_rest_of_partitions('day', before_seconds=margin_seconds) }}
