"""Turning an ingestion request's bytes into events: size limits, codings, JSON, batch shape.

Everything here is pure and raises problem details on bad input, so one request never changes
anything unless its body made sense. The decompressed size is capped while decompressing: a
small gzip or brotli body can expand a thousandfold (DESIGN §7).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import msgspec

from eventhouse import compression
from schemas.rfc3339 import parse_rfc3339

from .problems import problem

ACCEPTED_ENCODINGS = ("identity", "gzip", "x-gzip", "br")
# sendBeacon can only send text/plain (a "simple" request, with no CORS preflight), so it is JSON too
ACCEPTED_TYPES = ("application/json", "text/plain", "application/x-ndjson")


@dataclasses.dataclass(frozen=True)
class Limits:
    max_body_bytes: int
    max_decompressed_bytes: int
    max_events: int


@dataclasses.dataclass(frozen=True)
class Batch:
    """The events of one request and the batch fields around them."""

    events: list[Any]
    batch_id: str | None = None
    sent_at: datetime | None = None
    write_key: str | None = None


class _BatchBody(msgspec.Struct, forbid_unknown_fields=True):
    events: list[Any]
    batch_id: str | None = None
    sent_at: str | None = None
    write_key: str | None = None


def decode_json(raw: bytes, content_type: str | None, content_encoding: str | None, limits: Limits) -> Any:
    """The JSON document in a request body, or a 400/413/415 problem."""
    media_type = (content_type or "application/json").split(";")[0].strip().lower()
    if media_type not in ACCEPTED_TYPES:
        raise problem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            f"send JSON as {' or '.join(ACCEPTED_TYPES[:2])}, not {media_type}",
        )
    coding = (content_encoding or "identity").strip().lower()
    if coding not in ACCEPTED_ENCODINGS:
        raise problem(
            415,
            "unsupported-encoding",
            "Unsupported content encoding",
            f"Content-Encoding must be gzip or br, not {coding}",
        )
    if len(raw) > limits.max_body_bytes:
        raise problem(
            413,
            "body-too-large",
            "Request body too large",
            f"the body is {len(raw)} bytes; the limit is {limits.max_body_bytes} bytes as sent",
        )
    try:
        text = compression.decode_bounded(raw, coding, limits.max_decompressed_bytes)
    except compression.TooLarge:
        raise problem(
            413,
            "body-too-large",
            "Request body too large",
            f"the body decompresses to more than {limits.max_decompressed_bytes} bytes",
        ) from None
    except compression.CorruptBody as exc:
        raise problem(400, "corrupt-body", "Cannot decompress body", str(exc)) from None
    if not text.strip():
        raise problem(400, "empty-body", "Empty body", 'send one event or {"events": [...]}')
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError as exc:
        raise problem(400, "invalid-json", "Body is not valid JSON", str(exc)) from None


def _invalid(pointer: str, message: str) -> Exception:
    return problem(
        400,
        "invalid-batch",
        "Invalid batch",
        f"{pointer}: {message}",
        errors=[{"path": pointer, "message": message}],
    )


def read_batch(document: Any, limits: Limits, *, require_batch_id: bool = False) -> Batch:
    """One event, `{events, batch_id?, sent_at?, write_key?}` or a bare array, as a Batch."""
    if isinstance(document, dict) and "events" in document:
        try:
            body = msgspec.convert(document, _BatchBody)
        except msgspec.ValidationError as exc:
            raise _invalid(_pointer_of(exc), str(exc).split(" - at ")[0]) from None
        batch = Batch(body.events, body.batch_id, _sent_at(body.sent_at), body.write_key)
    elif isinstance(document, list):
        batch = Batch(document)
    elif isinstance(document, dict):
        event = dict(document)
        write_key = event.pop("write_key", None)
        batch = Batch([event], write_key=write_key if isinstance(write_key, str) else None)
    else:
        raise _invalid("", 'the body must be an event object, an array of events or {"events": [...]}')
    if require_batch_id and not batch.batch_id:
        raise _invalid("/batch_id", "is required on this endpoint")
    if not batch.events:
        raise _invalid("/events", "must contain at least one event")
    if len(batch.events) > limits.max_events:
        raise problem(
            413,
            "too-many-events",
            "Too many events",
            f"{len(batch.events)} events; at most {limits.max_events} per request",
        )
    return batch


def _sent_at(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_rfc3339(value)
    except ValueError as exc:
        raise _invalid("/sent_at", f"must be an RFC 3339 timestamp ({exc})") from None


def _pointer_of(exc: msgspec.ValidationError) -> str:
    """msgspec says `- at `$.events[3]``; turn that into the JSON Pointer /events/3."""
    text = str(exc)
    if " - at `$" not in text:
        return ""
    path = text.split(" - at `$", 1)[1].rstrip("`")
    return path.replace("[", ".").replace("]", "").replace(".", "/")
