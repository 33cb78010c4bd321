"""Reports failed freshness checks: an error in the sensor's log, and a webhook POST if configured.

The cursor is the id of the newest failed evaluation already reported, so each failure is
reported once. A webhook that cannot be reached fails the tick without moving the cursor: the
failure is reported again on the next tick (at least once, never silently dropped).
"""

from __future__ import annotations

import dataclasses
import json
import urllib.request
from collections.abc import Iterable, Sequence
from typing import Any

import dagster as dg
from dagster._core.storage.asset_check_execution_record import (
    AssetCheckExecutionRecord,
    AssetCheckExecutionRecordStatus,
)

from eventhouse.settings import load_settings

ALERT_SENSOR = "freshness_alerts_sensor"


@dataclasses.dataclass(frozen=True)
class Failure:
    record_id: int
    asset: str
    check: str
    description: str
    run_id: str


def new_failures(records: Iterable[AssetCheckExecutionRecord | None], reported_up_to: int) -> list[Failure]:
    """Failed evaluations newer than `reported_up_to`, oldest first."""
    failures = []
    for record in records:
        if record is None or record.status != AssetCheckExecutionRecordStatus.FAILED:
            continue
        if record.id <= reported_up_to:
            continue
        evaluation = record.evaluation
        failures.append(
            Failure(
                record_id=record.id,
                asset=record.key.asset_key.to_user_string(),
                check=record.key.name,
                description=(evaluation.description if evaluation else None) or "failed",
                run_id=record.run_id,
            )
        )
    return sorted(failures, key=lambda failure: failure.record_id)


def alert_payload(failures: Sequence[Failure]) -> dict[str, Any]:
    """A JSON body chat webhooks (Slack, Mattermost) display as it is: `text`, plus the details."""
    lines = [f"eventhouse: {len(failures)} stale asset(s)"]
    lines += [f"- {failure.asset}: {failure.description}" for failure in failures]
    return {"text": "\n".join(lines), "failures": [dataclasses.asdict(failure) for failure in failures]}


def post_json(url: str, payload: dict[str, Any], timeout: float = 10) -> None:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout):
        pass


def freshness_alert_sensor(check_keys: Sequence[dg.AssetCheckKey]) -> dg.SensorDefinition:
    @dg.sensor(
        name=ALERT_SENSOR,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Logs failed freshness checks and POSTs them to EVENTHOUSE_ALERT_WEBHOOK_URL.",
    )
    def sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason | None:
        instance = context.instance
        records = [instance.get_latest_asset_check_evaluation_record(key) for key in check_keys]
        failures = new_failures(records, int(context.cursor or 0))
        if not failures:
            return dg.SkipReason("no new freshness failures")
        for failure in failures:
            context.log.error(f"stale: {failure.asset} ({failure.check}): {failure.description}")
        webhook = load_settings().alert_webhook_url
        if webhook:
            post_json(webhook, alert_payload(failures))
        context.update_cursor(str(failures[-1].record_id))
        return None

    return sensor
