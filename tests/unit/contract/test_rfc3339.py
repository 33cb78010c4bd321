"""RFC 3339 §5.6 grammar, its notes, and RFC 9557's reading of `Z` and `-00:00`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.rfc3339 import offset_minutes, parse_rfc3339


def _at(*fields: int, offset: int = 0) -> datetime:
    return datetime(*fields, tzinfo=timezone(timedelta(minutes=offset)))


@pytest.mark.parametrize(
    ("text", "expected", "offset"),
    [
        # the examples of RFC 3339 §5.8
        ("1985-04-12T23:20:50.52Z", _at(1985, 4, 12, 23, 20, 50, 520000), 0),
        ("1996-12-19T16:39:57-08:00", _at(1996, 12, 19, 16, 39, 57, offset=-480), -480),
        ("1990-12-31T23:59:60Z", _at(1990, 12, 31, 23, 59, 59, 999999), 0),
        ("1990-12-31T15:59:60-08:00", _at(1990, 12, 31, 15, 59, 59, 999999, offset=-480), -480),
        ("1937-01-01T12:00:27.87+00:20", _at(1937, 1, 1, 12, 0, 27, 870000, offset=20), 20),
        # §5.6 note: T and Z may be lower case
        ("2025-01-15t10:30:00z", _at(2025, 1, 15, 10, 30), 0),
        # -00:00: UTC known, local offset unknown (RFC 3339 §4.3; RFC 9557 gives Z the same meaning)
        ("2025-01-15T10:30:00-00:00", _at(2025, 1, 15, 10, 30), 0),
        ("2025-01-15T10:30:00+00:00", _at(2025, 1, 15, 10, 30), 0),
        ("2025-01-15T12:34:56.789+03:00", _at(2025, 1, 15, 12, 34, 56, 789000, offset=180), 180),
        ("2025-01-15T10:30:00+05:45", _at(2025, 1, 15, 10, 30, offset=345), 345),
        ("2025-01-15T10:30:00-23:59", _at(2025, 1, 15, 10, 30, offset=-1439), -1439),
        # any number of fraction digits; beyond microseconds they are truncated, never rounded up
        ("2025-01-15T10:30:00.1Z", _at(2025, 1, 15, 10, 30, 0, 100000), 0),
        ("2025-01-15T10:30:59.999999999Z", _at(2025, 1, 15, 10, 30, 59, 999999), 0),
        ("2024-02-29T00:00:00Z", _at(2024, 2, 29), 0),
    ],
)
def test_valid_date_times_keep_their_instant_and_offset(text: str, expected: datetime, offset: int) -> None:
    parsed = parse_rfc3339(text)
    assert parsed == expected
    assert offset_minutes(parsed) == offset


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-01-15T10:30:00", "not an RFC 3339 date-time"),  # no offset
        ("2025-01-15 10:30:00Z", "not an RFC 3339 date-time"),  # space: allowed by a note, not the grammar
        ("2025-01-15T10:30Z", "not an RFC 3339 date-time"),  # no seconds
        ("2025-01-15T10:30:00+0200", "not an RFC 3339 date-time"),  # offset without a colon
        ("2025-01-15T10:30:00.Z", "not an RFC 3339 date-time"),  # empty fraction
        ("2025-01-15T10:30:00,5Z", "not an RFC 3339 date-time"),  # comma fraction (ISO 8601 only)
        ("2025-015T10:30:00Z", "not an RFC 3339 date-time"),  # ordinal date (ISO 8601 only)
        ("20250115T103000Z", "not an RFC 3339 date-time"),  # basic format (ISO 8601 only)
        ("+2025-01-15T10:30:00Z", "not an RFC 3339 date-time"),
        ("\uff12\uff10\uff12\uff15-01-15T10:30:00Z", "not an RFC 3339 date-time"),  # full-width digits
        ("2025-01-15T10:30:00Z\n", "not an RFC 3339 date-time"),
        ("2025-01-15T24:00:00Z", "not an RFC 3339 date-time"),
        ("2025-01-15T10:60:00Z", "not an RFC 3339 date-time"),
        ("2025-01-15T10:30:61Z", "not an RFC 3339 date-time"),
        ("2025-01-15T10:30:00+24:00", "not an RFC 3339 date-time"),
        ("2025-01-15T10:30:00+02:60", "not an RFC 3339 date-time"),
        ("2025-13-01T10:30:00Z", "out of range"),
        ("2025-02-29T10:30:00Z", "out of range"),
        ("2025-04-31T10:30:00Z", "out of range"),
        ("0000-01-01T00:00:00Z", "out of range"),
        ("2025-01-15T10:30:60Z", "a leap second (:60) can only be 23:59:60 UTC"),
        ("1990-12-31T23:59:60+01:00", "a leap second (:60) can only be 23:59:60 UTC"),
    ],
)
def test_anything_else_is_refused_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(reason)}"):
        parse_rfc3339(text)


_offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59)


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    _offsets,
    st.integers(min_value=0, max_value=9),
    st.booleans(),
)
def test_any_formatted_date_time_parses_back(moment: datetime, offset: int, digits: int, lower: bool) -> None:
    sign = "-" if offset < 0 else "+"
    stated = f"{sign}{abs(offset) // 60:02}:{abs(offset) % 60:02}"
    fraction = f".{moment.microsecond:06}{'7' * 3}"[: digits + 1] if digits else ""
    text = f"{moment:%Y-%m-%dT%H:%M:%S}{fraction}{stated}"
    parsed = parse_rfc3339(text.lower() if lower else text)
    expected_microsecond = int(fraction[1:7].ljust(6, "0")) if fraction else 0
    assert parsed.replace(tzinfo=None) == moment.replace(microsecond=expected_microsecond)
    assert offset_minutes(parsed) == offset


_FORMAT_CHECK = jsonschema_rs.Draft202012Validator({"format": "date-time"}, validate_formats=True)
_near_grammar = st.from_regex(
    r"[0-9]{4}-[01][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\.[0-9]{1,4})?([Zz]|[+-][0-2][0-9]:[0-6][0-9])?",
    fullmatch=True,
)


@given(_near_grammar)
def test_the_parser_and_the_schema_format_check_agree(text: str) -> None:
    """The envelope checks `format: date-time` in Rust; the time step parses in Python. They must agree.

    The one known difference: year 0000 fits the grammar but not Python's calendar (the time step
    then rejects it with its own rule).
    """
    try:
        parse_rfc3339(text)
        parsed = True
    except ValueError:
        parsed = False
    if text.startswith("0000"):
        assert not parsed
    else:
        assert parsed == _FORMAT_CHECK.is_valid(text)


def test_the_instant_is_comparable_across_offsets() -> None:
    assert parse_rfc3339("2025-01-15T12:00:00+02:00") == datetime(2025, 1, 15, 10, 0, tzinfo=UTC)
