"""Fuzzing the running API: nothing a client sends may cause a 5xx or a crash."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import brotli
import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.events import voice_first_response

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=25,
)
ENVELOPE_KEYS = [
    "schema",
    "event_id",
    "event_name",
    "occurred_at",
    "tenant_id",
    "site_id",
    "session_id",
    "user_id",
    "source",
    "attributes",
    "context",
    "write_key",
]
EVENTS = st.builds(
    lambda base, overrides, drop: {**{k: v for k, v in base.items() if k not in drop}, **overrides},
    st.builds(voice_first_response),
    st.dictionaries(st.sampled_from(ENVELOPE_KEYS), JSON, max_size=4),
    st.sets(st.sampled_from(ENVELOPE_KEYS), max_size=3),
)
DOCUMENTS = st.one_of(
    JSON,
    EVENTS,
    st.lists(EVENTS, max_size=5).map(lambda events: {"events": events}),
    st.lists(EVENTS, max_size=3),
)


def _encode(document: object, coding: str, garble: bool) -> bytes:
    raw = json.dumps(document).encode()
    packed = {"gzip": gzip.compress, "br": brotli.compress}.get(coding, lambda b: b)(raw)
    return packed[: len(packed) // 2] if garble else packed


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(
        ["/api/v1/analytics/events", "/api/v1/analytics/events/batch", "/api/analytics/events", "/v1/events"]
    ),
    document=DOCUMENTS,
    raw=st.none() | st.binary(max_size=200),
    content_type=st.sampled_from(
        ["application/json", "text/plain;charset=UTF-8", "application/xml", "", "multipart/form-data"]
    ),
    coding=st.sampled_from(["", "gzip", "br", "deflate", "identity", "gzip, br"]),
    garble=st.booleans(),
    key_place=st.sampled_from(["header", "query", "none", "bogus"]),
)
def _fuzz_bodies(
    api: httpx.Client,
    key: str,
    path: str,
    document: object,
    raw: bytes | None,
    content_type: str,
    coding: str,
    garble: bool,
    key_place: str,
) -> None:
    body = raw if raw is not None else _encode(document, coding, garble)
    headers = {"Content-Type": content_type} if content_type else {}
    if coding:
        headers["Content-Encoding"] = coding
    params = {}
    if key_place == "header":
        headers["Authorization"] = f"Bearer {key}"
    elif key_place == "query":
        params["key"] = key
    elif key_place == "bogus":
        headers["X-API-Key"] = "ehw_" + "x" * 32
    response = api.post(path, content=body, headers=headers, params=params)
    assert response.status_code < 500, (response.status_code, response.text[:500])


def test_random_bodies_headers_and_encodings_never_cause_a_5xx(
    api: httpx.Client, tenant: dict[str, str]
) -> None:
    _fuzz_bodies(api, tenant["write_key"])
    assert api.get("/api/v1/analytics/health").status_code == 200


def test_schemathesis_finds_no_server_error(api_url: str, tenant: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{api_url}/schema/openapi.json",
         "-H", f"Authorization: Bearer {tenant['write_key']}", "--checks", "not_a_server_error",
         "--phases", "examples,fuzzing,stateful", "--max-examples", "25", "--workers", "1"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]
    assert httpx.get(f"{api_url}/api/v1/analytics/health").status_code == 200
