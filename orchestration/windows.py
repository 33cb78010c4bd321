"""The batch window of a dbt run, from a partition, a set of touched days, or nothing.

dbt's incremental models re-aggregate the buckets of their lookback by default; given the vars
`start` and `end` they re-aggregate exactly [start, end), widened to whole buckets of each
model's grain (dbt_project/macros/batch_window.sql). These pure functions turn what Dagster
knows (a day partition, the days new events fell on) into those vars.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

DBT_OP_NAME = "eventhouse_dbt"
"""The op that runs dbt; run config for the window is addressed to it."""


@dataclasses.dataclass(frozen=True)
class Window:
    """Days [start, end): what an incremental run re-aggregates."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"window end {self.end} must be after its start {self.start}")

    @classmethod
    def covering(cls, days: Iterable[date]) -> Window:
        """The smallest window holding every one of `days` (one run, one dbt invocation)."""
        ordered = sorted(days)
        if not ordered:
            raise ValueError("a window must cover at least one day")
        return cls(ordered[0], ordered[-1] + timedelta(days=1))

    def dbt_vars(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def run_config(self) -> dict[str, Any]:
        """Run config that makes the dbt op build this window."""
        return {"ops": {DBT_OP_NAME: {"config": self.dbt_vars()}}}


def dbt_build_args(start: str = "", end: str = "") -> list[str]:
    """`dbt build` arguments for a window given as ISO dates (no end: that one day).

    No window means dbt's own lookback, which is what scheduled runs want.
    """
    if not start:
        if end:
            raise ValueError("a window with an end needs a start")
        return ["build"]
    first = date.fromisoformat(start)
    window = Window(first, date.fromisoformat(end) if end else first + timedelta(days=1))
    return ["build", "--vars", json.dumps(window.dbt_vars())]
