"""Freshness tiers: seed 002's cadence, and bounds that loosen as the cadence slows."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from dagster._utils.schedules import get_next_cron_tick

from orchestration.tiers import DEFAULT_MART_TIER, TIERS, TIERS_BY_NAME


def test_cadence_is_seed_002s() -> None:
    assert {tier.name: tier.cron for tier in TIERS} == {
        "hot": "0 * * * *",  # hourly
        "daily": "0 1 * * *",  # 1 AM
        "weekly": "0 2 * * 0",  # Sunday 2 AM
        "monthly": "0 3 1 * *",  # the 1st, 3 AM
    }
    assert DEFAULT_MART_TIER in TIERS_BY_NAME


def test_every_bound_outlasts_the_longest_gap_between_two_runs() -> None:
    # a model rebuilt on every tick is at most one gap old (plus the run): 400 ticks see every
    # month length
    for tier in TIERS:
        ticks = [datetime(2025, 1, 1, tzinfo=UTC)]
        for _ in range(400):
            ticks.append(get_next_cron_tick(tier.cron, ticks[-1], "UTC"))
        longest = max(later - earlier for earlier, later in itertools.pairwise(ticks[1:]))
        assert tier.max_age > longest + timedelta(minutes=30), tier.name


def test_bounds_loosen_with_the_cadence() -> None:
    ages = [tier.max_age for tier in TIERS]
    assert ages == sorted(ages)
