"""ClickHouse's HTTP interface in front of the chdb engine.

Speaks the protocol only: where the statement is (URL `query`, body, or both), which parameters are
settings, query parameters or session controls, where INSERT data starts, how bodies are encoded,
and how results and errors are reported (headers, status codes, message text). Every statement is
executed by the chdb engine itself.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.server
import json
import socket
import threading
import uuid
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from eventhouse import compression

from .engine import Engine, Outcome
from .errors import WarehouseError
from .statement import READ_ONLY_KEYWORDS, InsertSplit, leading_keyword, output_format, split_insert

MAX_QUERY_BYTES = 1 << 20
"""How much of a body is read looking for the end of a statement whose data follows it."""

# URL parameters that control the HTTP request itself; every other one is a ClickHouse setting.
_PROTOCOL_PARAMS = frozenset(
    {
        "query", "database", "default_format", "query_id", "session_id", "session_timeout", "session_check",
        "user", "password", "quota_key", "compress", "decompress", "buffer_size", "wait_end_of_query",
        "client_protocol_version", "role", "stacktrace", "close_session",
    }
)  # fmt: skip

_CONTENT_TYPES = {
    "TabSeparated": "text/tab-separated-values; charset=UTF-8",
    "TabSeparatedWithNames": "text/tab-separated-values; charset=UTF-8",
    "TSV": "text/tab-separated-values; charset=UTF-8",
    "TSVWithNames": "text/tab-separated-values; charset=UTF-8",
    "CSV": "text/csv; charset=UTF-8; header=absent",
    "CSVWithNames": "text/csv; charset=UTF-8; header=present",
    "JSON": "application/json; charset=UTF-8",
    "JSONCompact": "application/json; charset=UTF-8",
    "JSONEachRow": "application/x-ndjson; charset=UTF-8",
}


@dataclasses.dataclass(frozen=True)
class RequestParams:
    """A request's URL parameters, sorted into what ClickHouse does with each."""

    query: str
    database: str | None
    default_format: str
    query_id: str
    session_id: str | None
    session_timeout: float
    settings: dict[str, str]
    params: dict[str, str]

    @classmethod
    def parse(cls, query_string: str) -> RequestParams:
        pairs = parse_qsl(query_string, keep_blank_values=True)
        named = dict(pairs)
        return cls(
            query=named.get("query", ""),
            database=named.get("database") or None,
            default_format=named.get("default_format") or "TabSeparated",
            query_id=named.get("query_id") or str(uuid.uuid4()),
            session_id=named.get("session_id") or None,
            session_timeout=float(named.get("session_timeout") or 60),
            settings={k: v for k, v in pairs if k not in _PROTOCOL_PARAMS and not k.startswith("param_")},
            params={k.removeprefix("param_"): v for k, v in pairs if k.startswith("param_")},
        )


def _accepted_encoding(header: str) -> str | None:
    for item in header.split(","):
        name = item.split(";")[0].strip().lower()
        if name in compression.SUPPORTED:
            return name
    return None


class ClickHouseHandler(http.server.BaseHTTPRequestHandler):
    """One client connection; keeps it alive across requests like clickhouse-server does."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes; don't wait for delayed ACKs
    server_version = "eventhouse-warehouse"
    server: WarehouseHTTPServer

    def setup(self) -> None:
        super().setup()
        self.busy = False
        self.server.track(self, True)

    def finish(self) -> None:
        self.server.track(self, False)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request access log; ClickHouse clients report their own errors."""

    def do_GET(self) -> None:
        self._serve(readonly=True)

    def do_POST(self) -> None:
        self._serve(readonly=False)

    def _serve(self, readonly: bool) -> None:
        self.busy = True
        self.body = RequestBody(self.rfile, self.headers)
        try:
            url = urlsplit(self.path)
            params = RequestParams.parse(url.query)
            if url.path in ("/ping", "/replicas_status") or (
                url.path == "/" and not params.query and readonly
            ):
                self._reply(200, b"Ok.\n", {"Content-Type": "text/html; charset=UTF-8"})
            elif url.path != "/":
                self._drain()
                self._reply(
                    404, f"There is no handle {url.path}\n\nUse / or /ping for health checks.\n".encode(), {}
                )
            else:
                self._run(params, readonly)
        finally:
            self.busy = False
            if self.server.stopping:
                self.close_connection = True

    def _run(self, params: RequestParams, readonly: bool) -> None:
        try:
            chunks = compression.decode_stream(self.body.chunks(), self.headers.get("Content-Encoding"))
            outcome, fmt = self._execute(params, chunks, readonly)
        except WarehouseError as exc:
            self._drain()
            self._reply(
                exc.http_status,
                exc.body(),
                {"X-ClickHouse-Exception-Code": str(exc.code), "X-ClickHouse-Query-Id": params.query_id},
            )
            return
        except compression.UnsupportedEncoding as exc:
            self._refuse_body(WarehouseError(415, "UNSUPPORTED_MEDIA_TYPE", str(exc)))
            return
        except compression.CorruptBody as exc:
            self._refuse_body(WarehouseError(27, "CANNOT_PARSE_INPUT", str(exc)))
            return
        body = outcome.body
        headers = {
            "Content-Type": _CONTENT_TYPES.get(fmt, "application/octet-stream"),
            "X-ClickHouse-Query-Id": params.query_id,
            "X-ClickHouse-Format": fmt,
            "X-ClickHouse-Timezone": self.server.engine.timezone,
            "X-ClickHouse-Summary": _summary(outcome, len(body)),
        }
        coding = _accepted_encoding(self.headers.get("Accept-Encoding", ""))
        if body and coding and params.settings.get("enable_http_compression") == "1":
            body = compression.encode(body, coding)
            headers["Content-Encoding"] = coding
        self._reply(200, body, headers)

    def _execute(self, params: RequestParams, chunks: Iterator[bytes], readonly: bool) -> tuple[Outcome, str]:
        """Find the statement and its data in the URL and body, then run it on a borrowed connection."""
        split, statement, data = _locate(params.query.encode(), chunks)
        keyword = leading_keyword(split.head if split else statement)
        if readonly and keyword not in READ_ONLY_KEYWORDS:
            raise WarehouseError(
                164,
                "READONLY",
                "Code: 164. DB::Exception: Cannot execute query in readonly mode. For queries over HTTP, "
                "method GET implies readonly. You should use method POST for modifying queries. (READONLY)",
            )
        with self.server.engine.borrow(params.session_id, params.session_timeout) as conn:
            conn.prepare(params.settings, params.database)
            if split is not None:
                return conn.insert(split.head, split.data_format, data), params.default_format
            outcome = conn.query(statement, params.default_format, params.params)
            return outcome, output_format(statement) or params.default_format

    def _refuse_body(self, error: WarehouseError) -> None:
        """A body we cannot decode: answer, and close the connection (its framing is unknown)."""
        self.close_connection = True
        self._reply(error.http_status, error.body(), {"X-ClickHouse-Exception-Code": str(error.code)})

    def _drain(self) -> None:
        """Consume what is left of the body so the connection can carry the next request."""
        try:
            for _ in self.body.chunks():
                pass
        except (OSError, ValueError):
            self.close_connection = True

    def _reply(self, status: int, body: bytes | memoryview, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Keep-Alive", "timeout=10")
        self.end_headers()
        self.wfile.write(body)


class RequestBody:
    """The raw request body as it arrives (Content-Length or chunked), read at most once."""

    def __init__(self, rfile: Any, headers: Any) -> None:
        self._rfile = rfile
        self._chunked = "chunked" in headers.get("Transfer-Encoding", "").lower()
        self._remaining = int(headers.get("Content-Length") or 0)
        self._done = not self._chunked and self._remaining == 0

    def chunks(self) -> Iterator[bytes]:
        while not self._done:
            piece = self._next_chunk()
            if piece:
                yield piece

    def _next_chunk(self) -> bytes:
        if self._chunked:
            size = int(self._rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self._rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                self._done = True
                return b""
            piece = self._rfile.read(size)
            self._rfile.readline()
            return piece
        piece = self._rfile.read(min(self._remaining, 1 << 20))
        self._remaining -= len(piece)
        self._done = self._remaining <= 0 or not piece
        return piece


def _locate(query: bytes, chunks: Iterator[bytes]) -> tuple[InsertSplit | None, bytes, Iterator[bytes]]:
    """Split a request into (INSERT head, -, its data) or (None, statement, -).

    The statement is the URL's `query` followed by the body, as in clickhouse-server; when the
    URL holds an INSERT, the body is its data. Without a URL query, the body starts with the
    statement and any INSERT data follows it.
    """
    if query:
        split = split_insert(query)
        if split is not None:
            return split, b"", _chain(query[split.data_start :], chunks)
        body = b"".join(chunks)
        return None, query + b"\n" + body if body else query, iter(())
    head, rest = _read_head(chunks)
    split = split_insert(head)
    if split is not None:
        return split, b"", _chain(head[split.data_start :], rest)
    return None, head + b"".join(rest), iter(())


def _read_head(chunks: Iterator[bytes]) -> tuple[bytes, Iterator[bytes]]:
    """Read up to MAX_QUERY_BYTES of a body whose statement comes first; return it and the rest."""
    head = b""
    for chunk in chunks:
        head += chunk
        if len(head) >= MAX_QUERY_BYTES:
            break
    return head, chunks


def _chain(first: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def _summary(outcome: Outcome, result_bytes: int) -> str:
    return json.dumps(
        {
            "read_rows": str(outcome.read_rows),
            "read_bytes": str(outcome.read_bytes),
            "written_rows": str(outcome.written_rows),
            "written_bytes": str(outcome.written_bytes),
            "total_rows_to_read": str(outcome.read_rows),
            "result_rows": str(outcome.result_rows),
            "result_bytes": str(result_bytes),
            "elapsed_ns": str(outcome.elapsed_ns),
        },
        separators=(",", ":"),
    )


class WarehouseHTTPServer(http.server.ThreadingHTTPServer):
    """Thread per connection; on shutdown, idle connections are closed and busy ones finish."""

    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], engine: Engine) -> None:
        self.engine = engine
        self.stopping = False
        self._handlers: set[ClickHouseHandler] = set()
        self._handlers_lock = threading.Lock()
        super().__init__(address, ClickHouseHandler)

    def track(self, handler: ClickHouseHandler, active: bool) -> None:
        with self._handlers_lock:
            if active:
                self._handlers.add(handler)
            else:
                self._handlers.discard(handler)

    def stop(self) -> None:
        """Stop accepting, let in-flight statements finish, close idle keep-alive connections."""
        self.stopping = True
        self.shutdown()
        with self._handlers_lock:
            idle = [h for h in self._handlers if not h.busy]
        for handler in idle:
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
