{#-
  Funnels from the `funnels` var: ordered steps within a window per session, user or attribute.

  For each day D and entity, a chain starts at a first-step event on D and each next step is a
  later event at most window_seconds after the start (windowFunnel's default mode). Events with
  equal occurred_at are taken in step order (windowFunnel sorts by (time, step)), so the
  tie-break is deterministic and never depends on arrival order. Because a chain started on D
  may finish on a later day, each event is also offered to the earlier days whose chains it
  could still extend; only first-step events on D itself can start D's chains.
-#}

{% macro funnel_entity(by) -%}
  {%- if by == 'session' -%}
    session_id
  {%- elif by == 'user' -%}
    user_id
  {%- elif by.startswith('attribute:') -%}
    {{ attr_string(by[10:]) }}
  {%- else -%}
    {{ exceptions.raise_compiler_error("funnel 'by' must be session, user or attribute:<key>, not " ~ by) }}
  {%- endif -%}
{%- endmacro %}

{% macro validate_funnel(name, funnel) %}
  {%- set steps = funnel.get('steps', []) -%}
  {%- if steps | length < 2 or steps | length > 32 -%}
    {{ exceptions.raise_compiler_error('funnel ' ~ name ~ ': needs 2 to 32 steps (windowFunnel), has ' ~ steps | length) }}
  {%- endif -%}
  {%- if steps | unique | list | length != steps | length -%}
    {{ exceptions.raise_compiler_error('funnel ' ~ name ~ ': a step may appear only once') }}
  {%- endif -%}
  {%- if not (0 < funnel.window_seconds | int <= 7 * 86400) -%}
    {{ exceptions.raise_compiler_error('funnel ' ~ name ~ ': window_seconds must be in (0, 7 days]') }}
  {%- endif -%}
{% endmacro %}

{#-
  One row per (tenant, site, entity, day) that entered funnel `name`, with the level reached,
  for the entry days of the batch window widened by `reach_back_seconds` (see funnels_daily).
-#}
{% macro funnel_levels(name, funnel, events, reach_back_seconds=0) %}
  {%- do validate_funnel(name, funnel) -%}
  {%- set window = funnel.window_seconds | int -%}
select
    tenant_id,
    site_id,
    '{{ name }}' as funnel_name,
    '{{ funnel.by }}' as entity_type,
    {{ string_list(funnel.steps) }} as steps,
    entry_day,
    windowFunnel({{ window * 1000 }})(
        occurred_ms,
        {%- for step in funnel.steps %}
        event_name = '{{ step }}'{% if loop.first %} and toDate(occurred_at) = entry_day{% endif %}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as level
from (
    select
        tenant_id,
        site_id,
        {{ funnel_entity(funnel.by) }} as entity_id,
        event_name,
        occurred_at,
        toUInt64(toUnixTimestamp64Milli(occurred_at)) as occurred_ms,
        -- every day whose chains this event could still extend: its own and up to `window` before
        arrayJoin(
            arrayMap(
                offset -> toDate(occurred_at - toIntervalSecond({{ window }})) + offset,
                range(toUInt32(dateDiff('day', toDate(occurred_at - toIntervalSecond({{ window }})), toDate(occurred_at)) + 1))
            )
        ) as entry_day
    from {{ events }}
    where event_name in {{ string_list(funnel.steps) }}
)
where entity_id != '' and {{ in_batch_window('entry_day', 'day', before_seconds=reach_back_seconds) }}
group by tenant_id, site_id, entity_id, entry_day
having level > 0
{% endmacro %}
