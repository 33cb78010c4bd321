"""The ingestion endpoints: HTTP (single event or batch, seed 000/001 paths, the widget tracker's
path) and a WebSocket where each text frame is a batch and each reply its receipt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
from litestar import Request, Response, WebSocket, post, route, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.plugins.problem_details import ProblemDetailsException

from ..auth import header_key, presented_key, require_key
from ..bodies import Batch, Limits, decode_json, read_batch
from ..cors import cors_headers, preflight
from ..ingest import Sender
from ..problems import problem
from ..receipt import Receipt
from ..services import Services, services_of, utc_now
from ..widget import widget_batch
from ..writer import Overloaded, WriteFailed
from .openapi_bodies import BatchOperation, EventsOperation, WidgetOperation

EVENT_PATHS = ["/api/v1/analytics/events", "/api/analytics/events"]
BATCH_PATH = "/api/v1/analytics/events/batch"
WIDGET_PATH = "/v1/events"
WS_PATH = "/api/v1/analytics/events/ws"
RETRY_AFTER_SECONDS = "5"


def _sender(request: Request | WebSocket, services: Services) -> Sender:
    headers = request.headers
    return Sender(
        user_agent=headers.get("user-agent", ""),
        address=request.client.host if request.client else "",
        country=headers.get(services.settings.country_header.lower(), ""),
        sdk=headers.get("x-eventhouse-sdk", ""),
    )


async def _ingest(request: Request, read: Callable[[Any, Limits], Batch]) -> Response[Receipt]:
    services = services_of(request.app.state)
    origin = request.headers.get("origin")
    presented = presented_key(request.headers, request.query_params)
    # a key in the headers or URL is checked before the body is read; one in the body, after
    key = await require_key(services.keys, presented, "write", origin) if presented else None
    document = decode_json(
        await request.body(),
        request.headers.get("content-type"),
        request.headers.get("content-encoding"),
        services.limits,
    )
    batch = read(document, services.limits)
    if key is None:
        key = await require_key(services.keys, batch.write_key, "write", origin)
    try:
        receipt = await services.ingestor.ingest(batch, key, _sender(request, services), utc_now())
    except WriteFailed as exc:
        raise _unavailable(exc) from None
    return Response(receipt, headers=cors_headers(origin, key))


def _unavailable(exc: WriteFailed) -> ProblemDetailsException:
    """503: nothing of the request was stored (warehouse and spool unavailable, or too busy)."""
    slug, title = (
        ("overloaded", "Too busy") if isinstance(exc, Overloaded) else ("not-durable", "Events not stored")
    )
    detail = f"nothing was stored; retry later ({exc})"
    return problem(503, slug, title, detail, headers={"Retry-After": RETRY_AFTER_SECONDS})


@post(
    EVENT_PATHS,
    summary="Send one event or a batch",
    tags=["ingest"],
    status_code=200,
    operation_class=EventsOperation,
)
async def post_events(request: Request) -> Response[Receipt]:
    """One event, an array of events, or `{events, batch_id?, sent_at?, write_key?}`."""
    return await _ingest(request, read_batch)


@post(
    BATCH_PATH,
    summary="Send a batch with a batch id",
    tags=["ingest"],
    status_code=200,
    operation_class=BatchOperation,
)
async def post_batch(request: Request) -> Response[Receipt]:
    """`{events, batch_id, sent_at?}`; `batch_id` is required."""
    return await _ingest(request, lambda doc, limits: read_batch(doc, limits, require_batch_id=True))


@post(
    WIDGET_PATH,
    summary="The widget tracker's batch (seed 003 shape)",
    tags=["ingest"],
    status_code=200,
    operation_class=WidgetOperation,
)
async def post_widget_events(request: Request) -> Response[Receipt]:
    """`{events: [{event_type, occurred_at, session_id, visitor_id, page_url, properties, ...}]}`."""
    return await _ingest(request, widget_batch)


@route([*EVENT_PATHS, BATCH_PATH, WIDGET_PATH], http_method="OPTIONS", include_in_schema=False)
async def options_events(request: Request) -> Response[None]:
    return await preflight(request, services_of(request.app.state).keys)


@websocket(WS_PATH)
async def events_socket(socket: WebSocket) -> None:
    """Each text frame is a batch (same shapes as POST); each reply is its receipt or a problem."""
    services = services_of(socket.app.state)
    try:
        key = await require_key(
            services.keys,
            header_key(socket.headers) or socket.query_params.get("key"),
            "write",
            socket.headers.get("origin"),
        )
    except ProblemDetailsException as exc:
        await socket.accept()
        await socket.send_text(_problem_json(exc).decode())
        await socket.close(code=1008, reason=exc.title or "unauthorized")
        return
    await socket.accept()
    sender = _sender(socket, services)
    while True:
        try:
            frame = await socket.receive_data(mode="text")
        except WebSocketDisconnect:
            return
        try:
            batch = read_batch(_decode_frame(frame, services.limits), services.limits)
            receipt = await services.ingestor.ingest(batch, key, sender, utc_now())
            await socket.send_text(msgspec.json.encode(receipt).decode())
        except ProblemDetailsException as exc:
            await socket.send_text(_problem_json(exc).decode())
        except WriteFailed as exc:
            await socket.send_text(_problem_json(_unavailable(exc)).decode())


def _decode_frame(frame: str | bytes, limits: Limits) -> Any:
    raw = frame.encode() if isinstance(frame, str) else frame
    if len(raw) > limits.max_decompressed_bytes:
        raise problem(
            413,
            "body-too-large",
            "Frame too large",
            f"frames are limited to {limits.max_decompressed_bytes} bytes",
        )
    if len(raw) > 0:
        try:
            return msgspec.json.decode(raw)
        except msgspec.DecodeError as exc:
            raise problem(400, "invalid-json", "Frame is not valid JSON", str(exc)) from None
    raise problem(400, "empty-body", "Empty frame", 'send one event or {"events": [...]}')


def _problem_json(exc: ProblemDetailsException) -> bytes:
    body: dict[str, Any] = {
        "status": exc.status_code,
        "type": exc.type_,
        "title": exc.title,
        "detail": exc.detail,
    }
    if isinstance(exc.extra, dict):
        body |= exc.extra
    return msgspec.json.encode(body)


ROUTES = [options_events, post_events, post_batch, post_widget_events, events_socket]
