{#- The columns together identify a row: the grain the model's YAML states. -#}
{% test unique_key(model, columns, column_name=none) %}
select
    {{ columns | join(', ') }},
    count() as rows_with_this_key
from {{ model }}
group by {{ columns | join(', ') }}
having rows_with_this_key > 1
{% endtest %}
