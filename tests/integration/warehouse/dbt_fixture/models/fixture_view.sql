{{ config(materialized='view') }}

select id, upper(label) as label from {{ ref('fixture_table') }}
