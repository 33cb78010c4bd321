{#-
  The batch window: which buckets an incremental run re-aggregates.

  - First build or --full-refresh: no window, everything is aggregated.
  - Backfill (`--vars '{start: ..., end: ...}'`): exactly [start, end), widened to whole buckets.
  - Otherwise: from the start of the UTC day `lookback_hours` before the run started (floored
    further to the model's grain, e.g. to Monday for weekly models), on. Flooring every model to
    the day keeps them in step with stg_events, whose partitions are days: an event is either
    re-aggregated everywhere or nowhere.

  Buckets are recomputed whole from staging and the rest of every touched partition is carried
  forward unchanged (carry_forward_rest_of_partitions), so insert_overwrite can swap each
  partition in atomically and a bucket outside the window never changes.
-#}

{% macro _floor_to_grain(moment, grain) %}
  {%- set datetime = modules.datetime -%}
  {%- set moment = moment.replace(minute=0, second=0, microsecond=0) if grain in ('hour', 'day', 'week', 'month') else moment.replace(second=0, microsecond=0) -%}
  {%- if grain in ('day', 'week', 'month') -%}
    {%- set moment = moment.replace(hour=0) -%}
  {%- endif -%}
  {%- if grain == 'week' -%}
    {%- set moment = moment - datetime.timedelta(days=moment.weekday()) -%}
  {%- elif grain == 'month' -%}
    {%- set moment = moment.replace(day=1) -%}
  {%- endif -%}
  {{ return(moment) }}
{% endmacro %}

{% macro _ceil_to_grain(moment, grain) %}
  {%- set floored = _floor_to_grain(moment, grain) -%}
  {%- if floored == moment -%}
    {{ return(moment) }}
  {%- endif -%}
  {%- set datetime = modules.datetime -%}
  {%- if grain == 'month' -%}
    {%- set next_month = floored.replace(day=28) + datetime.timedelta(days=4) -%}
    {{ return(next_month.replace(day=1)) }}
  {%- endif -%}
  {%- set step = {'minute': datetime.timedelta(minutes=1), 'hour': datetime.timedelta(hours=1), 'day': datetime.timedelta(days=1), 'week': datetime.timedelta(days=7)}[grain] -%}
  {{ return(floored + step) }}
{% endmacro %}

{#- `2025-01-02`, `2025-01-02T03:00:00Z`, `2025-01-02 03:00:00+00:00` or Dagster's `2025-01-02-03:00`. -#}
{% macro _parse_moment(text) %}
  {%- set datetime = modules.datetime -%}
  {%- set text = text | string | trim -%}
  {%- if modules.re.fullmatch('\\d{4}-\\d{2}-\\d{2}-\\d{2}:\\d{2}', text) -%}
    {%- set text = text[:10] ~ 'T' ~ text[11:] -%}
  {%- endif -%}
  {%- set moment = datetime.datetime.fromisoformat(text.replace('Z', '+00:00')) -%}
  {%- if moment.tzinfo is not none -%}
    {%- set moment = moment.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
  {%- endif -%}
  {{ return(moment) }}
{% endmacro %}

{% macro _timestamp_literal(moment) -%}
  toDateTime64('{{ moment.strftime("%Y-%m-%d %H:%M:%S") }}', 3, 'UTC')
{%- endmacro %}

{#- {start, end}: datetimes (naive UTC) or none. `grain` is the model's bucket width. -#}
{% macro batch_window(grain) %}
  {%- if not is_incremental() -%}
    {{ return({'start': none, 'end': none}) }}
  {%- endif -%}
  {%- if var('start', none) -%}
    {%- set start = _floor_to_grain(_parse_moment(var('start')), grain) -%}
    {%- set end = _ceil_to_grain(_parse_moment(var('end')), grain) if var('end', none) else none -%}
    {%- if end is not none and end <= start -%}
      {{ exceptions.raise_compiler_error('batch window: end (' ~ var('end') ~ ') must be after start (' ~ var('start') ~ ')') }}
    {%- endif -%}
    {{ return({'start': start, 'end': end}) }}
  {%- endif -%}
  {%- set started = run_started_at.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
  {%- set since = started - modules.datetime.timedelta(hours=var('lookback_hours') | int) -%}
  {{ return({'start': _floor_to_grain(_floor_to_grain(since, 'day'), grain), 'end': none}) }}
{% endmacro %}

{#-
  A predicate keeping the rows of `column` inside the window, widened by `before_seconds` and
  `after_seconds` (for models that must see neighbouring events: dedupe, sessions, funnels).
-#}
{% macro in_batch_window(column, grain, before_seconds=0, after_seconds=0) -%}
  {%- set window = batch_window(grain) -%}
  {%- if window.start is none -%}
    true
  {%- else -%}
    {%- set start = window.start - modules.datetime.timedelta(seconds=before_seconds) -%}
    {{ column }} >= {{ _timestamp_literal(start) }}
    {%- if window.end is not none %}
    and {{ column }} < {{ _timestamp_literal(window.end + modules.datetime.timedelta(seconds=after_seconds)) }}
    {%- endif -%}
  {%- endif -%}
{%- endmacro %}

{#-
  `union all` the model's existing rows that share a partition with the window but lie outside
  it, so the partitions insert_overwrite replaces come back complete. The model's partition_by
  must be an expression of `bucket_column` alone (toYYYYMM(bucket_start) for marts).
  `before_seconds`: the model recomputes buckets that far before the window too (a late event
  can change the day its session or funnel chain started), so those are not carried.
-#}
{% macro carry_forward_rest_of_partitions(grain, bucket_column='bucket_start', before_seconds=0) -%}
  {%- set window = batch_window(grain) -%}
  {%- if window.start is not none -%}
    {%- set partition = config.get('partition_by') -%}
    {%- if bucket_column not in partition -%}
      {{ exceptions.raise_compiler_error(this.name ~ ': partition_by (' ~ partition ~ ') must be an expression of ' ~ bucket_column) }}
    {%- endif -%}
    {%- set start = window.start - modules.datetime.timedelta(seconds=before_seconds) %}
union all
select * from {{ this }}
where {{ partition }} >= {{ partition.replace(bucket_column, _timestamp_literal(start)) }}
    {%- if window.end is not none %}
    and {{ partition }} <= {{ partition.replace(bucket_column, _timestamp_literal(window.end - modules.datetime.timedelta(seconds=1))) }}
    {%- endif %}
    and not ({{ in_batch_window(bucket_column, grain, before_seconds=before_seconds) }})
  {%- endif -%}
{%- endmacro %}
