from __future__ import annotations

from typing import Any

from schemas.otel import OTEL_ATTRIBUTE_MAP, ClientFields, lift_client_fields
from schemas.registry import SchemaRegistry


def test_the_map_covers_exactly_the_common_attributes_of_the_envelope(registry: SchemaRegistry) -> None:
    assert set(OTEL_ATTRIBUTE_MAP) == registry.common_attributes


def test_without_common_attributes_the_request_supplies_the_client_fields() -> None:
    event: dict[str, Any] = {"attributes": {"kb.rank": 1}, "context": {"locale": "en"}}
    attributes, context, fields = lift_client_fields(event, "curl/8", "198.51.100.1")
    assert attributes == {"kb.rank": 1}
    assert context == {"locale": "en"}
    assert fields == ClientFields(
        user_agent="curl/8", client_address="198.51.100.1", user_id="", session_id=""
    )


def test_otel_keys_win_over_deprecated_ones_and_leave_the_attributes() -> None:
    event: dict[str, Any] = {
        "attributes": {
            "kb.rank": 1,
            "http.user_agent": "old/1",
            "user_agent.original": "new/2",
            "net.peer.ip": "192.0.2.9",
            "client.address": "192.0.2.1",
            "enduser.id": "u-1",
            "enduser.pseudo.id": "anon-1",
            "session.id": "s-1",
        },
        "context": {"device": {"user_agent": "browser/3", "type": "mobile"}},
    }
    attributes, context, fields = lift_client_fields(event, "curl/8", "198.51.100.1")
    assert attributes == {"kb.rank": 1}
    assert context == {"device": {"type": "mobile"}}
    assert fields == ClientFields(
        user_agent="new/2", client_address="192.0.2.1", user_id="anon-1", session_id="s-1"
    )


def test_the_envelope_fields_win_over_attributes_and_the_device_over_the_header() -> None:
    event: dict[str, Any] = {
        "user_id": "anon-env",
        "session_id": "s-env",
        "attributes": {"user.id": "u-attr", "session.id": "s-attr", "network.peer.address": "192.0.2.7"},
        "context": {"device": {"user_agent": "browser/3"}},
    }
    attributes, context, fields = lift_client_fields(event, "curl/8", "198.51.100.1")
    assert (attributes, context) == ({}, {})
    assert fields == ClientFields(
        user_agent="browser/3", client_address="192.0.2.7", user_id="anon-env", session_id="s-env"
    )


def test_the_event_is_not_modified() -> None:
    event: dict[str, Any] = {"attributes": {"session.id": "s"}, "context": {"device": {"user_agent": "b"}}}
    lift_client_fields(event, "", "")
    assert event == {"attributes": {"session.id": "s"}, "context": {"device": {"user_agent": "b"}}}
