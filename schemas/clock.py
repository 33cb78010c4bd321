"""Client clocks: rejecting times too far from receipt, and correcting clock drift.

Drift correction is the one mature collectors use (Segment's `timestamp`, Snowplow's
`derived_tstamp`): a batch states when the client sent it (`sent_at`) by the same clock that
stamped its events, so `received_at - sent_at` is that clock's error (plus network time) and
`occurred_at + (received_at - sent_at)` is the event's time on the server's clock. The caller keeps
the client's own statement beside it.

The skew limit then applies to the corrected time, i.e. to `occurred_at - sent_at`: a client whose
clock is a week off still gets its fresh events in, and an event queued offline for longer than
the limit is still rejected.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta


def _hours(delta: timedelta) -> str:
    # Rounded up to 0.01 h, so a time just past the limit never reads as being on it.
    return f"{math.ceil(delta.total_seconds() / 36) / 100:g} h"


def server_time(
    occurred_at: datetime, received_at: datetime, sent_at: datetime | None, max_skew: timedelta
) -> datetime:
    """`occurred_at` on the server's clock; ValueError when it lies further than `max_skew` from receipt."""
    reference = received_at if sent_at is None else sent_at  # read on the clock that stamped occurred_at
    skew = occurred_at - reference
    if abs(skew) > max_skew:
        direction = "after" if skew > timedelta(0) else "before"
        moment = "receipt" if sent_at is None else "the batch was sent"
        allowed = _hours(max_skew)
        raise ValueError(f"is {_hours(abs(skew))} {direction} {moment}; the allowed clock skew is ±{allowed}")
    return occurred_at + (received_at - reference)
