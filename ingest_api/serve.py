"""`eventhouse api`: apply migrations, then serve the app with Granian (a Rust ASGI server)."""

from __future__ import annotations

from granian import Granian
from granian.constants import Interfaces

from eventhouse.settings import Settings
from warehouse.client import connect
from warehouse.migrate import migrate


def serve(settings: Settings, host: str, port: int, workers: int) -> None:
    """Run the API until SIGTERM/SIGINT; Granian then runs the lifespan shutdown, which drains the
    group-commit buffer before the process exits."""
    migrate(connect(settings), settings)
    Granian(
        "ingest_api.app:create_app",
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        log_access=False,
        workers_kill_timeout=60,
    ).serve()
