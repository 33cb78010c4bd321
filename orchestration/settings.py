"""The two settings only orchestration reads, from the environment, when definitions load.

They belong in `eventhouse.settings` beside every other EVENTHOUSE_* variable; until they move
there (docs/orchestration.md, "Settings"), this is their one place.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from zoneinfo import ZoneInfo


@dataclasses.dataclass(frozen=True)
class OrchestrationSettings:
    schedule_timezone: str
    """EVENTHOUSE_SCHEDULE_TIMEZONE: IANA zone the tier schedules' cron expressions run in."""
    alert_webhook_url: str
    """EVENTHOUSE_ALERT_WEBHOOK_URL: failed freshness checks are POSTed here as JSON; empty: log only."""


def load_orchestration_settings(environ: Mapping[str, str] | None = None) -> OrchestrationSettings:
    env = os.environ if environ is None else environ
    settings = OrchestrationSettings(
        schedule_timezone=env.get("EVENTHOUSE_SCHEDULE_TIMEZONE", "UTC"),
        alert_webhook_url=env.get("EVENTHOUSE_ALERT_WEBHOOK_URL", ""),
    )
    ZoneInfo(settings.schedule_timezone)  # an unknown zone fails here, not at the first tick
    return settings
