from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from schemas.issues import ValidationIssue
from schemas.policy import ContractPolicy
from schemas.prepare import DroppedEvent, PreparedEvent, RejectedEvent, prepare_event
from schemas.registry import SchemaRegistry
from tests.unit.contract.conftest import EVENT_ID, RECEIVED_AT, event, server_context
from warehouse.raw_event import RawEvent

FIRST_RESPONSE_URI = "iglu:dev.eventhouse.voice/voice_first_response/jsonschema/1-0-0"
ENVELOPE_URI = "iglu:dev.eventhouse.core/envelope/jsonschema/1-0-0"


def prepared(raw: Any, registry: SchemaRegistry, policy: ContractPolicy, **ctx: Any) -> RawEvent:
    outcome = prepare_event(raw, server_context(**ctx), policy, registry)
    assert isinstance(outcome, PreparedEvent), outcome
    return outcome.row


def rejected(raw: Any, registry: SchemaRegistry, policy: ContractPolicy, **ctx: Any) -> RejectedEvent:
    outcome = prepare_event(raw, server_context(**ctx), policy, registry)
    assert isinstance(outcome, RejectedEvent), outcome
    return outcome


def test_a_valid_event_becomes_a_raw_event_row(registry: SchemaRegistry, policy: ContractPolicy) -> None:
    assert prepared(event(), registry, policy) == RawEvent(
        tenant_id="t_main",
        event_id=EVENT_ID,
        event_name="voice.first_response",
        occurred_at=datetime(2025, 1, 15, 10, 0, 0, 250000, tzinfo=UTC),
        client_occurred_at=datetime(2025, 1, 15, 10, 0, 0, 250000, tzinfo=UTC),
        occurred_offset_minutes=120,
        received_at=RECEIVED_AT,
        site_id="s_main",
        session_id="ssn_1",
        user_id="anon_1",
        source="voice_ws",
        schema_key=FIRST_RESPONSE_URI,
        attributes='{"voice.first_response_ms":412}',
        context='{"locale":"en-US","consent":{"analytics":true,"ads":false}}',
        country="DE",
        ip_prefix="198.51.100.0/24",
        user_agent="curl/8.5.0",
        sdk="eventhouse-python/0.1.0",
        batch_id="batch_1",
    )


def test_the_input_is_not_modified(registry: SchemaRegistry, policy: ContractPolicy) -> None:
    raw = event(
        event_name="Voice.FirstResponse", attributes={"voice.first_response_ms": 1, "session.id": "s"}
    )
    before = json.dumps(raw, sort_keys=True)
    prepared(raw, registry, policy)
    assert json.dumps(raw, sort_keys=True) == before


def test_consent_declined_drops_the_event_before_any_check(
    registry: SchemaRegistry, policy: ContractPolicy
) -> None:
    raw = event(source="fax", tenant_id="t_other", context={"consent": {"analytics": False}})
    assert prepare_event(raw, server_context(), policy, registry) == DroppedEvent("consent")


def test_event_names_are_normalised_before_lookup(registry: SchemaRegistry, policy: ContractPolicy) -> None:
    row = prepared(event(event_name="Voice.First-Response"), registry, policy)
    assert (row.event_name, row.schema_key) == ("voice.first_response", FIRST_RESPONSE_URI)


def test_a_name_that_cannot_be_normalised_is_rejected_at_its_path(
    registry: SchemaRegistry, policy: ContractPolicy
) -> None:
    outcome = rejected(event(event_name="voice..first"), registry, policy)
    assert outcome.event_name == "voice..first"
    assert [(issue.path, issue.schema_path) for issue in outcome.errors] == [
        ("/event_name", f"{ENVELOPE_URI}#/properties/event_name/pattern")
    ]


def test_a_missing_tenant_is_taken_from_the_write_key(
    registry: SchemaRegistry, policy: ContractPolicy
) -> None:
    assert prepared(event(), registry, policy, tenant_id="t_key").tenant_id == "t_key"
    assert prepared(event(tenant_id=None), registry, policy, tenant_id="t_key").tenant_id == "t_key"
    assert prepared(event(tenant_id="t_key"), registry, policy, tenant_id="t_key").tenant_id == "t_key"


def test_another_tenant_is_rejected(registry: SchemaRegistry, policy: ContractPolicy) -> None:
    outcome = rejected(event(tenant_id="t_other"), registry, policy, tenant_id="t_key")
    assert outcome == RejectedEvent(
        EVENT_ID,
        "voice.first_response",
        [
            ValidationIssue(
                "/tenant_id", "is not the write key's tenant", "eventhouse:tenant-matches-write-key"
            )
        ],
    )


def test_every_problem_is_reported_at_once(registry: SchemaRegistry, policy: ContractPolicy) -> None:
    raw = event(tenant_id="t_other", source="fax", attributes={"voice.first_response_ms": "fast"})
    outcome = rejected(raw, registry, policy, received_at=RECEIVED_AT + timedelta(days=3))
    assert sorted((issue.path, issue.schema_path) for issue in outcome.errors) == [
        (
            "/attributes/voice.first_response_ms",
            f"{FIRST_RESPONSE_URI}#/properties/voice.first_response_ms/type",
        ),
        ("/occurred_at", "eventhouse:clock-skew"),
        ("/source", f"{ENVELOPE_URI}#/properties/source/enum"),
        ("/tenant_id", "eventhouse:tenant-matches-write-key"),
    ]


@pytest.mark.parametrize("raw", [None, 3, "event", [event()]])
def test_a_non_object_is_rejected_at_the_root(
    raw: Any, registry: SchemaRegistry, policy: ContractPolicy
) -> None:
    assert rejected(raw, registry, policy) == RejectedEvent(
        None, None, [ValidationIssue("", "must be of type object", f"{ENVELOPE_URI}#/type")]
    )


def test_ids_and_names_are_echoed_only_when_they_are_strings(
    registry: SchemaRegistry, policy: ContractPolicy
) -> None:
    outcome = rejected(event(event_id=7, event_name=["x"]), registry, policy)
    assert (outcome.event_id, outcome.event_name) == (None, None)


def test_event_ids_are_stored_in_canonical_lower_case(
    registry: SchemaRegistry, policy: ContractPolicy
) -> None:
    assert prepared(event(event_id=EVENT_ID.upper()), registry, policy).event_id == EVENT_ID


def test_a_client_received_at_is_ignored(registry: SchemaRegistry, policy: ContractPolicy) -> None:
    row = prepared(event(received_at="1999-01-01T00:00:00Z"), registry, policy)
    assert row.received_at == RECEIVED_AT


@pytest.mark.parametrize(
    ("occurred_at", "accepted"),
    [
        ("2025-01-14T10:00:05Z", True),
        ("2025-01-14T10:00:04Z", False),
        ("2025-01-16T10:00:05Z", True),
        ("2025-01-16T12:00:06+02:00", False),
    ],
)
def test_times_beyond_the_skew_limit_are_rejected(
    occurred_at: str, accepted: bool, registry: SchemaRegistry, policy: ContractPolicy
) -> None:
    outcome = prepare_event(event(occurred_at=occurred_at), server_context(), policy, registry)
    assert isinstance(outcome, PreparedEvent) is accepted


def test_year_zero_fits_the_grammar_but_is_rejected(registry: SchemaRegistry, policy: ContractPolicy) -> None:
    outcome = rejected(event(occurred_at="0000-01-01T00:00:00Z"), registry, policy)
    assert [(issue.path, issue.schema_path) for issue in outcome.errors] == [
        ("/occurred_at", "eventhouse:rfc3339")
    ]


def test_client_drift_is_corrected_and_the_stated_time_kept(
    registry: SchemaRegistry, policy: ContractPolicy
) -> None:
    # The batch says it was sent at 09:00 +02:00 = 07:00 UTC, by a clock three hours slow.
    row = prepared(
        event(occurred_at="2025-01-15T08:59:50+02:00"),
        registry,
        policy,
        sent_at=datetime(2025, 1, 15, 7, 0, tzinfo=UTC),
    )
    assert row.client_occurred_at == datetime(2025, 1, 15, 6, 59, 50, tzinfo=UTC)
    assert row.occurred_at == RECEIVED_AT - timedelta(seconds=10)
    assert row.occurred_offset_minutes == 120


def test_otel_client_fields_fill_the_columns_and_leave_the_attributes(
    registry: SchemaRegistry, policy: ContractPolicy
) -> None:
    raw = event(
        user_id=None,
        session_id=None,
        attributes={
            "voice.first_response_ms": 5,
            "http.user_agent": "VoiceSDK/2.1 (+1 555 123 4567)",
            "client.address": "203.0.113.77",
            "enduser.id": "ann@example.org",
            "session.id": "s-9",
        },
    )
    del raw["user_id"], raw["session_id"]
    row = prepared(raw, registry, policy)
    assert json.loads(row.attributes) == {"voice.first_response_ms": 5}
    assert (row.user_agent, row.ip_prefix, row.user_id, row.session_id) == (
        "VoiceSDK/2.1 ([phone])",
        "203.0.113.0/24",
        "[email]",
        "s-9",
    )


def test_the_device_user_agent_moves_to_its_column(registry: SchemaRegistry, policy: ContractPolicy) -> None:
    raw = event(context={"device": {"user_agent": "Mozilla/5.0 (X11)", "type": "desktop"}})
    row = prepared(raw, registry, policy)
    assert (row.user_agent, json.loads(row.context)) == ("Mozilla/5.0 (X11)", {"device": {"type": "desktop"}})


def test_personal_data_is_removed_before_storage(registry: SchemaRegistry, policy: ContractPolicy) -> None:
    raw = event(
        event_name="kb.search",
        attributes={
            "kb.query": "refund for order to ann@example.org, call 555-123-4567",
            "kb.results_count": 2,
            "kb.latency_ms": 31,
            "kb.search_id": "7234567890123",
        },
        context={
            "page": {
                "url": "https://shop.example/help?utm_source=app&token=s3cr3t#x",
                "path": "/help?token=s3cr3t",
                "title": "Help for ann@example.org",
            },
            "consent": {"analytics": True},
        },
    )
    row = prepared(raw, registry, policy, client_ip="2001:db8:abcd:12::1", country="")
    assert json.loads(row.attributes) == {
        "kb.query": "refund for order to [email], call [phone]",
        "kb.results_count": 2,
        "kb.latency_ms": 31,
        "kb.search_id": "7234567890123",
    }
    assert json.loads(row.context) == {
        "page": {
            "url": "https://shop.example/help?utm_source=app",
            "path": "/help",
            "title": "Help for [email]",
        },
        "consent": {"analytics": True},
    }
    assert (row.ip_prefix, row.country) == ("2001:db8:abcd::/48", "")


def test_no_address_prefix_is_kept_by_default(registry: SchemaRegistry) -> None:
    row = prepared(event(), registry, ContractPolicy())
    assert row.ip_prefix == ""
