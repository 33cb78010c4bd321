"""Starting and stopping the platform's real processes for tests, on free ports."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 60) -> None:
    """Poll `url` until it answers 200; fail early if `process` dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


class Service:
    """A child process of the test run, stopped politely (SIGTERM) and then firmly."""

    def __init__(self, args: list[str], env: Mapping[str, str], log_path: Path) -> None:
        self.args = args
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Service:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(
            self.args, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO
        )
        log.close()
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Send `sig` and wait; returns the exit code."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def wait_ready(self, url: str, timeout: float = 60) -> None:
        """Wait until `url` answers; on failure, the error carries the end of the process's log."""
        try:
            wait_for_http(url, self.process, timeout)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}\n--- log of {self.args[3:5]} ---\n{self.log()[-3000:]}") from None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def eventhouse_command(*args: str) -> list[str]:
    """The `eventhouse` CLI, run with this interpreter."""
    return [sys.executable, "-m", "eventhouse.cli", *args]


@contextlib.contextmanager
def running(
    name: str, args: list[str], env: Mapping[str, str], log_dir: Path, port: int, ready_path: str
) -> Iterator[tuple[str, Service]]:
    """Run an `eventhouse` command serving HTTP on `port`; yields (url, service) once `ready_path` answers."""
    service = Service(eventhouse_command(*args), dict(env), log_dir / f"{name}-{port}.log").start()
    url = f"http://127.0.0.1:{port}"
    try:
        service.wait_ready(f"{url}{ready_path}")
        yield url, service
    finally:
        service.stop()


def embedded_warehouse(
    data_dir: Path, port: int | None = None
) -> contextlib.AbstractContextManager[tuple[str, Service]]:
    """Run `eventhouse warehouse serve` (a free port unless given) on `data_dir`."""
    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    args = ["warehouse", "serve", "--port", str(port), "--data-dir", str(data_dir)]
    return running("warehouse", args, {}, data_dir.parent, port, "/ping")


def api_server(
    settings_env: Mapping[str, str], log_dir: Path, port: int | None = None
) -> contextlib.AbstractContextManager[tuple[str, Service]]:
    """Run `eventhouse api` (a free port unless given) with the given EVENTHOUSE_* environment."""
    port = port or free_port()
    return running("api", ["api", "--port", str(port)], settings_env, log_dir, port, "/schema/openapi.json")


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children, grandchildren, ...)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(service: Service) -> None:
    """SIGKILL a process and all its descendants at once, like a crash of the whole server."""
    assert service.process is not None
    for pid in [service.process.pid, *descendants(service.process.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    service.process.wait()


def tree_peak_rss_kb(pid: int) -> int:
    """Peak resident memory (VmHWM) of a process plus all its descendants, in kB."""
    total = 0
    for current in [pid, *descendants(pid)]:
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return total
