-- Retention is enforced by ClickHouse TTLs: events_raw (the migrations' TTL) and stg_events keep
-- raw_retention_days, every mart and rollup table keeps rollup_retention_days. A table whose
-- TTL says otherwise is a row. Tables dbt has not built yet (a first build runs this early)
-- are checked from the next build on.
-- depends_on: {{ ref('stg_events') }}
{%- set expected = {} %}
{%- do expected.update({'events_raw': var('raw_retention_days'), 'stg_events': var('raw_retention_days')}) %}
{%- for node in graph.nodes.values() if node.resource_type == 'model' and node.config.materialized in ('incremental', 'table', 'materialized_view') and node.name != 'stg_events' %}
{%- do expected.update({node.alias or node.name: var('rollup_retention_days')}) %}
{%- endfor %}

with expected_ttls as (
    select
        tupleElement(pair, 1) as table_name,
        tupleElement(pair, 2) as days
    from (
        select arrayJoin([
            {%- for table, days in expected.items() %}
            ('{{ table }}', {{ days }}){{ ',' if not loop.last }}
            {%- endfor %}
        ]) as pair
    )
)

select
    expected_ttls.table_name,
    expected_ttls.days,
    tables.engine_full
from expected_ttls
left join system.tables as tables
    on tables.name = expected_ttls.table_name and tables.database = '{{ target.schema }}'
where
    position(tables.engine_full, concat('toIntervalDay(', toString(expected_ttls.days), ')')) = 0
    and (tables.name != '' or expected_ttls.table_name in ('events_raw', 'stg_events'))
