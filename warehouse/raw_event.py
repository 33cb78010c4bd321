"""The row eventhouse stores in `events_raw`: one accepted, normalised, redacted event."""

from __future__ import annotations

from datetime import datetime

import msgspec


class RawEvent(msgspec.Struct, frozen=True):
    """One `events_raw` row. Field order is the table's column order (see RAW_EVENT_COLUMNS).

    Optional envelope fields are stored as '' rather than NULL: ClickHouse handles empty strings
    far more cheaply than Nullable columns, and '' never collides with a real id.
    """

    tenant_id: str
    event_id: str  # canonical lowercase UUID text
    event_name: str  # normalised lowercase dot-case
    occurred_at: datetime  # UTC; corrected for client clock drift when the batch had sent_at
    client_occurred_at: datetime  # UTC; the time exactly as the client stated it
    occurred_offset_minutes: int  # the original RFC 3339 offset, e.g. +03:00 -> 180
    received_at: datetime  # UTC, set by the API
    site_id: str
    session_id: str
    user_id: str
    source: str
    schema_key: str  # the Iglu URI the event was validated against
    attributes: str  # JSON object text, redacted
    context: str  # JSON object text, redacted
    country: str  # ISO 3166-1 alpha-2 or ''
    ip_prefix: str  # truncated client address prefix, '' unless configured
    user_agent: str
    sdk: str  # "name/version" of the sending SDK, or ''
    batch_id: str


RAW_EVENT_COLUMNS: tuple[str, ...] = RawEvent.__struct_fields__
