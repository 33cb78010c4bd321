{{
    config(
        order_by='(tenant_id, bucket_start, site_id, funnel_name, step_number)',
        ttl=rollup_ttl(),
        meta={'grain': '1d', 'freshness': 'daily'}
    )
}}

-- Every funnel in the `funnels` var, one row per step and day of entry (see macros/funnels.sql).
-- A late event can complete a chain that began up to the longest funnel window earlier, so a
-- run recomputes the entry days from that far before the batch window, and reads events up to
-- the longest window past its end.
{%- set funnels = var('funnels') %}
{%- set longest_window = funnels.values() | map(attribute='window_seconds') | map('int') | max %}
{#- entry days are whole days: reach back over every day a chain could have started on -#}
{%- set reach_back = ((longest_window + 86399) // 86400) * 86400 %}
{%- set all_steps = [] %}
{%- for funnel in funnels.values() %}{% do all_steps.extend(funnel.steps) %}{% endfor %}

with events as (
    select
        tenant_id,
        site_id,
        session_id,
        user_id,
        attributes,
        event_name,
        occurred_at
    from {{ ref('stg_events') }}
    where
        {{ in_batch_window('occurred_at', 'day', before_seconds=reach_back, after_seconds=longest_window) }}
        and event_name in {{ string_list(all_steps | unique | list) }}
),

entity_levels as (
    {%- for name, funnel in funnels.items() %}
    {{ funnel_levels(name, funnel, 'events', reach_back_seconds=reach_back) | indent(4) }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

-- entities reaching at least each step, as one array per day and funnel
step_counts as (
    select
        tenant_id,
        toDateTime(entry_day, 'UTC') as bucket_start,
        site_id,
        funnel_name,
        entity_type,
        steps,
        sumForEach(arrayMap(step -> toUInt64(level >= step), arrayEnumerate(steps))) as reached
    from entity_levels
    group by tenant_id, bucket_start, site_id, funnel_name, entity_type, steps
),

funnel_steps as (
    select
        tenant_id,
        bucket_start,
        site_id,
        funnel_name,
        entity_type,
        step_number,
        steps[step_number] as step_name,
        reached[step_number] as entities,
        {{ rate('reached[step_number]', 'reached[1]') }} as step_rate,
        {{ rate('reached[step_number]', 'reached[greatest(step_number - 1, 1)]') }} as step_conversion_rate
    from step_counts
    array join arrayEnumerate(steps) as step_number
)

select * from funnel_steps
{{ carry_forward_rest_of_partitions('day', before_seconds=reach_back) }}
