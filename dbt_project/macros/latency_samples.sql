{#-
  One row per latency sample in `relation`: every numeric attribute whose key ends with one of
  `latency_attribute_suffixes` (`*_ms`), bar `latency_attribute_exclusions`. No per-metric SQL: a pack that sends a new `*_ms`
  attribute gets live and batch percentiles for it without touching a model. Shared by the live
  rollup (over events_raw) and the batch layer (over stg_events) so both read the same samples.
-#}
{% macro latency_samples_from(relation) %}
select
    tenant_id,
    site_id,
    event_name,
    occurred_at,
    toLowCardinality(sample.1) as attribute,
    toFloat64(sample.2) as value_ms
from {{ relation }}
-- values stay raw JSON text; anything that does not parse as a finite number is not a sample
array join
    arrayFilter(
        member -> ({{ _latency_key_test('member.1') }}) and isFinite(toFloat64OrZero(member.2)) and toFloat64OrNull(member.2) is not null,
        JSONExtractKeysAndValuesRaw(attributes)
    ) as sample
{% endmacro %}

{% macro _latency_key_test(key) -%}
  ({%- for suffix in var('latency_attribute_suffixes') -%}
    endsWith({{ key }}, '{{ suffix }}'){{ ' or ' if not loop.last }}
  {%- endfor -%})
  {%- if var('latency_attribute_exclusions') %} and {{ key }} not in {{ string_list(var('latency_attribute_exclusions')) }}{% endif -%}
{%- endmacro %}
