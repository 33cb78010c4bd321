"""The embedded warehouse: chdb's ClickHouse engine behind ClickHouse's own HTTP interface."""
