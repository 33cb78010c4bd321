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

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def eventhouse_command(*args: str) -> list[str]:
    """The `eventhouse` CLI, run with this interpreter."""
    return [sys.executable, "-m", "eventhouse.cli", *args]


@contextlib.contextmanager
def embedded_warehouse(data_dir: Path, port: int | None = None) -> Iterator[tuple[str, Service]]:
    """Run `eventhouse warehouse serve` on a free port; yields (url, service)."""
    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    service = Service(
        eventhouse_command("warehouse", "serve", "--port", str(port), "--data-dir", str(data_dir)),
        {},
        data_dir.parent / f"warehouse-{port}.log",
    ).start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/ping", service.process)
        yield url, service
    finally:
        service.stop()


@contextlib.contextmanager
def api_server(
    settings_env: Mapping[str, str], log_dir: Path, port: int | None = None
) -> Iterator[tuple[str, Service]]:
    """Run `eventhouse api` on a free port with the given EVENTHOUSE_* environment."""
    port = port or free_port()
    service = Service(
        eventhouse_command("api", "--port", str(port)),
        dict(settings_env),
        log_dir / f"api-{port}.log",
    ).start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{url}/schema/openapi.json", service.process)
        yield url, service
    finally:
        service.stop()


def tree_peak_rss_kb(pid: int) -> int:
    """Peak resident memory (VmHWM) of a process plus all its descendants, in kB."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return total
