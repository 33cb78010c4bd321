"""HTTP content codings (gzip, deflate, br, zstd, lz4), decompressed as a bounded stream.

Both the ingest API and the embedded warehouse read compressed request bodies. Each decoder
yields output in pieces of at most `PIECE` bytes, so a caller can stop as soon as its limit is
crossed: a compressed-size limit alone does not stop a decompression bomb (DESIGN §7).
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import brotli
import lz4.frame
import zstandard

PIECE = 64 * 1024
"""Largest piece of decompressed output produced at a time."""

SUPPORTED = ("gzip", "x-gzip", "deflate", "br", "zstd", "lz4")


class UnsupportedEncoding(ValueError):
    """The Content-Encoding names a coding we do not speak."""


class CorruptBody(ValueError):
    """The body is not valid data in its declared coding."""


class TooLarge(ValueError):
    """Decompressed output exceeded the caller's limit."""


def _zlib_pieces(chunks: Iterable[bytes], wbits: int) -> Iterator[bytes]:
    decoder = zlib.decompressobj(wbits)
    for chunk in chunks:
        data = chunk
        while data:
            piece = decoder.decompress(data, PIECE)
            if piece:
                yield piece
            data = decoder.unconsumed_tail
            if decoder.eof and decoder.unused_data:
                # concatenated gzip members are legal; start a new member with what is left
                data, decoder = decoder.unused_data, zlib.decompressobj(wbits)
    tail = decoder.flush()
    if tail:
        yield tail
    if not decoder.eof:
        raise CorruptBody("compressed body ended before its end marker")


def _brotli_pieces(chunks: Iterable[bytes]) -> Iterator[bytes]:
    # One brotli stream per body, as clickhouse-server reads it: bytes after its end are an error.
    decoder = brotli.Decompressor()
    for chunk in chunks:
        piece = decoder.process(chunk, output_buffer_limit=PIECE)
        while True:
            if piece:
                yield piece
            if decoder.can_accept_more_data():
                break
            piece = decoder.process(b"", output_buffer_limit=PIECE)
    while not decoder.is_finished():  # output still buffered after the last input chunk
        piece = decoder.process(b"", output_buffer_limit=PIECE)
        if not piece:
            break
        yield piece
    if not decoder.is_finished():
        raise CorruptBody("brotli body ended before its end marker")


def _lz4_pieces(chunks: Iterable[bytes]) -> Iterator[bytes]:
    decoder = lz4.frame.LZ4FrameDecompressor()
    for chunk in chunks:
        data = chunk
        while data or not decoder.needs_input:
            if decoder.eof:  # a new frame follows the one just finished
                data, decoder = (decoder.unused_data or b"") + data, lz4.frame.LZ4FrameDecompressor()
                if not data:
                    break
            piece = decoder.decompress(data, max_length=PIECE)
            data = b""
            if piece:
                yield piece
    if not decoder.eof:
        raise CorruptBody("lz4 body ended before its end marker")


class _ChunkReader:
    """A read()-able view of an iterable of byte chunks, for zstandard's streaming decoder."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _zstd_pieces(chunks: Iterable[bytes]) -> Iterator[bytes]:
    # clickhouse-connect sends one zstd frame per block: read across frames, in bounded pieces
    reader: Any = _ChunkReader(chunks)  # zstandard only needs .read(); its stubs ask for IO[bytes]
    stream = zstandard.ZstdDecompressor().stream_reader(reader, read_size=PIECE, read_across_frames=True)
    while piece := stream.read(PIECE):
        yield piece


_DECODERS: dict[str, Callable[[Iterable[bytes]], Iterator[bytes]]] = {
    "gzip": lambda chunks: _zlib_pieces(chunks, 16 + zlib.MAX_WBITS),
    "x-gzip": lambda chunks: _zlib_pieces(chunks, 16 + zlib.MAX_WBITS),
    "deflate": lambda chunks: _zlib_pieces(chunks, zlib.MAX_WBITS),
    "br": _brotli_pieces,
    "zstd": _zstd_pieces,
    "lz4": _lz4_pieces,
}


def decode_stream(chunks: Iterable[bytes], encoding: str | None) -> Iterator[bytes]:
    """Decompress `chunks` declared with Content-Encoding `encoding` (None or 'identity': as is)."""
    name = (encoding or "identity").strip().lower()
    if name == "identity":
        return iter(chunks)
    decoder = _DECODERS.get(name)
    if decoder is None:
        raise UnsupportedEncoding(
            f"unsupported Content-Encoding {encoding!r}; use one of {', '.join(SUPPORTED)}"
        )
    return _translate_errors(decoder(chunks))


def _translate_errors(pieces: Iterator[bytes]) -> Iterator[bytes]:
    try:
        yield from pieces
    except CorruptBody:
        raise
    except Exception as exc:
        raise CorruptBody(f"cannot decompress body: {exc}") from exc


def decode_bounded(body: bytes, encoding: str | None, limit: int) -> bytes:
    """Decompress a whole body, raising TooLarge as soon as the output passes `limit` bytes."""
    out = bytearray()
    for piece in decode_stream((body,), encoding):
        out += piece
        if len(out) > limit:
            raise TooLarge(f"decompressed body exceeds {limit} bytes")
    return bytes(out)


def encode(data: bytes, encoding: str) -> bytes:
    """Compress a whole response body with one of SUPPORTED's codings."""
    if encoding in ("gzip", "x-gzip"):
        return gzip.compress(data, compresslevel=3)
    if encoding == "deflate":
        return zlib.compress(data, 3)
    if encoding == "br":
        return bytes(brotli.compress(data, quality=4))
    if encoding == "zstd":
        return bytes(zstandard.ZstdCompressor(level=3).compress(data))
    if encoding == "lz4":
        return bytes(lz4.frame.compress(data))
    raise UnsupportedEncoding(encoding)
