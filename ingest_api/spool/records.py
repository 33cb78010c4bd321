"""The spool's record format: framed, checksummed, so a torn or corrupt tail is always detected.

    magic (4 bytes) | payload length (u32 LE) | CRC-32 of payload (u32 LE) | payload (msgpack)

The payload is one group-commit insert: table, columns, rows and its dedup token. A record is
valid only if its magic, length and checksum all agree; reading stops at the first one that
does not, and says where, so nothing after a tear is ever replayed as garbage.
"""

from __future__ import annotations

import dataclasses
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import msgspec

MAGIC = b"EHS1"
_HEADER = struct.Struct("<4sII")
HEADER_SIZE = _HEADER.size


class SpooledInsert(msgspec.Struct, array_like=True):
    """One insert waiting for the warehouse."""

    table: str
    columns: list[str]
    rows: list[list[Any]]
    token: str


def encode_record(insert: SpooledInsert) -> bytes:
    payload = msgspec.msgpack.encode(insert)
    return _HEADER.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload


_decoder = msgspec.msgpack.Decoder(SpooledInsert)


@dataclasses.dataclass(frozen=True)
class BadTail:
    """Where the valid records end and why the bytes after that cannot be trusted."""

    offset: int
    reason: str


def decode_records(data: bytes, start: int = 0) -> Iterator[tuple[int, int, SpooledInsert] | BadTail]:
    """(offset, end, insert) for each valid record from `start`; a BadTail at the first invalid one."""
    offset = start
    while offset < len(data):
        if len(data) - offset < HEADER_SIZE:
            yield BadTail(offset, "torn record header")
            return
        magic, length, checksum = _HEADER.unpack_from(data, offset)
        end = offset + HEADER_SIZE + length
        if magic != MAGIC:
            yield BadTail(offset, "bad record magic")
            return
        if end > len(data):
            yield BadTail(offset, "torn record payload")
            return
        payload = data[offset + HEADER_SIZE : end]
        if zlib.crc32(payload) != checksum:
            yield BadTail(offset, "checksum mismatch")
            return
        try:
            insert = _decoder.decode(payload)
        except msgspec.DecodeError:
            yield BadTail(offset, "undecodable payload")
            return
        yield offset, end, insert
        offset = end
