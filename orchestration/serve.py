"""`python -m orchestration.serve webserver|daemon`: Dagster for `make run` (eventhouse up).

Uses DAGSTER_HOME when it is set (docker-compose sets it); otherwise makes
$EVENTHOUSE_DATA_DIR/dagster the instance home, writes its dagster.yaml (orchestration.instance)
and points DAGSTER_HOME there. Then it becomes `dagster-webserver` or `dagster-daemon run` on the
repository's workspace.yaml.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from eventhouse.settings import load_settings
from orchestration.instance import REPO, write_instance

WORKSPACE = REPO / "workspace.yaml"


def dagster_argv(role: str, host: str, port: int) -> list[str]:
    """The Dagster command for `role`, from the interpreter's own environment."""
    bin_dir = Path(sys.executable).parent
    if role == "webserver":
        return [str(bin_dir / "dagster-webserver"), "-h", host, "-p", str(port), "-w", str(WORKSPACE)]
    return [str(bin_dir / "dagster-daemon"), "run", "-w", str(WORKSPACE)]


def dagster_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` with DAGSTER_HOME set, the instance written if eventhouse owns it."""
    if environ.get("DAGSTER_HOME"):
        return dict(environ)
    home = load_settings(environ).data_dir / "dagster"
    write_instance(home, environ)
    return {**environ, "DAGSTER_HOME": str(home)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m orchestration.serve", description=__doc__)
    parser.add_argument("role", choices=["webserver", "daemon"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    args = parser.parse_args(argv)
    command = dagster_argv(args.role, args.host, args.port)
    os.execve(command[0], command, dagster_environ(os.environ))


if __name__ == "__main__":
    main()
