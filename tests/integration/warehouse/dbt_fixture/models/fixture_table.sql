{{ config(materialized='table', order_by='id') }}

select id, label from {{ source('fixture', 'fixture_source') }}
