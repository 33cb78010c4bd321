"""The on-disk spool: acknowledged rows that could not reach ClickHouse yet, replayed in order."""
