"""The receipt every ingestion request gets: each event is exactly one of the four outcomes."""

from __future__ import annotations

import msgspec


class ErrorItem(msgspec.Struct, frozen=True):
    path: str  # JSON Pointer into the event
    message: str


class RejectedItem(msgspec.Struct, frozen=True):
    index: int  # position of the event in the request
    event_id: str | None
    errors: list[ErrorItem]


class Receipt(msgspec.Struct, frozen=True):
    """`accepted + duplicates + dropped + len(rejected)` is the number of events sent."""

    accepted: int
    duplicates: int
    dropped: int
    rejected: list[RejectedItem]
