"""The widget tracker's batch (seed 003) mapped onto the canonical envelope.

The tracker sends `{events: [{event_type, occurred_at, session_id, visitor_id, page_url, page_path,
referrer_domain, properties}]}`. Names map one to one (event_type → event_name, visitor_id →
user_id, properties → attributes under the `widget.` namespace, page fields → context.page); the
event contract then validates the result like any other event, so errors name envelope paths.
Tracker events may carry no event_id: one is derived from the event's content (UUIDv5), so a
resent beacon is still recognised as a duplicate. A ULID event_id is accepted as the UUID with
the same 128 bits.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from .bodies import Batch, Limits, read_batch

_NAMESPACE = uuid.UUID("6f0c5a8e-4d1b-5b8e-9a57-3c2d1e0f9b7a")
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PROPERTY_KEYS = {"widget_index": "widget.index"}
_MAPPED = {
    "event_type", "event_id", "event_version", "occurred_at", "session_id", "visitor_id", "page_url", "page_path",
    "referrer_domain", "properties", "source", "site_id", "user_agent", "tenant_id",
}  # fmt: skip


def _ulid_to_uuid(value: str) -> str | None:
    if len(value) != 26 or any(ch not in _CROCKFORD for ch in value.upper()):
        return None
    number = 0
    for ch in value.upper():
        number = number * 32 + _CROCKFORD.index(ch)
    return str(uuid.UUID(int=number & ((1 << 128) - 1)))


def _event_id(event: dict[str, Any]) -> Any:
    given = event.get("event_id")
    if isinstance(given, str) and (converted := _ulid_to_uuid(given)):
        return converted
    if given is not None:
        return given  # the contract validates it
    content = msgspec.json.encode({k: event.get(k) for k in sorted(_MAPPED) if k != "event_id"})
    return str(uuid.uuid5(_NAMESPACE, content.decode()))


def to_envelope(event: Any) -> Any:
    """One tracker event as a canonical event (non-objects pass through to be rejected)."""
    if not isinstance(event, dict):
        return event
    properties = event.get("properties")
    attributes = (
        {_PROPERTY_KEYS.get(k, f"widget.{k}"): v for k, v in properties.items()}
        if isinstance(properties, dict)
        else properties
    )
    page = {
        field: event[source]
        for field, source in (("url", "page_url"), ("path", "page_path"), ("referrer", "referrer_domain"))
        if event.get(source) not in (None, "")
    }
    envelope: dict[str, Any] = {
        "event_id": _event_id(event),
        "event_name": event.get("event_type"),
        "occurred_at": event.get("occurred_at"),
        "source": event.get("source", "wordpress"),
        "attributes": attributes if attributes is not None else {},
        "context": {"page": page} if page else {},
    }
    if isinstance(event.get("event_version"), int):
        envelope["schema"] = (
            f"iglu:dev.eventhouse.widgets/{event.get('event_type')}/jsonschema/{event['event_version']}-0-0"
        )
    for field, source in (
        ("session_id", "session_id"),
        ("user_id", "visitor_id"),
        ("site_id", "site_id"),
        ("tenant_id", "tenant_id"),
    ):
        if event.get(source) not in (None, ""):
            envelope[field] = event[source]
    if event.get("user_agent"):
        envelope["context"].setdefault("device", {})["user_agent"] = event["user_agent"]
    # anything else stays at the top level, where the envelope schema names it as unknown
    envelope.update({k: v for k, v in event.items() if k not in _MAPPED})
    return envelope


def widget_batch(document: Any, limits: Limits) -> Batch:
    """The tracker's body as a Batch of canonical events."""
    batch = read_batch(document, limits)
    return Batch([to_envelope(e) for e in batch.events], batch.batch_id, batch.sent_at, batch.write_key)
