"""The ClickHouse side of eventhouse: client, migrations and the embedded warehouse."""
