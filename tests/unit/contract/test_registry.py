from __future__ import annotations

import json
import re
from typing import Any

import pytest

from schemas.documents import IGLU_METASCHEMA, SCHEMAS_ROOT, SchemaTreeError, parse_documents
from schemas.issues import ValidationIssue
from schemas.keys import SchemaKey
from schemas.registry import SchemaRegistry, default_registry
from tests.unit.contract.conftest import event

ENVELOPE_PATH = "dev.eventhouse.core/envelope/jsonschema/1-0-0"
ENVELOPE_BYTES = (SCHEMAS_ROOT / ENVELOPE_PATH).read_bytes()
ENVELOPE_URI = "iglu:dev.eventhouse.core/envelope/jsonschema/1-0-0"
FIRST_RESPONSE_URI = "iglu:dev.eventhouse.voice/voice_first_response/jsonschema/1-0-0"


def schema_file(path: str, event_name: str | None, properties: dict[str, Any], **extra: Any) -> bytes:
    key = SchemaKey.parse(f"iglu:{path}")
    document: dict[str, Any] = {
        "$schema": IGLU_METASCHEMA,
        "self": {"vendor": key.vendor, "name": key.name, "format": key.format, "version": key.version},
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        **extra,
    }
    if event_name is not None:
        document["x-event-name"] = event_name
    return json.dumps(document).encode()


def registry_of(files: dict[str, bytes]) -> SchemaRegistry:
    return SchemaRegistry(parse_documents({ENVELOPE_PATH: ENVELOPE_BYTES, **files}))


def synthetic_event(**overrides: Any) -> dict[str, Any]:
    return {
        "event_id": "5f0c2a5e-8d1b-4c7e-9a8f-2b3c4d5e6f70",
        "event_name": "demo.thing",
        "occurred_at": "2025-01-15T10:00:00Z",
        "source": "server",
        **overrides,
    }


# --- the shipped registry ------------------------------------------------------------------------


def test_the_default_registry_is_loaded_once() -> None:
    assert default_registry() is default_registry()


def test_every_schema_is_listed_with_its_published_document(registry: SchemaRegistry) -> None:
    listed = dict(registry.schemas())
    files = sorted(
        path.relative_to(SCHEMAS_ROOT).as_posix() for path in SCHEMAS_ROOT.glob("*/*/jsonschema/*")
    )
    assert sorted(key.path for key in listed) == files
    key = SchemaKey.parse(FIRST_RESPONSE_URI)
    assert listed[key] == json.loads((SCHEMAS_ROOT / key.path).read_text())
    assert registry.get(key) == listed[key]
    assert registry.get(SchemaKey.parse(FIRST_RESPONSE_URI.replace("1-0-0", "1-0-1"))) is None


def test_there_is_one_schema_per_event_type_of_every_pack(registry: SchemaRegistry) -> None:
    vendors = {key.vendor for key, _ in registry.schemas()}
    assert vendors == {
        "dev.eventhouse.core",
        "dev.eventhouse.voice",
        "dev.eventhouse.hospitality",
        "dev.eventhouse.widgets",
        "dev.eventhouse.api_usage",
    }
    for name in [
        "voice.turn_started",
        "voice.first_response",
        "voice.barge_in",
        "voice.asr_partial",
        "ai.tool_call_started",
        "ai.tool_call_completed",
        "ai.tool_chain_completed",
        "kb.search",
        "kb.hit",
        "commerce.view",
        "commerce.add_to_cart",
        "commerce.checkout",
        "commerce.order_placed",
        "booking.slot_hold",
        "booking.confirmed",
        "ops.endpoint_error",
        "ops.endpoint_requests",
        "ops.ws_ping",
        "ops.backpressure_drop",
        "ops.queue_lag",
        "message.received",
        "message.sent",
        "message.delivered",
        "message.read",
        "message.failed",
        "conversation.started",
        "conversation.escalated",
        "conversation.resolved",
        "conversation.closed",
        "response.ai_generated",
        "response.staff_sent",
        "response.time_recorded",
        "task.created",
        "task.assigned",
        "task.completed",
        "task.sla_breached",
        "intent.classified",
        "intent.confidence_low",
        "intent.action_taken",
        "satisfaction.survey_sent",
        "satisfaction.rating_received",
        "satisfaction.feedback_received",
        "staff.login",
        "staff.logout",
        "staff.status_changed",
        "widget_impression",
        "widget_click",
        "device_page_view",
        "page_view",
        "api.usage",
        "api.latency",
        "api.error",
    ]:
        assert registry.newest(name) is not None, name
    assert registry.newest("no.such_event") is None


def test_a_valid_event_resolves_to_its_schema(registry: SchemaRegistry) -> None:
    result = registry.validate(event())
    assert result.ok
    assert result.key == SchemaKey.parse(FIRST_RESPONSE_URI)


def test_envelope_and_attribute_errors_come_together_with_pointers(registry: SchemaRegistry) -> None:
    result = registry.validate(
        event(
            source="fax",
            attributes={"voice.first_response_ms": -1, "voice.turn_id": "", "extra": 1},
            context={"device": {"viewport": {"w": "wide"}}},
        )
    )
    assert sorted(result.issues, key=lambda issue: issue.path) == [
        ValidationIssue(
            "/attributes/extra", "is not an allowed property", f"{FIRST_RESPONSE_URI}#/additionalProperties"
        ),
        ValidationIssue(
            "/attributes/voice.first_response_ms",
            "must be >= 0",
            f"{FIRST_RESPONSE_URI}#/properties/voice.first_response_ms/minimum",
        ),
        ValidationIssue(
            "/attributes/voice.turn_id",
            "must be at least 1 characters long",
            f"{FIRST_RESPONSE_URI}#/properties/voice.turn_id/minLength",
        ),
        ValidationIssue("/context/device/viewport/h", "is required", f"{ENVELOPE_URI}#/$defs/size/required"),
        ValidationIssue(
            "/context/device/viewport/w",
            "must be of type integer",
            f"{ENVELOPE_URI}#/$defs/size/properties/w/type",
        ),
        ValidationIssue(
            "/source",
            'must be one of "web", "widget", "voice_ws", "server", "wordpress", "mobile_app", "api"',
            f"{ENVELOPE_URI}#/properties/source/enum",
        ),
    ]


def test_non_objects_are_rejected_at_the_root(registry: SchemaRegistry) -> None:
    assert registry.validate([1]).issues == [
        ValidationIssue("", "must be of type object", f"{ENVELOPE_URI}#/type")
    ]


def test_missing_attributes_are_checked_as_an_empty_object(registry: SchemaRegistry) -> None:
    bare = event()
    del bare["attributes"]
    assert registry.validate(bare).issues == [
        ValidationIssue(
            "/attributes/voice.first_response_ms", "is required", f"{FIRST_RESPONSE_URI}#/required"
        )
    ]


def test_common_otel_attributes_are_allowed_on_every_event(registry: SchemaRegistry) -> None:
    attributes = {"voice.first_response_ms": 3, "user_agent.original": "sdk/1", "client.address": "192.0.2.1"}
    assert registry.validate(event(attributes=attributes)).ok


@pytest.mark.parametrize(
    ("overrides", "issue"),
    [
        (
            {"event_name": "checkout.started"},
            ValidationIssue(
                "/event_name",
                'no schema is registered for event "checkout.started"',
                "eventhouse:schema-registered",
            ),
        ),
        (
            {"schema": FIRST_RESPONSE_URI.replace("1-0-0", "2-0-0")},
            ValidationIssue("/schema", "is not a registered schema", "eventhouse:schema-registered"),
        ),
        (
            {"schema": ENVELOPE_URI},
            ValidationIssue("/schema", "is not an event schema", "eventhouse:schema-registered"),
        ),
        (
            {"schema": "iglu:dev.eventhouse.voice/voice_barge_in/jsonschema/1-0-0"},
            ValidationIssue(
                "/event_name",
                'must be "voice.barge_in" for schema '
                "iglu:dev.eventhouse.voice/voice_barge_in/jsonschema/1-0-0",
                "iglu:dev.eventhouse.voice/voice_barge_in/jsonschema/1-0-0#/x-event-name",
            ),
        ),
        (
            {"schema": "iglu:voice_first_response"},
            ValidationIssue(
                "/schema",
                "must match the pattern ^iglu:[A-Za-z0-9_.-]+/[A-Za-z0-9_-]+/jsonschema/"
                "[1-9][0-9]*-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$",
                f"{ENVELOPE_URI}#/properties/schema/pattern",
            ),
        ),
    ],
)
def test_unknown_schemas_and_event_names_get_a_clear_error(
    registry: SchemaRegistry, overrides: dict[str, Any], issue: ValidationIssue
) -> None:
    result = registry.validate(event(**overrides))
    assert result.key is None
    assert result.issues == [issue]


# --- versions, pointers and tree rules, on synthetic trees --------------------------------------

DEMO_1_0_0 = schema_file(
    "dev.test.demo/demo_thing/jsonschema/1-0-0", "demo.thing", {"a": {"type": "integer"}}
)
DEMO_1_0_1 = schema_file(
    "dev.test.demo/demo_thing/jsonschema/1-0-1",
    "demo.thing",
    {"a": {"type": "integer"}, "b": {"type": "string"}},
)
DEMO_1_0_10 = schema_file(
    "dev.test.demo/demo_thing/jsonschema/1-0-10",
    "demo.thing",
    {"a": {"type": "integer"}, "b": {"type": "string"}, "c": {"type": "boolean"}},
)


def test_without_a_schema_key_the_newest_version_applies_and_with_one_exactly_that() -> None:
    registry = registry_of(
        {
            "dev.test.demo/demo_thing/jsonschema/1-0-0": DEMO_1_0_0,
            "dev.test.demo/demo_thing/jsonschema/1-0-1": DEMO_1_0_1,
            "dev.test.demo/demo_thing/jsonschema/1-0-10": DEMO_1_0_10,
        }
    )
    newest = registry.validate(synthetic_event(attributes={"c": True}))
    assert newest.ok
    assert newest.key == SchemaKey("dev.test.demo", "demo_thing", "jsonschema", "1-0-10")
    pinned = registry.validate(
        synthetic_event(schema="iglu:dev.test.demo/demo_thing/jsonschema/1-0-1", attributes={"c": True})
    )
    assert pinned.key == SchemaKey("dev.test.demo", "demo_thing", "jsonschema", "1-0-1")
    assert pinned.issues == [
        ValidationIssue(
            "/attributes/c",
            "is not an allowed property",
            "iglu:dev.test.demo/demo_thing/jsonschema/1-0-1#/additionalProperties",
        )
    ]


def test_pointers_escape_tilde_and_slash() -> None:
    registry = registry_of(
        {
            "dev.test.demo/demo_thing/jsonschema/1-0-0": schema_file(
                "dev.test.demo/demo_thing/jsonschema/1-0-0",
                "demo.thing",
                {"a/b~c": {"type": "integer"}},
                required=["x~y/z"],
            )
        }
    )
    issues = registry.validate(synthetic_event(attributes={"a/b~c": "1", "p/q": 1})).issues
    uri = "iglu:dev.test.demo/demo_thing/jsonschema/1-0-0"
    assert sorted(issues, key=lambda issue: issue.path) == [
        ValidationIssue("/attributes/a~1b~0c", "must be of type integer", f"{uri}#/properties/a~1b~0c/type"),
        ValidationIssue("/attributes/p~1q", "is not an allowed property", f"{uri}#/additionalProperties"),
        ValidationIssue("/attributes/x~0y~1z", "is required", f"{uri}#/required"),
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {
                "dev.test.demo/demo_thing/jsonschema/1-0-0": schema_file(
                    "dev.test.demo/other_thing/jsonschema/1-0-0", "demo.thing", {}
                )
            },
            "dev.test.demo/demo_thing/jsonschema/1-0-0: its `self` block must be",
        ),
        (
            {"dev.test.demo/demo_thing/jsonschema/1-0": DEMO_1_0_0},
            "dev.test.demo/demo_thing/jsonschema/1-0: '1-0' is not a SchemaVer version",
        ),
        ({"dev.test.demo/demo_thing/jsonschema/1-0-0": b"{"}, "not valid JSON"),
        (
            {
                "dev.test.demo/demo_thing/jsonschema/1-0-0": schema_file(
                    "dev.test.demo/demo_thing/jsonschema/1-0-0", None, {}
                )
            },
            "x-event-name must be a lowercase dot-case",
        ),
        (
            {
                "dev.test.demo/demo_thing/jsonschema/1-0-0": schema_file(
                    "dev.test.demo/demo_thing/jsonschema/1-0-0", "Demo.Thing", {}
                )
            },
            "x-event-name must be a lowercase",
        ),
        (
            {
                "dev.test.demo/demo_thing/jsonschema/1-0-0": DEMO_1_0_0,
                "dev.test.other/demo_thing/jsonschema/1-0-0": schema_file(
                    "dev.test.other/demo_thing/jsonschema/1-0-0", "demo.thing", {}
                ),
            },
            "event 'demo.thing' is described by more than one schema",
        ),
        (
            {
                "dev.test.demo/demo_thing/jsonschema/1-0-0": DEMO_1_0_0,
                "dev.test.demo/demo_thing/jsonschema/1-0-1": schema_file(
                    "dev.test.demo/demo_thing/jsonschema/1-0-1", "demo.other", {}
                ),
            },
            "all versions of a schema must describe one event",
        ),
        (
            {
                "dev.test.demo/demo_thing/jsonschema/1-0-0": schema_file(
                    "dev.test.demo/demo_thing/jsonschema/1-0-0", "demo.thing", {"a": {"type": "no-such-type"}}
                )
            },
            "not a valid JSON Schema",
        ),
    ],
)
def test_a_broken_tree_fails_to_load_with_the_file_and_the_rule(
    files: dict[str, bytes], message: str
) -> None:
    with pytest.raises(SchemaTreeError, match=re.escape(message)):
        registry_of(files)


def test_a_tree_without_the_envelope_fails_to_load() -> None:
    with pytest.raises(SchemaTreeError, match="no envelope schema"):
        SchemaRegistry(parse_documents({"dev.test.demo/demo_thing/jsonschema/1-0-0": DEMO_1_0_0}))


def test_a_schema_must_declare_the_iglu_metaschema() -> None:
    document = json.loads(DEMO_1_0_0)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    with pytest.raises(SchemaTreeError, match="Iglu self-describing metaschema"):
        registry_of({"dev.test.demo/demo_thing/jsonschema/1-0-0": json.dumps(document).encode()})


def test_loading_from_a_directory_ignores_examples_and_python_files(tmp_path: Any) -> None:
    (tmp_path / "dev.eventhouse.core/envelope/jsonschema").mkdir(parents=True)
    (tmp_path / ENVELOPE_PATH).write_bytes(ENVELOPE_BYTES)
    (tmp_path / "dev.eventhouse.core/envelope/examples/1-0-0/valid").mkdir(parents=True)
    (tmp_path / "dev.eventhouse.core/envelope/examples/1-0-0/valid/a.json").write_text("{}")
    (tmp_path / "__init__.py").write_text("")
    registry = SchemaRegistry.load(tmp_path)
    assert [key.uri for key, _ in registry.schemas()] == [ENVELOPE_URI]
    assert registry.get(SchemaKey.parse(ENVELOPE_URI)) == json.loads(ENVELOPE_BYTES)
