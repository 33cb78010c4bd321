"""Time grains and bucket grids: every report's buckets are whole, aligned, UTC."""

from __future__ import annotations

import datetime as dt
import enum


class Grain(enum.Enum):
    """A bucket width; values are the names the API accepts."""

    MINUTE = "1m"
    FIVE_MINUTES = "5m"
    HOUR = "1h"
    DAY = "1d"

    @property
    def seconds(self) -> int:
        return {"1m": 60, "5m": 300, "1h": 3600, "1d": 86400}[self.value]

    def divides(self, other: Grain) -> bool:
        """Whether buckets of this grain tile buckets of `other` exactly."""
        return other.seconds % self.seconds == 0


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def floor_to(moment: dt.datetime, grain: Grain) -> dt.datetime:
    seconds = int((moment - _EPOCH).total_seconds())
    return _EPOCH + dt.timedelta(seconds=seconds - seconds % grain.seconds)


def ceil_to(moment: dt.datetime, grain: Grain) -> dt.datetime:
    floored = floor_to(moment, grain)
    return floored if floored == moment else floored + dt.timedelta(seconds=grain.seconds)


def buckets(start: dt.datetime, end: dt.datetime, grain: Grain) -> list[dt.datetime]:
    """Bucket starts covering [start, end): from start floored to end ceiled."""
    first, last = floor_to(start, grain), ceil_to(end, grain)
    count = int((last - first).total_seconds()) // grain.seconds
    return [first + dt.timedelta(seconds=i * grain.seconds) for i in range(count)]


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
