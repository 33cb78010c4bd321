-- Every latency sample of deduplicated events, one row each (see latency_samples_from). A view:
-- marts filter it by occurred_at, which ClickHouse pushes down to stg_events' partitions.
{{ latency_samples_from(ref('stg_events')) }}
