"""Bounded streaming decompression of every supported content coding."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventhouse import compression

CODINGS = ["gzip", "deflate", "br", "zstd", "lz4"]


@pytest.mark.parametrize("coding", CODINGS)
@given(data=st.binary(max_size=5000), cut=st.integers(min_value=1, max_value=97))
def test_round_trip_in_arbitrary_chunks(coding: str, data: bytes, cut: int) -> None:
    encoded = compression.encode(data, coding)
    chunks = [encoded[i : i + cut] for i in range(0, len(encoded), cut)]
    assert b"".join(compression.decode_stream(chunks, coding)) == data


@pytest.mark.parametrize("coding", CODINGS)
def test_a_bomb_stops_at_the_limit(coding: str) -> None:
    bomb = compression.encode(b"\0" * 64_000_000, coding)
    assert len(bomb) < 300_000
    with pytest.raises(compression.TooLarge):
        compression.decode_bounded(bomb, coding, limit=1_000_000)


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "lz4"])
def test_a_truncated_body_is_corrupt(coding: str) -> None:
    encoded = compression.encode(os.urandom(10_000), coding)
    with pytest.raises(compression.CorruptBody):
        compression.decode_bounded(encoded[:-8], coding, limit=1 << 20)


def test_garbage_and_unknown_codings_are_reported() -> None:
    with pytest.raises(compression.CorruptBody):
        compression.decode_bounded(b"not gzip at all", "gzip", limit=1000)
    with pytest.raises(compression.UnsupportedEncoding):
        compression.decode_bounded(b"x", "snappy", limit=1000)


def test_identity_and_concatenated_gzip_members() -> None:
    assert compression.decode_bounded(b"plain", None, limit=10) == b"plain"
    two = compression.encode(b"ab", "gzip") + compression.encode(b"cd", "gzip")
    assert compression.decode_bounded(two, "gzip", limit=10) == b"abcd"


def test_concatenated_lz4_frames_split_anywhere() -> None:
    """clickhouse-connect streams large inserts as one lz4 frame per block."""
    import lz4.frame

    data = bytes(range(256)) * 20_000
    frames = lz4.frame.compress(data[:3_000_000]) + lz4.frame.compress(data[3_000_000:])
    chunks = [frames[i : i + 7777] for i in range(0, len(frames), 7777)]
    assert b"".join(compression.decode_stream(chunks, "lz4")) == data


def test_concatenated_zstd_frames_are_all_read() -> None:
    import zstandard

    data = bytes(range(256)) * 4000
    frames = zstandard.ZstdCompressor().compress(data[:500_000]) + zstandard.ZstdCompressor().compress(
        data[500_000:]
    )
    assert b"".join(compression.decode_stream([frames[:1000], frames[1000:]], "zstd")) == data


def test_data_after_a_brotli_stream_is_corrupt_as_on_a_server() -> None:
    two = compression.encode(b"ab", "br") + compression.encode(b"cd", "br")
    with pytest.raises(compression.CorruptBody):
        compression.decode_bounded(two, "br", limit=100)
