"""The chdb engine behind the embedded warehouse: a pool of connections plus HTTP sessions.

chdb opens a data directory once per process, but hands out any number of connections to it;
each connection is its own ClickHouse session (its own settings and current database) and two
connections run statements in parallel. A request borrows a connection, brings its settings and
database in line with what the request asked for, runs one statement, and gives it back. A request
with `session_id` gets a connection of its own that lives as long as the session does, like a
ClickHouse HTTP session.
"""

from __future__ import annotations

import contextlib
import dataclasses
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from chdb import state

from .errors import WarehouseError
from .statement import leading_keyword

_STATE_CHANGING = frozenset({"SET", "USE"})


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclasses.dataclass
class Outcome:
    """What one statement produced, and the counters for X-ClickHouse-Summary."""

    body: memoryview | bytes
    read_rows: int = 0
    read_bytes: int = 0
    written_rows: int = 0
    written_bytes: int = 0
    result_rows: int = 0
    elapsed_ns: int = 0
    keepalive: Any = None  # the chdb result that owns `body`'s memory


class EngineConnection:
    """One chdb connection, and the settings and database it currently has applied.

    As on clickhouse-server, settings given in a request's URL last for that request only, while
    a `SET` or `USE` statement inside an HTTP session lasts for the session (its `baseline`).
    Outside a session a statement's `SET`/`USE` is undone before the connection serves anyone else.
    """

    def __init__(self, conn: Any, *, session: bool = False) -> None:
        self._conn = conn
        self._session = session
        self._applied: dict[str, str] = {}  # what the connection has SET right now
        self._baseline: dict[str, str] = {}  # what the session's own SET statements established
        self._request: dict[str, str] = {}  # the current request's URL settings
        self._database = self._baseline_database = "default"
        self.lock = threading.Lock()
        self.last_used = time.monotonic()

    def prepare(self, settings: dict[str, str], database: str | None) -> None:
        """Bring the connection's settings and database to exactly what this request runs with."""
        self._request = settings
        wanted = {**self._baseline, **settings}
        changes = {k: v for k, v in wanted.items() if self._applied.get(k) != v}
        resets = [k for k in self._applied if k not in wanted]
        assignments = [f"{k} = {_quote(v)}" for k, v in changes.items()] + [f"{k} = DEFAULT" for k in resets]
        if assignments:
            self._run("SET " + ", ".join(assignments))
            self._applied = wanted
        database = database or self._baseline_database
        if database != self._database:
            self._run(f"USE `{database.replace('`', '``')}`")
            self._database = database

    def query(self, sql: bytes, fmt: str, params: dict[str, str]) -> Outcome:
        """Run a statement whose result (if any) comes back in `fmt`."""
        started = time.perf_counter_ns()
        result = self._run(sql.decode(), fmt, params)
        if leading_keyword(sql) in _STATE_CHANGING:
            self._after_state_change()
        return Outcome(
            body=result.get_memview().view() if result.size() else b"",
            keepalive=result,
            read_rows=result.storage_rows_read(),
            read_bytes=result.storage_bytes_read(),
            written_rows=result.rows_written(),
            written_bytes=result.bytes_written(),
            result_rows=result.rows_read(),
            elapsed_ns=time.perf_counter_ns() - started,
        )

    def _after_state_change(self) -> None:
        """A SET or USE ran: in a session it becomes the baseline; elsewhere it is undone now."""
        rows = self._run("SELECT name, value FROM system.settings WHERE changed", "TSV").bytes().decode()
        changed = dict(line.split("\t", 1) for line in rows.splitlines() if line)
        current = self._run("SELECT currentDatabase()", "TSV").bytes().decode().strip()
        if self._session:
            # URL settings still in force are the request's, not the session's
            self._baseline = {k: v for k, v in changed.items() if self._request.get(k) != v}
            self._applied, self._database = changed, current
            self._baseline_database = current
            return
        if changed:
            self._run("SET " + ", ".join(f"{name} = DEFAULT" for name in changed))
        self._run("USE default")
        self._applied, self._database = {}, "default"

    def insert(self, head: bytes, fmt: str, data: Iterable[bytes]) -> Outcome:
        """Stream `data` (in input format `fmt`) into the INSERT statement `head`."""
        started = time.perf_counter_ns()
        try:
            inserter = self._conn.send_insert(head.decode(), fmt)
        except Exception as exc:
            raise WarehouseError.from_engine(exc) from exc
        try:
            for piece in data:
                if piece:
                    inserter.append(piece)
            written = inserter.finish()
        except WarehouseError:
            inserter.cancel()
            raise
        except Exception as exc:
            with contextlib.suppress(Exception):
                inserter.cancel()
            raise WarehouseError.from_engine(exc) from exc
        return Outcome(
            body=b"",
            written_rows=written.rows_written,
            written_bytes=written.bytes_written,
            elapsed_ns=time.perf_counter_ns() - started,
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.close()

    def _run(self, sql: str, fmt: str = "TSV", params: dict[str, str] | None = None) -> Any:
        try:
            return self._conn.query(sql, fmt, params=params or None)
        except Exception as exc:
            raise WarehouseError.from_engine(exc) from exc


class Engine:
    """All chdb connections of the process: a shared pool and one connection per HTTP session."""

    def __init__(self, data_dir: Path, pool_size: int, session_limit: int = 64) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self._uri = f"file:{data_dir}"
        self._pool: queue.LifoQueue[EngineConnection] = queue.LifoQueue()
        self._all: list[EngineConnection] = []
        for _ in range(pool_size):
            conn = self._connect()
            self._pool.put(conn)
        self._sessions: dict[str, tuple[EngineConnection, float]] = {}
        self._sessions_lock = threading.Lock()
        self._session_limit = session_limit
        probe = self._all[0].query(b"SELECT timezone(), version()", "TSV", {})
        self.timezone, self.version = bytes(probe.body).decode().strip().split("\t")

    def _connect(self, *, session: bool = False) -> EngineConnection:
        try:
            conn = EngineConnection(state.connect(self._uri), session=session)
        except Exception as exc:
            raise WarehouseError.from_engine(exc) from exc
        self._all.append(conn)
        return conn

    @contextlib.contextmanager
    def borrow(self, session_id: str | None, session_timeout: float) -> Iterator[EngineConnection]:
        """A connection for one statement: the session's own, or any free one from the pool."""
        if not session_id:
            conn = self._pool.get()
            try:
                yield conn
            finally:
                self._pool.put(conn)
            return
        conn = self._session(session_id, session_timeout)
        if not conn.lock.acquire(blocking=False):
            raise WarehouseError(
                373, "SESSION_IS_LOCKED", f"Session {session_id} is locked by a concurrent client."
            )
        try:
            yield conn
        finally:
            conn.last_used = time.monotonic()
            conn.lock.release()

    def _session(self, session_id: str, timeout: float) -> EngineConnection:
        with self._sessions_lock:
            self._expire_sessions()
            found = self._sessions.get(session_id)
            if found is not None:
                self._sessions[session_id] = (found[0], timeout)
                return found[0]
            if len(self._sessions) >= self._session_limit:
                raise WarehouseError(
                    202,
                    "TOO_MANY_SIMULTANEOUS_QUERIES",
                    f"Too many open HTTP sessions ({self._session_limit}).",
                )
            conn = self._connect(session=True)
            self._sessions[session_id] = (conn, timeout)
            return conn

    def _expire_sessions(self) -> None:
        now = time.monotonic()
        for session_id, (conn, timeout) in list(self._sessions.items()):
            if now - conn.last_used > timeout and not conn.lock.locked():
                del self._sessions[session_id]
                self._all.remove(conn)
                conn.close()

    def close(self) -> None:
        """Close every connection; call only once no statement is running."""
        for conn in self._all:
            conn.close()
        self._all.clear()
