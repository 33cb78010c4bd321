{{ config(materialized='materialized_view', engine='SummingMergeTree()', order_by='bucket') }}

select intDiv(id, 10) as bucket, count() as rows from {{ source('fixture', 'fixture_source') }} group by bucket
