"""Shared pieces of the contract tests: the shipped registry, a policy, and an event factory."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from schemas.policy import ContractPolicy, ServerContext
from schemas.registry import SchemaRegistry, default_registry

RECEIVED_AT = datetime(2025, 1, 15, 10, 0, 5, tzinfo=UTC)
EVENT_ID = "5f0c2a5e-8d1b-4c7e-9a8f-2b3c4d5e6f70"

FIRST_RESPONSE: dict[str, Any] = {
    "event_id": EVENT_ID,
    "event_name": "voice.first_response",
    "occurred_at": "2025-01-15T12:00:00.250+02:00",
    "site_id": "s_main",
    "session_id": "ssn_1",
    "user_id": "anon_1",
    "source": "voice_ws",
    "attributes": {"voice.first_response_ms": 412},
    "context": {"locale": "en-US", "consent": {"analytics": True, "ads": False}},
}


def event(**overrides: Any) -> dict[str, Any]:
    """A valid voice.first_response event; keyword arguments replace top-level fields."""
    return {**copy.deepcopy(FIRST_RESPONSE), **overrides}


def server_context(**overrides: Any) -> ServerContext:
    fields: dict[str, Any] = {
        "tenant_id": "t_main",
        "received_at": RECEIVED_AT,
        "batch_id": "batch_1",
        "user_agent": "curl/8.5.0",
        "client_ip": "198.51.100.23",
        "country": "de",
        "sdk": "eventhouse-python/0.1.0",
        **overrides,
    }
    return ServerContext(**fields)


@pytest.fixture(scope="session")
def registry() -> SchemaRegistry:
    return default_registry()


@pytest.fixture
def policy() -> ContractPolicy:
    return ContractPolicy(url_query_allowlist=frozenset({"utm_source", "utm_medium"}), ip_prefix_bits=24)
