"""CORS for the ingestion endpoints, answered per write key.

Litestar's CORSConfig takes a fixed list of origins, but here each tenant's write key carries its
own list (stored with the key), so the answer depends on the key. A preflight carries no headers of
the page's, so it is judged by the `key` query parameter when present (sendBeacon and the browser
tracker put it there); without one it is allowed, and the real request is then refused with 403 if
its key does not allow the origin — a browser never lets the page read that answer.
"""

from __future__ import annotations

from litestar import Request, Response

from .keys import KeyRecord, KeyStore

ALLOWED_HEADERS = "Authorization, Content-Type, Content-Encoding, X-API-Key, X-Eventhouse-Sdk"
MAX_AGE = "600"


def cors_headers(origin: str | None, record: KeyRecord | None) -> dict[str, str]:
    """Headers that let `origin` read the response, if the key (when known) allows it."""
    if origin is None or (record is not None and not record.allows_origin(origin)):
        return {}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


async def preflight(request: Request, store: KeyStore) -> Response[None]:
    """The answer to an OPTIONS preflight on an ingestion path."""
    origin = request.headers.get("origin")
    key = request.query_params.get("key")
    record = await store.lookup(key) if key else None
    if key and (record is None or record.kind != "write"):
        return Response(None, status_code=403)
    headers = cors_headers(origin, record)
    if origin is not None and not headers:
        return Response(None, status_code=403)
    headers |= {
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": MAX_AGE,
    }
    return Response(None, status_code=204, headers=headers)
