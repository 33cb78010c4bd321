"""The Dagster instance (DAGSTER_HOME/dagster.yaml) for a machine without docker-compose.

The repository's `dagster.yaml` is the one instance configuration: run queue, pools, retries,
retention, and Postgres storage from DAGSTER_POSTGRES_* (what docker-compose uses). Locally the
same file is written into DAGSTER_HOME with one change: unless DAGSTER_POSTGRES_HOST is set,
storage is SQLite in that directory, so `make run` needs no database server.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
INSTANCE_YAML = REPO / "dagster.yaml"


def uses_postgres(environ: Mapping[str, str]) -> bool:
    return bool(environ.get("DAGSTER_POSTGRES_HOST"))


def instance_config(base: Mapping[str, Any], home: Path, environ: Mapping[str, str]) -> dict[str, Any]:
    """`base` (the repository's dagster.yaml) for an instance living in `home`."""
    config = dict(base)
    if not uses_postgres(environ):
        config["storage"] = {"sqlite": {"base_dir": str(home / "storage")}}
    return config


def write_instance(home: Path, environ: Mapping[str, str], base_yaml: Path = INSTANCE_YAML) -> Path:
    """Write `home`/dagster.yaml; atomically, as the webserver and daemon start side by side."""
    home.mkdir(parents=True, exist_ok=True)
    config = instance_config(yaml.safe_load(base_yaml.read_text()), home, environ)
    with tempfile.NamedTemporaryFile("w", dir=home, suffix=".yaml", delete=False) as draft:
        draft.write(f"# written from {base_yaml} by orchestration/instance.py; edit that file instead\n")
        yaml.safe_dump(config, draft, sort_keys=False)
    target = home / "dagster.yaml"
    os.replace(draft.name, target)
    return target
