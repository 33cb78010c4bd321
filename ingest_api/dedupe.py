"""Remembering which event ids each tenant already sent, so a retry is reported as a duplicate.

Bounded in time (the horizon) and in size (the oldest ids are forgotten first). This is the
receipt's layer: it makes a retried batch come back as duplicates within the horizon. It is not
what makes the marts exact — staging deduplicates every event id exactly — so forgetting early
(a restart, another API replica) can only cost a receipt its accuracy, never a double count.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence


class RecentIds:
    """Event ids seen per tenant within the last `horizon` seconds, at most `max_ids` of them."""

    def __init__(self, horizon: float, max_ids: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._horizon = horizon
        self._max_ids = max_ids
        self._clock = clock
        self._expiry: dict[str, float] = {}  # insertion order is expiry order: the horizon is fixed

    def __len__(self) -> int:
        return len(self._expiry)

    @staticmethod
    def _key(tenant_id: str, event_id: str) -> str:
        return f"{tenant_id}\x00{event_id}"

    def _evict(self, now: float) -> None:
        expiry = self._expiry
        while expiry:
            oldest = next(iter(expiry))
            if expiry[oldest] > now and len(expiry) <= self._max_ids:
                break
            del expiry[oldest]

    def claim(self, tenant_id: str, event_ids: Sequence[str]) -> list[bool]:
        """For each id: True if new (it is now remembered), False if already seen — including
        repeats within `event_ids` itself, so the first occurrence wins."""
        now = self._clock()
        self._evict(now)
        expiry = self._expiry
        until = now + self._horizon
        fresh = []
        for event_id in event_ids:
            key = self._key(tenant_id, event_id)
            if key in expiry:
                fresh.append(False)
            else:
                expiry[key] = until
                fresh.append(True)
        self._evict(now)
        return fresh

    def release(self, tenant_id: str, event_ids: Iterable[str]) -> None:
        """Forget ids whose write failed, so the client's retry is accepted rather than 'duplicate'."""
        for event_id in event_ids:
            self._expiry.pop(self._key(tenant_id, event_id), None)

    def remember(self, pairs: Iterable[tuple[str, str, float]]) -> None:
        """Preload (tenant_id, event_id, age_seconds) pairs, e.g. recent rows read back at startup."""
        now = self._clock()
        for tenant_id, event_id, age in sorted(pairs, key=lambda p: -p[2]):
            if age < self._horizon:
                self._expiry[self._key(tenant_id, event_id)] = now + self._horizon - age
        self._evict(now)
