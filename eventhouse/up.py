"""`eventhouse up`: the whole platform on its embedded defaults, in one terminal.

Starts each process in order, waits until it answers, and stops them all (in reverse order,
politely) on Ctrl-C or SIGTERM. Each later part of the platform adds itself to `platform()`.
"""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

from eventhouse.settings import Settings, get_settings


@dataclasses.dataclass(frozen=True)
class Part:
    """One process of the platform and the URL that answers once it is ready."""

    name: str
    argv: list[str]
    ready_url: str | None = None
    one_shot: bool = False  # runs to completion before the next part starts (e.g. migrations)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "eventhouse.cli", *args]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def platform(settings: Settings) -> list[Part]:
    """The processes `make run` starts, in start order."""
    parts = []
    url = urlsplit(settings.clickhouse_url)
    if url.hostname in ("127.0.0.1", "localhost") and not _answers(f"{settings.clickhouse_url}/ping"):
        serve = ["warehouse", "serve", "--host", url.hostname, "--port", str(url.port or 8123)]
        parts.append(Part("warehouse", _cli(*serve), f"{settings.clickhouse_url}/ping"))
    parts.append(Part("migrate", _cli("migrate"), one_shot=True))
    api_url = f"http://{settings.api_host}:{settings.api_port}"
    parts.append(Part("api", _cli("api"), f"{api_url}/api/v1/analytics/health"))
    parts.append(Part("demo traffic", _cli("demo")))
    # Dagster's instance lives in $EVENTHOUSE_DATA_DIR/dagster unless DAGSTER_HOME is set
    dagster = [sys.executable, "-m", "orchestration.serve"]
    webserver = [*dagster, "webserver", "--host", "127.0.0.1", "--port", "3000"]
    parts.append(Part("dagster-webserver", webserver, "http://127.0.0.1:3000/server_info"))
    parts.append(Part("dagster-daemon", [*dagster, "daemon"]))
    return parts


def _wait_ready(part: Part, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while part.ready_url and not _answers(part.ready_url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{part.name} did not start (exit code {process.poll()})")
        time.sleep(0.2)


def up(settings: Settings | None = None) -> int:
    """Start every part; return when one exits or a stop signal arrives."""
    settings = settings or get_settings()
    running: list[tuple[Part, subprocess.Popen[bytes]]] = []
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for part in platform(settings):
            process = subprocess.Popen(part.argv)
            if part.one_shot:
                if process.wait() != 0:
                    raise RuntimeError(f"{part.name} failed with exit code {process.returncode}")
                continue
            running.append((part, process))
            _wait_ready(part, process)
            print(
                f"eventhouse up: {part.name} "
                + (f"ready at {part.ready_url}" if part.ready_url else "started"),
                flush=True,
            )
        print("eventhouse up: running; Ctrl-C stops everything", flush=True)
        while not stopping and all(p.poll() is None for _, p in running):
            time.sleep(0.5)
    finally:
        for _part, process in reversed(running):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
    return 0
