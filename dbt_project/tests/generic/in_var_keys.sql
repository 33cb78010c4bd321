{#- Values must be keys of a dict var (funnel names, top-N dimensions): config, not SQL, lists them. -#}
{% test in_var_keys(model, column_name, var_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} not in {{ string_list(var(var_name).keys() | list) }}
{% endtest %}
