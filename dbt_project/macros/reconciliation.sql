{#-
  Bounds for the reconciliation tests. They compare layers over the recent past only (they are
  scans), and only over data that was in events_raw before this invocation started, so events
  arriving while dbt runs never make them fail.
-#}

{#- Start of the lookback window a plain (non-backfill) run rebuilds: the window stg_events and
    every batch mart have just recomputed. -#}
{% macro lookback_start() -%}
  {%- set started = run_started_at.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
  {%- set since = started - modules.datetime.timedelta(hours=var('lookback_hours') | int) -%}
  {{ _timestamp_literal(_floor_to_grain(since, 'day')) }}
{%- endmacro %}

{#- Rows received before this are certainly in every layer built by this invocation. -#}
{% macro reconcile_cutoff() -%}
  {%- set started = run_started_at.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
  {{ _timestamp_literal(started - modules.datetime.timedelta(minutes=1)) }}
{%- endmacro %}

{#- Start of the (wider) window for checks that do not depend on what a run rebuilt. -#}
{% macro reconcile_since() -%}
  toStartOfDay(now64(3, 'UTC') - toIntervalDay({{ var('reconcile_window_days') }}))
{%- endmacro %}

{#- |approximate - exact| > tolerance * |exact| for any of the p50, p95, p99 columns. -#}
{% macro percentiles_disagree(approximate, exact, tolerance=var('percentile_tolerance')) -%}
  {%- for name in ['p50', 'p95', 'p99'] -%}
    abs({{ approximate }}.{{ name }} - {{ exact }}.{{ name }}) > {{ tolerance }} * abs({{ exact }}.{{ name }}){{ ' or ' if not loop.last }}
  {%- endfor -%}
{%- endmacro %}

{#- The exact percentile the marts are held to (ClickHouse quantileExact: index floor(level * n)). -#}
{% macro exact_percentile(level, column) -%}
  quantileExact({{ level }})({{ column }})
{%- endmacro %}
