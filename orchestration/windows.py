"""The batch window of a dbt run: from a day partition, from the days new events fell on, or none.

dbt's incremental models re-aggregate the buckets of their lookback by default; given the vars
`start` (and optionally `end`) they re-aggregate exactly [start, end), or everything from
`start` on, widened to whole buckets of each model's grain (dbt_project/macros/batch_window.sql).
A run without an `end` also moves the batch watermark the report API reads
(dbt_project/macros/batch_runs.sql); a bounded one is a backfill and does not.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

DBT_OP_NAME = "eventhouse_dbt"
"""The op that runs dbt; run config for the window is addressed to it."""


@dataclasses.dataclass(frozen=True)
class Window:
    """Days [start, end), or from `start` on when `end` is None."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"window end {self.end} must be after its start {self.start}")

    @classmethod
    def since_earliest(cls, days: Iterable[date]) -> Window:
        """From the earliest of `days` on: one run re-aggregates every day that got events."""
        earliest = min(days, default=None)
        if earliest is None:
            raise ValueError("a window must start on some day")
        return cls(earliest)

    def dbt_vars(self) -> dict[str, str]:
        bounds = {"start": self.start.isoformat()}
        if self.end is not None:
            bounds["end"] = self.end.isoformat()
        return bounds

    def run_config(self) -> dict[str, Any]:
        """Run config that makes the dbt op build this window."""
        return {"ops": {DBT_OP_NAME: {"config": self.dbt_vars()}}}


def dbt_build_args(start: str = "", end: str = "") -> list[str]:
    """`dbt build` arguments for a window given as ISO dates; no window means dbt's lookback."""
    if not start:
        if end:
            raise ValueError("a window with an end needs a start")
        return ["build"]
    window = Window(date.fromisoformat(start), date.fromisoformat(end) if end else None)
    return ["build", "--vars", json.dumps(window.dbt_vars())]
