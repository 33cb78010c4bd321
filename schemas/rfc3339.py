"""A strict RFC 3339 `date-time` parser that keeps the stated offset.

`datetime.fromisoformat` accepts far more than RFC 3339 (no offset, no seconds, week dates, a space
separator), so the grammar of RFC 3339 §5.6 is checked here, with its notes and RFC 9557's update:

- `T` and `Z` may be lowercase (§5.6 note); the date and time must be joined by `T`/`t` — the note
  that lets applications use a space is not part of the grammar, and we accept only the grammar.
- `Z`, `+00:00` and `-00:00` all denote UTC. RFC 9557 makes `Z` mean what RFC 3339 gave `-00:00`:
  the UTC instant is known, the local offset is not. All three therefore store offset 0.
- Any number of fractional-second digits; digits beyond microseconds are truncated (never rounded,
  which could carry into the next second).
- Second 60 (a leap second) is accepted only as 23:59:60 UTC (in any offset), where leap seconds are
  inserted, and is held at 23:59:59.999999 because Python cannot represent it and the event belongs
  to that minute. Whether that day really had one is not checked: that needs a leap-second table.
- Year 0000 fits the grammar but not Python's calendar, so it is rejected as out of range.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

# The grammar and the time ranges are checked here; fromisoformat (fast, C) then converts and checks
# the calendar (February 30, year 0000).
_GRAMMAR = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?P<second>[0-5][0-9]|60)(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)


def parse_rfc3339(text: str) -> datetime:
    """Parse an RFC 3339 date-time into an aware datetime in its original offset; ValueError says why not."""
    match = _GRAMMAR.fullmatch(text)
    if match is None:
        raise ValueError("not an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SS[.frac] then Z or ±HH:MM, in range)")
    if match["second"] == "60":
        return _parse_leap_second(text, match)
    try:
        return datetime.fromisoformat(text.upper())
    except ValueError as error:
        raise ValueError(f"out of range: {error}") from None


def _parse_leap_second(text: str, match: re.Match[str]) -> datetime:
    start, end = match.span("second")
    try:
        moment = datetime.fromisoformat(f"{text[:start]}59{text[end:]}".upper())
        in_utc = moment.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"out of range: {error}") from None
    if (in_utc.hour, in_utc.minute) != (23, 59):
        raise ValueError("a leap second (:60) can only be 23:59:60 UTC")
    return moment.replace(microsecond=999_999)


def offset_minutes(moment: datetime) -> int:
    """The stated UTC offset of an aware datetime, in minutes (+03:00 -> 180)."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("naive datetime has no offset")
    return int(offset.total_seconds()) // 60
