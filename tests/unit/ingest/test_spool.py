"""The spool on a real directory: framing, fsync'ed appends, ordered replay, bad tails set aside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest_api.spool.records import HEADER_SIZE, BadTail, SpooledInsert, decode_records, encode_record
from ingest_api.spool.store import Spool, SpoolFull


def _insert(n: int) -> SpooledInsert:
    when = dt.datetime(2026, 11, 1, 12, 0, n % 60, tzinfo=dt.UTC)
    return SpooledInsert("db.events_raw", ["id", "at", "tags"], [[f"id{n}", when, ["a", "b"]]], f"token{n}")


def test_records_round_trip_including_datetimes() -> None:
    data = b"".join(encode_record(_insert(i)) for i in range(3))
    decoded = [item for item in decode_records(data)]
    assert [item[2] for item in decoded if not isinstance(item, BadTail)] == [_insert(i) for i in range(3)]


@given(cut=st.integers(min_value=1, max_value=200))
def test_any_truncation_is_detected_as_a_bad_tail(cut: int) -> None:
    first, second = encode_record(_insert(1)), encode_record(_insert(2))
    data = (first + second)[: max(len(first) + len(second) - cut, 0)]
    items = list(decode_records(data))
    complete = [_insert(1)] if len(data) >= len(first) else []
    assert [item[2] for item in items if not isinstance(item, BadTail)] == complete
    at_boundary = len(data) in (0, len(first))
    assert at_boundary or (
        isinstance(items[-1], BadTail) and items[-1].offset == (len(first) if complete else 0)
    )


@given(position=st.integers(min_value=0, max_value=10_000), flip=st.integers(min_value=1, max_value=255))
def test_a_flipped_byte_is_never_replayed(position: int, flip: int) -> None:
    record = bytearray(encode_record(_insert(7)))
    record[position % len(record)] ^= flip
    items = list(decode_records(bytes(record)))
    assert len(items) == 1 and isinstance(items[0], BadTail)


def test_append_then_replay_in_order_and_segments_are_removed(tmp_path: Path) -> None:
    spool = Spool(tmp_path, max_bytes=1 << 20, segment_bytes=200)  # tiny segments: several files
    for i in range(10):
        spool.append(_insert(i))
    assert len(spool.segments()) > 1 and not spool.is_empty()
    replayed: list[SpooledInsert] = []
    assert spool.replay(replayed.append) == 10
    assert replayed == [_insert(i) for i in range(10)]
    assert spool.is_empty() and spool.segments() == []


def test_a_failed_replay_resumes_where_it_stopped(tmp_path: Path) -> None:
    spool = Spool(tmp_path, max_bytes=1 << 20)
    for i in range(5):
        spool.append(_insert(i))
    seen: list[str] = []

    def flaky(record: SpooledInsert) -> None:
        if record.token == "token3" and "failed-once" not in seen:
            seen.append("failed-once")
            raise ConnectionError("warehouse went away")
        seen.append(record.token)

    with pytest.raises(ConnectionError):
        spool.replay(flaky)
    reopened = Spool(tmp_path, max_bytes=1 << 20)  # as after a restart
    reopened.replay(flaky)
    assert seen == ["token0", "token1", "token2", "failed-once", "token3", "token4"]


def test_a_bad_tail_is_quarantined_and_reported(tmp_path: Path) -> None:
    spool = Spool(tmp_path, max_bytes=1 << 20)
    spool.append(_insert(1))
    (segment,) = spool.segments()
    good_size = segment.path.stat().st_size
    with open(segment.path, "ab") as handle:
        handle.write(encode_record(_insert(2))[: HEADER_SIZE + 3])
    replayed: list[SpooledInsert] = []
    spool.replay(replayed.append)
    assert replayed == [_insert(1)]
    (report,) = spool.tail_reports
    assert report.offset == good_size and report.reason == "torn record payload"
    assert report.kept_at.read_bytes() == encode_record(_insert(2))[: HEADER_SIZE + 3]


def test_a_full_spool_refuses_appends(tmp_path: Path) -> None:
    record_size = len(encode_record(_insert(1)))
    spool = Spool(tmp_path, max_bytes=record_size * 2)
    spool.append(_insert(1))
    spool.append(_insert(2))
    with pytest.raises(SpoolFull):
        spool.append(_insert(3))
    assert spool.size_bytes() == record_size * 2
