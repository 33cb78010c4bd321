"""Structured JSON logs, each line carrying the id of the request it belongs to.

A request's id comes from its `X-Request-Id` header (so a proxy's id carries through) or is made
up; it is echoed in the response and attached to every log record written while serving it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import time
import uuid
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.logging.config import LoggingConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
access_log = logging.getLogger("eventhouse.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request_id := REQUEST_ID.get():
            entry["request_id"] = request_id
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def logging_config(level: str) -> LoggingConfig:
    """Litestar's logging, with every logger (ours and its) writing JSON lines to stderr."""
    return LoggingConfig(
        formatters={"json": {"()": JsonFormatter}},
        handlers={
            "json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
        },
        loggers={"litestar": {"level": level, "handlers": ["json"], "propagate": False}},
        root={"level": level, "handlers": ["json"]},
        log_exceptions="always",
    )


def request_id_middleware(app: ASGIApp, *, log_requests: bool) -> ASGIApp:
    """Give each HTTP request an id, echo it as X-Request-Id, and optionally log one line per request."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")[:128]
        token = REQUEST_ID.set(given or uuid.uuid4().hex)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)["x-request-id"] = REQUEST_ID.get()
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            if log_requests:
                access_log.info(
                    "request",
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            REQUEST_ID.reset(token)

    return middleware
