{#-
  Typed reads of the flat, dotted keys in events' `attributes` and `context` JSON text
  (`{"tool.name": "search", "tool.success": true}`): one key is one JSON member, never a path.
  Missing keys and values of the wrong type read as NULL (strings as '').
-#}

{% macro attr_string(key, column='attributes') -%}
  JSONExtractString({{ column }}, '{{ key }}')
{%- endmacro %}

{% macro attr_float(key, column='attributes') -%}
  JSONExtract({{ column }}, '{{ key }}', 'Nullable(Float64)')
{%- endmacro %}

{% macro attr_int(key, column='attributes') -%}
  JSONExtract({{ column }}, '{{ key }}', 'Nullable(Int64)')
{%- endmacro %}

{% macro attr_bool(key, column='attributes') -%}
  JSONExtract({{ column }}, '{{ key }}', 'Nullable(Bool)')
{%- endmacro %}

{% macro context_string(key) -%}
  {{ attr_string(key, column='context') }}
{%- endmacro %}

{#- SQL array literal of strings, for `in` lists built from vars. -#}
{% macro string_list(values) -%}
  [{%- for value in values -%}'{{ value }}'{{ ', ' if not loop.last }}{%- endfor -%}]
{%- endmacro %}

{#- The page an event happened on: context page.path, else the path of context page.url. -#}
{% macro page_path() -%}
  if({{ context_string('page.path') }} != '', {{ context_string('page.path') }}, path({{ context_string('page.url') }}))
{%- endmacro %}
