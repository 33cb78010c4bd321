"""Which key a request presents, and what it may do.

A write key may come as `Authorization: Bearer`, `X-API-Key`, a `key` query parameter or a
`write_key` body field (sendBeacon cannot set headers). Read keys are accepted only as Bearer
tokens or X-API-Key, and only by the report API; a read key is never accepted for ingestion.
"""

from __future__ import annotations

from collections.abc import Mapping

from .keys import KeyKind, KeyRecord, KeyStore
from .problems import problem


def header_key(headers: Mapping[str, str]) -> str | None:
    """The key in `Authorization: Bearer …` or `X-API-Key`, if any."""
    authorization = headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return headers.get("x-api-key") or None


def presented_key(
    headers: Mapping[str, str], query: Mapping[str, str], body_key: str | None = None
) -> str | None:
    """The write key a request presents, from the first place that has one."""
    return header_key(headers) or query.get("key") or body_key


async def require_key(
    store: KeyStore, key: str | None, kind: KeyKind, origin: str | None = None
) -> KeyRecord:
    """The key's record if it is a live key of `kind` usable from `origin`; else 401/403."""
    if not key:
        raise problem(
            401,
            "missing-key",
            "API key required",
            f"send a {kind} key as 'Authorization: Bearer <key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    record = await store.lookup(key)
    if record is None:
        raise problem(
            401,
            "unknown-key",
            "Unknown API key",
            "the key is not valid or has been revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if record.kind != kind:
        raise problem(
            403,
            "wrong-key-kind",
            "Wrong kind of key",
            f"this endpoint needs a {kind} key, not a {record.kind} key",
        )
    if not record.allows_origin(origin):
        raise problem(
            403, "origin-not-allowed", "Origin not allowed", f"this key is not allowed from {origin}"
        )
    return record
