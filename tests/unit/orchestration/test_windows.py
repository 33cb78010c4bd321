"""Batch windows: what a partition or a set of touched days tells dbt to re-aggregate."""

from __future__ import annotations

import json
from datetime import date

import pytest

from orchestration.windows import Window, dbt_build_args


def test_no_window_is_dbts_lookback() -> None:
    assert dbt_build_args() == ["build"]


def test_a_bounded_window_becomes_start_and_end_vars() -> None:
    args = dbt_build_args("2025-03-04", "2025-03-05")
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {"start": "2025-03-04", "end": "2025-03-05"}


def test_a_window_without_end_runs_from_its_start_on() -> None:
    assert json.loads(dbt_build_args("2025-03-04")[2]) == {"start": "2025-03-04"}


@pytest.mark.parametrize(
    ("start", "end"), [("", "2025-03-05"), ("2025-03-05", "2025-03-05"), ("2025-03-06", "2025-03-05")]
)
def test_nonsense_windows_are_refused(start: str, end: str) -> None:
    with pytest.raises(ValueError):
        dbt_build_args(start, end)


def test_touched_days_start_the_window_at_the_earliest() -> None:
    window = Window.since_earliest([date(2025, 3, 6), date(2025, 1, 2), date(2025, 3, 1)])
    assert window == Window(date(2025, 1, 2))
    assert window.run_config() == {"ops": {"eventhouse_dbt": {"config": {"start": "2025-01-02"}}}}


def test_no_touched_days_is_no_window() -> None:
    with pytest.raises(ValueError):
        Window.since_earliest([])
