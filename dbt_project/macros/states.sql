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
  One percentile (`level`) out of a merged quantileDD state, at quantileExact's rank.

  quantileDD answers with the value at rank floor(level * (n - 1)); quantileExact (our ground
  truth, and the usual nearest-rank definition) at floor(level * n). In a heavy tail the two
  order statistics can be several percent apart even at n = 1,000, so before reading we add one
  sentinel sample above every real one (`above_all`, e.g. max * 2): with n + 1 samples the
  sketch's rank becomes floor(level * n) over the real ones, and the answer is within
  quantile_relative_accuracy of quantileExact for any n. `state` must be an aggregate
  expression producing one state (quantileDDState(...) or quantileDDMergeState(...)); readers of
  the marts (the report API) use exactly this expression over the rows they merge.
-#}
{% macro latency_percentile(state, above_all, level) -%}
  arrayReduce(
      'quantileDDMerge({{ var('quantile_relative_accuracy') }}, {{ level }})',
      [{{ state }}, arrayReduce('quantileDDState({{ var('quantile_relative_accuracy') }}, 0.5)', [greatest(toFloat64({{ above_all }}) * 2, 1)])]
  )
{%- endmacro %}

{#- p50_ms, p95_ms, p99_ms (rounded to 1 µs, so equal inputs compare equal). -#}
{% macro latency_percentiles(state, max_value, prefix='') -%}
  {%- for level, name in [(0.5, 'p50'), (0.95, 'p95'), (0.99, 'p99')] %}
  round({{ latency_percentile(state, max_value, level) }}, 3) as {{ prefix }}{{ name }}_ms{{ ',' if not loop.last }}
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
