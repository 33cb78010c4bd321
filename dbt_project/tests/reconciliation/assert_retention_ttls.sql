-- Retention is enforced by ClickHouse TTLs: events_raw (the migrations' TTL) and stg_events keep
-- raw_retention_days, every mart and rollup table keeps rollup_retention_days. A table whose
-- TTL says otherwise is a row. Tables dbt has not built yet (a first build runs this early)
-- are checked from the next build on.
-- depends_on: {{ ref('stg_events') }}
{%- set expected = {'events_raw': var('raw_retention_days'), 'stg_events': var('raw_retention_days')} %}
{%- set persisted = ('incremental', 'table', 'materialized_view') %}
{%- for node in graph.nodes.values() %}
{%- if node.resource_type == 'model' and node.config.materialized in persisted and node.name not in expected %}
{%- do expected.update({node.alias or node.name: var('rollup_retention_days')}) %}
{%- endif %}
{%- endfor %}

with expected_ttls as (
    select
        expected_table,
        retention_days
    from system.one
    array join
        {{ string_list(expected.keys() | list) }} as expected_table,
        [{{ expected.values() | join(', ') }}] as retention_days
)

select
    expected_ttls.expected_table,
    expected_ttls.retention_days,
    system_tables.engine_full
from expected_ttls
left join system.tables as system_tables
    on
        expected_ttls.expected_table = system_tables.name
        and system_tables.database = '{{ target.schema }}'
where
    position(system_tables.engine_full, concat('toIntervalDay(', toString(expected_ttls.retention_days), ')')) = 0
    and (system_tables.name != '' or expected_ttls.expected_table in ('events_raw', 'stg_events'))
