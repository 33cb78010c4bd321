{#-
  on-run-end: one row per model this invocation built, in `dbt_batch_runs`. It is the batch
  layer's watermark: every bucket before the latest lookback run's run_started_at holds
  exactly what events_raw held then, so the report API reads batch marts up to it and the live
  rollups after it. Backfill runs (window_end set) fill gaps but move no watermark.
-#}
{% macro record_batch_runs(results) %}
  {%- if not execute -%}
    {{ return('') }}
  {%- endif -%}
  {%- set relation = target.schema ~ '.dbt_batch_runs' -%}
  {%- do run_query(
      'create table if not exists ' ~ relation ~ ' ('
      ~ 'model LowCardinality(String), invocation_id String, run_started_at DateTime64(3, \'UTC\'), '
      ~ 'window_start Nullable(DateTime64(3, \'UTC\')), window_end Nullable(DateTime64(3, \'UTC\')), '
      ~ 'recorded_at DateTime64(3, \'UTC\') default now64(3)'
      ~ ') engine = MergeTree order by (model, run_started_at) '
      ~ 'ttl toDateTime(run_started_at) + toIntervalDay(' ~ var('rollup_retention_days') ~ ')'
  ) -%}
  {%- set started = run_started_at.astimezone(modules.pytz.utc).strftime('%Y-%m-%d %H:%M:%S') -%}
  {%- if var('start', none) -%}
    {%- set window_start = "'" ~ _parse_moment(var('start')).strftime('%Y-%m-%d %H:%M:%S') ~ "'" -%}
    {%- set window_end = ("'" ~ _parse_moment(var('end')).strftime('%Y-%m-%d %H:%M:%S') ~ "'") if var('end', none) else 'null' -%}
  {%- else -%}
    {%- set since = run_started_at.astimezone(modules.pytz.utc).replace(tzinfo=none) - modules.datetime.timedelta(hours=var('lookback_hours') | int) -%}
    {%- set window_start = "'" ~ _floor_to_grain(since, 'day').strftime('%Y-%m-%d %H:%M:%S') ~ "'" -%}
    {%- set window_end = 'null' -%}
  {%- endif -%}
  {%- set rows = [] -%}
  {%- for result in results -%}
    {%- if result.status == 'success' and result.node.resource_type == 'model' and result.node.config.materialized in ('incremental', 'table') -%}
      {%- do rows.append("('" ~ result.node.name ~ "', '" ~ invocation_id ~ "', '" ~ started ~ "', " ~ (window_start if not flags.FULL_REFRESH else 'null') ~ ", " ~ window_end ~ ")") -%}
    {%- endif -%}
  {%- endfor -%}
  {%- if rows -%}
    {%- do run_query('insert into ' ~ relation ~ ' (model, invocation_id, run_started_at, window_start, window_end) values ' ~ rows | join(', ')) -%}
  {%- endif -%}
  {{ return('') }}
{% endmacro %}
