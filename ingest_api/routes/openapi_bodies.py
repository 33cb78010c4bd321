"""OpenAPI descriptions of the ingestion bodies.

The handlers read their bodies themselves (gzip/br, text/plain from sendBeacon, size caps), so
Litestar cannot infer a body schema from a parameter; these Operation classes state it instead,
which also lets schemathesis generate bodies when fuzzing the API.
"""

from __future__ import annotations

import dataclasses

from litestar.openapi.spec import OpenAPIFormat, OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema

_STRING = Schema(type=OpenAPIType.STRING)
_OBJECT = Schema(type=OpenAPIType.OBJECT)

EVENT = Schema(
    type=OpenAPIType.OBJECT,
    description="A canonical event (DESIGN §3); validated against its JSON Schema (see /api/v1/analytics/schemas).",
    required=["event_id", "event_name", "occurred_at", "source"],
    properties={
        "schema": _STRING,
        "event_id": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.UUID),
        "event_name": _STRING,
        "occurred_at": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE_TIME),
        "tenant_id": _STRING,
        "site_id": _STRING,
        "session_id": _STRING,
        "user_id": _STRING,
        "source": Schema(enum=["web", "widget", "voice_ws", "server", "wordpress", "mobile_app", "api"]),
        "attributes": _OBJECT,
        "context": _OBJECT,
    },
)


def _batch(items: Schema, *, batch_id_required: bool) -> Schema:
    return Schema(
        type=OpenAPIType.OBJECT,
        required=["events", "batch_id"] if batch_id_required else ["events"],
        properties={
            "events": Schema(type=OpenAPIType.ARRAY, items=items, max_items=500),
            "batch_id": _STRING,
            "sent_at": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE_TIME),
            "write_key": _STRING,
        },
    )


WIDGET_EVENT = Schema(
    type=OpenAPIType.OBJECT,
    description="The widget tracker's event (seed 003).",
    required=["event_type", "occurred_at"],
    properties={
        "event_type": _STRING,
        "occurred_at": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE_TIME),
        "session_id": _STRING,
        "visitor_id": _STRING,
        "page_url": _STRING,
        "page_path": _STRING,
        "referrer_domain": _STRING,
        "properties": _OBJECT,
    },
)


def _body(schema: Schema) -> RequestBody:
    return RequestBody(
        required=True,
        description="JSON, optionally `Content-Encoding: gzip|br`; `text/plain` is read as JSON too (sendBeacon).",
        content={
            "application/json": OpenAPIMediaType(schema=schema),
            "text/plain": OpenAPIMediaType(schema=schema),
        },
    )


@dataclasses.dataclass
class EventsOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _body(Schema(one_of=[EVENT, _batch(EVENT, batch_id_required=False)]))


@dataclasses.dataclass
class BatchOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _body(_batch(EVENT, batch_id_required=True))


@dataclasses.dataclass
class WidgetOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _body(_batch(WIDGET_EVENT, batch_id_required=False))
