"""Core metrics every tenant has: event volume and distinct users and sessions."""

from __future__ import annotations

from ..catalogue import Metric, sources

_FILTERS = {"event_name": "event_name"}

METRICS = [
    Metric("events.count", "Events received (deduplicated in the batch marts)", "count", "core", sources("event_counts"), "sum(event_count)", filters=_FILTERS, columns=("event_count",)),
    Metric("users.unique", "Distinct pseudonymous users", "count", "core", sources("event_counts"), "uniqMerge(users_state)", filters=_FILTERS, columns=("users_state",)),
    Metric("sessions.unique", "Distinct sessions", "count", "core", sources("event_counts"), "uniqMerge(sessions_state)", filters=_FILTERS, columns=("sessions_state",)),
]  # fmt: skip
