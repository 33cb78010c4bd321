{#-
  Typed reads of events' `attributes`: JSON object text whose keys are flat and dotted
  (`{"tool.name": "search", "tool.success": true}`), so one key is one JSON member, never a path.
  `context` is nested JSON as the envelope defines it (`{"page": {"path": "/"}}`), so
  context_string takes a dotted *path*. Missing keys and values of the wrong type read as NULL
  (strings as '').
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

{% macro context_string(path) -%}
  JSONExtractString(context{% for part in path.split('.') %}, '{{ part }}'{% endfor %})
{%- endmacro %}

{#- SQL array literal of strings, for `in` lists built from vars. -#}
{% macro string_list(values) -%}
  [{%- for value in values -%}'{{ value }}'{{ ', ' if not loop.last }}{%- endfor -%}]
{%- endmacro %}

{#- The page an event happened on: context.page.path, else the path of context.page.url. -#}
{% macro page_path() -%}
  if({{ context_string('page.path') }} != '', {{ context_string('page.path') }}, path({{ context_string('page.url') }}))
{%- endmacro %}
