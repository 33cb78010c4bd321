"""The dbt project Dagster orchestrates, and its manifest.

Production images build the manifest once (`dagster-dbt project prepare-and-package --file
orchestration/dbt_project.py`). Anywhere else it is re-parsed whenever a file of the project is
newer than it, so an analyst's new model shows up as an asset on the next reload of the code
location (`dagster dev`, the webserver's "Reload", a restart) without anyone running `dbt parse`.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any

from dagster_dbt import DbtProject

from orchestration.resources import dbt_cli

REPO = Path(__file__).resolve().parents[1]
PROJECT_DIR = REPO / "dbt_project"

# Files whose change can change the manifest; build output and installed packages cannot.
_SOURCE_SUFFIXES = {".sql", ".yml", ".yaml", ".md", ".csv", ".py"}
_NOT_SOURCES = {"target", "logs", "dbt_packages"}

eventhouse_project = DbtProject(project_dir=PROJECT_DIR)


def manifest_is_stale(manifest_path: Path, project_dir: Path) -> bool:
    """True when there is no manifest or a project file changed after it was written."""
    if not manifest_path.exists():
        return True
    written = manifest_path.stat().st_mtime
    for directory, subdirectories, files in os.walk(project_dir):
        # prune build output in place: dagster-dbt leaves one target directory per run
        subdirectories[:] = [name for name in subdirectories if name not in _NOT_SOURCES]
        for name in files:
            path = Path(directory, name)
            if path.suffix in _SOURCE_SUFFIXES and path.stat().st_mtime > written:
                return True
    return False


def prepared_manifest(project: DbtProject = eventhouse_project) -> dict[str, Any]:
    """The project's manifest, parsed first if it is missing or older than the project."""
    if manifest_is_stale(project.manifest_path, project.project_dir):
        project.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        # the webserver and the daemon load definitions at the same moment: one parses, the
        # other waits and then finds the manifest current
        with open(project.manifest_path.with_name("manifest.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if manifest_is_stale(project.manifest_path, project.project_dir):
                dbt_cli(project).cli(["parse", "--quiet"], target_path=project.target_path).wait()
    manifest: dict[str, Any] = json.loads(project.manifest_path.read_text())
    return manifest
