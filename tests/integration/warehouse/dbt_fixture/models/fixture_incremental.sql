{{ config(materialized='incremental', unique_key='id', order_by='id') }}

select id, label from {{ source('fixture', 'fixture_source') }}
{% if is_incremental() %}
where id > (select max(id) from {{ this }})
{% endif %}
