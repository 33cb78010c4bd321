"""The event contract: Iglu-style JSON Schemas, the registry that validates against them, and the pure
functions that normalise and redact an event before it is stored (docs/contract.md)."""
