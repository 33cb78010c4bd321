"""Running dbt as a subprocess against one database, as tests and benchmarks do."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eventhouse.settings import Settings

REPO = Path(__file__).resolve().parents[2]
PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")


@dataclasses.dataclass(frozen=True)
class Dbt:
    """`dbt` run as a subprocess on one database; target and logs stay in a temporary directory."""

    settings: Settings
    workdir: Path
    project: Path = PROJECT
    profiles: Path = PROJECT  # the project's profiles.yml reads the EVENTHOUSE_* variables
    extra_env: Mapping[str, str] = dataclasses.field(default_factory=dict)
    timeout: float = 600

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "EVENTHOUSE_CLICKHOUSE_URL": self.settings.clickhouse_url,
            "EVENTHOUSE_CLICKHOUSE_USER": self.settings.clickhouse_user,
            "EVENTHOUSE_CLICKHOUSE_PASSWORD": self.settings.clickhouse_password,
            "EVENTHOUSE_DATABASE": self.settings.database,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            **self.extra_env,
        }

    def __call__(self, *args: str, vars: dict[str, Any] | None = None) -> subprocess.CompletedProcess[str]:
        command = [
            str(DBT),
            *args,
            "--project-dir", str(self.project),
            "--profiles-dir", str(self.profiles),
            "--target-path", str(self.workdir / "target"),
            "--log-path", str(self.workdir / "logs"),
        ]  # fmt: skip
        if vars:
            command += ["--vars", json.dumps(vars)]
        return subprocess.run(
            command, env=self.env(), cwd=REPO, capture_output=True, text=True, timeout=self.timeout
        )

    def artifact(self, name: str) -> dict[str, Any]:
        return json.loads((self.workdir / "target" / name).read_text())


def failed(result: subprocess.CompletedProcess[str]) -> str:
    """The useful end of a failed dbt run's output, for assertion messages."""
    lines = [line for line in result.stdout.splitlines() if "ERROR" in line or "FAIL" in line]
    return "\n".join(lines[-20:] + result.stdout.splitlines()[-30:] + [result.stderr[-2000:]])
