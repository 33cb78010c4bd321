"""eventhouse: schema-first product-event analytics on ClickHouse, dbt and Dagster."""
