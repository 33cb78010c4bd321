{#-
  Mergeable aggregate states, shared by the live rollups and the batch marts so a reader can
  merge a 1m state with an hourly one: the expressions (hence the column types) must be identical.
-#}

{#- quantileDD: a relative-accuracy sketch; any percentile merges out of it (quantileDDMerge). -#}
{% macro latency_state(value) -%}
  quantileDDState({{ var('quantile_relative_accuracy') }}, 0.5)(toFloat64({{ value }}))
{%- endmacro %}

{% macro merge_latency_state(state) -%}
  quantileDDMergeState({{ var('quantile_relative_accuracy') }}, 0.5)({{ state }})
{%- endmacro %}

{#-
  p50_ms, p95_ms, p99_ms of raw values (from_state=false) or of a state column, rounded to a
  microsecond so that equal inputs compare equal.
-#}
{% macro latency_percentiles(expression, from_state=false, prefix='') -%}
  {%- set function = 'quantileDDMerge' if from_state else 'quantileDD' -%}
  {%- for level, name in [(0.5, 'p50'), (0.95, 'p95'), (0.99, 'p99')] %}
  round({{ function }}({{ var('quantile_relative_accuracy') }}, {{ level }})({{ expression if from_state else 'toFloat64(' ~ expression ~ ')' }}), 3) as {{ prefix }}{{ name }}_ms{{ ',' if not loop.last }}
  {%- endfor %}
{%- endmacro %}

{#- Distinct non-empty ids (users, sessions): uniq, exact to hash collisions below 65,536. -#}
{% macro uniq_state(column) -%}
  uniqStateIf({{ column }}, {{ column }} != '')
{%- endmacro %}

{#- A column AggregatingMergeTree combines on merge with `function` (sum, min, max). -#}
{% macro simple_state(function, expression, type) -%}
  cast({{ function }}({{ expression }}) as SimpleAggregateFunction({{ function }}, {{ type }}))
{%- endmacro %}

{#- Zero-safe ratio for rates in [0, 1]. -#}
{% macro rate(numerator, denominator) -%}
  if({{ denominator }} = 0, 0, ({{ numerator }}) / ({{ denominator }}))
{%- endmacro %}

{#- Rollup retention (vars cannot be used in dbt_project.yml configs, so models call this). -#}
{% macro rollup_ttl(column='bucket_start') -%}
  {{ column }} + toIntervalDay({{ var('rollup_retention_days') }})
{%- endmacro %}

{#- latency_state over the rows where `condition` holds (same column type as latency_state). -#}
{% macro latency_state_if(value, condition) -%}
  quantileDDStateIf({{ var('quantile_relative_accuracy') }}, 0.5)(toFloat64(ifNull({{ value }}, 0)), {{ condition }} and {{ value }} is not null)
{%- endmacro %}
