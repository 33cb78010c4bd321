"""Seed 002's aggregation cadence: one schedule per freshness tier, plus the retention check.

Scheduled runs pass no window, so incremental models re-aggregate dbt's lookback: late events
that arrived since the last run land in their buckets even if no sensor saw them.
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.jobs import RETENTION_JOB, tier_job_name
from orchestration.tiers import TIERS_BY_NAME


def schedules(tiers: list[str], timezone: str) -> list[dg.ScheduleDefinition]:
    """A running schedule for each of `tiers` at its cadence, in `timezone`."""
    return [
        *(
            dg.ScheduleDefinition(
                name=f"{tier}_schedule",
                job_name=tier_job_name(tier),
                cron_schedule=TIERS_BY_NAME[tier].cron,
                execution_timezone=timezone,
                default_status=dg.DefaultScheduleStatus.RUNNING,
                description=f"Rebuilds the {tier} tier ({TIERS_BY_NAME[tier].cron}, {timezone}).",
            )
            for tier in tiers
        ),
        dg.ScheduleDefinition(
            name="retention_ttls_schedule",
            job_name=RETENTION_JOB,
            # with the daily tier: TTLs change only when a migration or a model does
            cron_schedule=TIERS_BY_NAME["daily"].cron,
            execution_timezone=timezone,
            default_status=dg.DefaultScheduleStatus.RUNNING,
        ),
    ]
