"""Freshness alerts: each failed evaluation reported once, in a body chat webhooks display."""

from __future__ import annotations

import types
from typing import Any, cast

import dagster as dg
from dagster._core.storage.asset_check_execution_record import (
    AssetCheckExecutionRecord,
    AssetCheckExecutionRecordStatus,
)

from orchestration.defs.alerts import Failure, alert_payload, new_failures


def record(record_id: int, asset: str, status: AssetCheckExecutionRecordStatus) -> AssetCheckExecutionRecord:
    """The fields new_failures reads (a real record needs a whole stored event)."""
    evaluation = types.SimpleNamespace(description=f"{asset} is overdue")
    fake: Any = types.SimpleNamespace(
        id=record_id,
        key=dg.AssetCheckKey(dg.AssetKey(asset), "freshness_check"),
        status=status,
        evaluation=evaluation,
        run_id=f"run-{record_id}",
    )
    return cast(AssetCheckExecutionRecord, fake)


FAILED = AssetCheckExecutionRecordStatus.FAILED
SUCCEEDED = AssetCheckExecutionRecordStatus.SUCCEEDED


def test_only_failures_newer_than_the_cursor_are_reported_oldest_first() -> None:
    records = [
        record(9, "latency_daily", FAILED),
        record(3, "event_counts_daily", FAILED),  # reported before
        record(12, "retention_weekly", SUCCEEDED),
        None,  # never evaluated
        record(7, "tool_calls_hourly", FAILED),
    ]
    failures = new_failures(records, reported_up_to=5)
    assert [(f.record_id, f.asset) for f in failures] == [(7, "tool_calls_hourly"), (9, "latency_daily")]
    assert failures[0] == Failure(
        7, "tool_calls_hourly", "freshness_check", "tool_calls_hourly is overdue", "run-7"
    )


def test_payload_has_a_readable_text_and_the_details() -> None:
    failures = [Failure(7, "tool_calls_hourly", "freshness_check", "Asset is overdue", "run-7")]
    payload = alert_payload(failures)
    assert payload["text"] == "eventhouse: 1 stale asset(s)\n- tool_calls_hourly: Asset is overdue"
    assert payload["failures"][0]["asset"] == "tool_calls_hourly"
