"""Append-only segment files with fsync, a replay position, and a quarantine for bad tails.

    <dir>/segments/<seq>-<created_ms>.seg   records, appended and fsync'ed before an insert is acknowledged
    <dir>/position                          "<seq> <offset>": how far replay has got, fsync'ed per record
    <dir>/quarantine/<seq>.tail             bytes after a torn or corrupt record, kept for inspection

The writer appends to the newest segment; the replayer first seals it (new appends start a new
segment), then replays sealed segments oldest first and deletes each once done. Replaying a record
twice after a crash is harmless: it carries its insert's dedup token.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .records import BadTail, SpooledInsert, decode_records, encode_record

log = logging.getLogger("eventhouse.spool")


class SpoolFull(RuntimeError):
    """Appending would take the spool past its size limit."""


@dataclasses.dataclass(frozen=True)
class Segment:
    path: Path
    seq: int
    created_at: float  # seconds since the epoch

    @classmethod
    def parse(cls, path: Path) -> Segment:
        seq, created_ms = path.stem.split("-")
        return cls(path, int(seq), int(created_ms) / 1000)


@dataclasses.dataclass(frozen=True)
class TailReport:
    """A torn or corrupt tail that was set aside instead of replayed."""

    segment: str
    offset: int
    reason: str
    kept_at: Path


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Spool:
    """A bounded, durable queue of inserts on local disk."""

    def __init__(self, directory: Path, max_bytes: int, segment_bytes: int = 16 << 20) -> None:
        self._segments_dir = directory / "segments"
        self._quarantine_dir = directory / "quarantine"
        self._position_path = directory / "position"
        for folder in (self._segments_dir, self._quarantine_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self._max_bytes = max_bytes
        self._segment_bytes = segment_bytes
        self._lock = threading.Lock()
        self._active: Segment | None = None
        self._active_size = 0
        self.tail_reports: list[TailReport] = []

    # --- writing ---------------------------------------------------------------------------

    def append(self, insert: SpooledInsert) -> None:
        """Durably append one insert (returns after fsync) or raise SpoolFull."""
        record = encode_record(insert)
        with self._lock:
            if self.size_bytes() + len(record) > self._max_bytes:
                raise SpoolFull(f"spool is at its limit of {self._max_bytes} bytes")
            if self._active is None or self._active_size + len(record) > self._segment_bytes:
                self._active = self._new_segment()
                self._active_size = 0
            with open(self._active.path, "ab") as handle:
                handle.write(record)
                handle.flush()
                os.fsync(handle.fileno())
            self._active_size += len(record)

    def _new_segment(self) -> Segment:
        existing = self.segments()
        seq = existing[-1].seq + 1 if existing else 1
        path = self._segments_dir / f"{seq:012d}-{int(time.time() * 1000)}.seg"
        path.touch()
        _fsync_dir(self._segments_dir)
        return Segment.parse(path)

    # --- state -------------------------------------------------------------------------------

    def segments(self) -> list[Segment]:
        return sorted((Segment.parse(p) for p in self._segments_dir.glob("*.seg")), key=lambda s: s.seq)

    def size_bytes(self) -> int:
        total = 0
        for path in self._segments_dir.glob("*.seg"):
            try:
                total += path.stat().st_size
            except FileNotFoundError:
                continue
        return total

    def oldest_age_seconds(self) -> float:
        """How long the oldest unreplayed insert has waited (0 when the spool is empty)."""
        pending = [s for s in self.segments() if s.path.stat().st_size > 0]
        return max(time.time() - pending[0].created_at, 0.0) if pending else 0.0

    def is_empty(self) -> bool:
        return self.size_bytes() == 0

    # --- replaying ---------------------------------------------------------------------------

    def _position(self) -> tuple[int, int]:
        try:
            seq, offset = self._position_path.read_text().split()
            return int(seq), int(offset)
        except (FileNotFoundError, ValueError):
            return 0, 0

    def _save_position(self, seq: int, offset: int) -> None:
        tmp = self._position_path.with_suffix(".tmp")
        with open(tmp, "w") as handle:
            handle.write(f"{seq} {offset}")
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self._position_path)

    def replay(self, insert: Callable[[SpooledInsert], None]) -> int:
        """Hand every sealed record to `insert`, oldest first; returns how many were replayed.

        Stops (raising) at the first failed insert; the position says where to resume.
        """
        with self._lock:  # seal and list at once, so no segment being appended to is listed
            self._active, self._active_size = None, 0
            sealed = self.segments()
        replayed = 0
        for segment in sealed:
            replayed += self._replay_segment(segment, insert)
        return replayed

    def _replay_segment(self, segment: Segment, insert: Callable[[SpooledInsert], None]) -> int:
        seq, offset = self._position()
        start = offset if seq == segment.seq else 0
        data = segment.path.read_bytes()
        replayed = 0
        for item in decode_records(data, start):
            if isinstance(item, BadTail):
                self._quarantine(segment, data, item)
                break
            _, end, record = item
            insert(record)
            self._save_position(segment.seq, end)
            replayed += 1
        segment.path.unlink()
        _fsync_dir(self._segments_dir)
        return replayed

    def _quarantine(self, segment: Segment, data: bytes, tail: BadTail) -> None:
        kept = self._quarantine_dir / f"{segment.path.stem}.tail"
        kept.write_bytes(data[tail.offset :])
        report = TailReport(segment.path.name, tail.offset, tail.reason, kept)
        self.tail_reports.append(report)
        log.error(
            "spool segment has a bad tail; kept aside, not replayed",
            extra={
                "segment": report.segment,
                "offset": report.offset,
                "reason": report.reason,
                "kept_at": str(kept),
            },
        )
