"""Running the embedded warehouse: own the data directory, serve HTTP, stop cleanly on SIGTERM."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .engine import Engine
from .http import WarehouseHTTPServer


class DataDirInUse(RuntimeError):
    """Another process already serves this data directory (chdb allows one per directory)."""


@contextlib.contextmanager
def exclusive_data_dir(data_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on `data_dir` for as long as the warehouse runs."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lock_path = data_dir / ".warehouse.lock"
    handle: IO[str] = open(lock_path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise DataDirInUse(
            f"data directory {data_dir} is in use by another eventhouse warehouse (pid {holder}); "
            "stop it or choose another --data-dir"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def serve(host: str, port: int, data_dir: Path, pool_size: int) -> None:
    """Serve ClickHouse's HTTP interface on host:port until SIGTERM or SIGINT."""
    with exclusive_data_dir(data_dir):
        engine = Engine(data_dir, pool_size)
        server = WarehouseHTTPServer((host, port), engine)

        def stop(signum: int, _frame: object) -> None:
            # shutdown() waits for serve_forever(), which runs on this (the main) thread
            threading.Thread(target=server.stop, name="warehouse-stop").start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        bound_host, bound_port = str(server.server_address[0]), server.server_address[1]
        print(
            f"eventhouse warehouse: ClickHouse {engine.version} serving http://{bound_host}:{bound_port} "
            f"(data: {data_dir})",
            file=sys.stderr,
            flush=True,
        )
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            server.server_close()  # joins the connection threads: in-flight statements finish
            engine.close()
        print("eventhouse warehouse: stopped", file=sys.stderr, flush=True)
