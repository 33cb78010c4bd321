"""Freshness tiers: how often a model is rebuilt and how stale it may get before a check fails.

A dbt model names its tier in `meta.freshness` (hot | daily | weekly | monthly). The cadences
are seed 002's aggregation schedule (hourly; daily 01:00; weekly Sunday 02:00; monthly on the
1st at 03:00). A tier's freshness bound is its cadence plus a grace period for the run itself
and a queue behind other dbt runs: tight on hot data, loose on monthly rollups.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta


@dataclasses.dataclass(frozen=True)
class Tier:
    name: str
    cron: str
    """When the tier's schedule runs, in the configured schedule timezone."""
    max_age: timedelta
    """A model of this tier is stale once its last update is older than this."""


TIERS: tuple[Tier, ...] = (
    Tier("hot", "0 * * * *", timedelta(hours=1) + timedelta(hours=1)),
    Tier("daily", "0 1 * * *", timedelta(days=1) + timedelta(hours=2)),
    Tier("weekly", "0 2 * * 0", timedelta(days=7) + timedelta(hours=6)),
    Tier("monthly", "0 3 1 * *", timedelta(days=31) + timedelta(days=1)),
)
TIERS_BY_NAME = {tier.name: tier for tier in TIERS}

DEFAULT_MART_TIER = "daily"
"""The tier of a mart whose YAML names none, so a new mart is never left unscheduled."""
