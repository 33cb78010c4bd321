{#- An invariant every row satisfies, e.g. `successful_call_count <= completed_call_count`. -#}
{% test expression_holds(model, expression, column_name=none) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
