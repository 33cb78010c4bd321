-- The new-data sensor and the API's dedupe warm-up look for rows received after a moment; the
-- table is ordered by the event's own time, so a minmax index on received_at lets those scans
-- skip every granule received earlier.
ALTER TABLE {db}.events_raw ADD INDEX IF NOT EXISTS idx_received_at received_at TYPE minmax GRANULARITY 1;
ALTER TABLE {db}.events_raw MATERIALIZE INDEX idx_received_at
