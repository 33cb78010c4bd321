"""When the manifest must be parsed again: a project file newer than it, not build output."""

from __future__ import annotations

import os
from pathlib import Path

from orchestration.dbt_project import manifest_is_stale


def touch(path: Path, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    os.utime(path, (mtime, mtime))


def test_missing_manifest_is_stale(tmp_path: Path) -> None:
    assert manifest_is_stale(tmp_path / "target" / "manifest.json", tmp_path)


def test_a_model_newer_than_the_manifest_makes_it_stale(tmp_path: Path) -> None:
    manifest = tmp_path / "target" / "manifest.json"
    touch(tmp_path / "models" / "marts" / "old.sql", 1000)
    touch(manifest, 2000)
    assert not manifest_is_stale(manifest, tmp_path)
    touch(tmp_path / "models" / "marts" / "new_mart.sql", 3000)
    assert manifest_is_stale(manifest, tmp_path)


def test_build_output_and_packages_never_do(tmp_path: Path) -> None:
    manifest = tmp_path / "target" / "manifest.json"
    touch(manifest, 2000)
    touch(tmp_path / "target" / "run-1" / "compiled" / "x.sql", 3000)
    touch(tmp_path / "logs" / "dbt.log.sql", 3000)
    touch(tmp_path / "dbt_packages" / "pkg" / "models" / "y.sql", 3000)
    assert not manifest_is_stale(manifest, tmp_path)
