"""The public ballot board: hash chain, duplicate-ciphertext refusal, closing hash (§5)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .ballot import CheckedBallot
from .encoding import h256
from .errors import DuplicateCiphertext
from .group import u32

BOARD_TAG = b"ballot/v1/board\x00"
CLOSE_TAG = b"ballot/v1/close\x00"


def chain_hash(previous: bytes, tracker: bytes, seq: int) -> bytes:
    """h_n = H256("ballot/v1/board" ‖ 0x00 ‖ h_{n−1} ‖ tracker_n ‖ u32(n)); h_0 = fp."""
    return h256(BOARD_TAG + previous + tracker + u32(seq))


@dataclass(frozen=True, slots=True)
class Attendance:
    """Numbers announced at closing: summoned, present, ballot codes issued."""

    summoned: int
    present: int
    issued: int

    def to_json(self) -> dict[str, int]:
        return {"summoned": self.summoned, "present": self.present, "issued": self.issued}


def closing_hash(head: bytes, count: int, attendance: Attendance) -> bytes:
    """H256("ballot/v1/close" ‖ 0x00 ‖ h_n ‖ u32(n) ‖ u32(summoned) ‖ u32(present) ‖
    u32(issued)): commits to the final board and the attendance numbers."""
    return h256(
        CLOSE_TAG
        + head
        + u32(count)
        + u32(attendance.summoned)
        + u32(attendance.present)
        + u32(attendance.issued)
    )


@dataclass
class Board:
    """An in-memory board (the web app keeps the same data in its database).

    `append` refuses a ballot that repeats any a or b point already on the board.
    """

    fp: bytes
    entries: list[dict[str, Any]] = field(default_factory=list)
    head: bytes = b""
    _points: set[bytes] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.head:
            self.head = self.fp

    def append(self, ballot: CheckedBallot) -> dict[str, Any]:
        """Add a checked ballot; returns its board entry {seq, tracker, chain, ballot}."""
        points = ballot.point_encodings()
        if not self._points.isdisjoint(points):
            raise DuplicateCiphertext(
                "the ballot repeats a ciphertext already on the board",
                "phiếu lặp lại một bản mã đã có trên bảng",
            )
        seq = len(self.entries) + 1
        self.head = chain_hash(self.head, ballot.tracker, seq)
        entry = {
            "seq": seq,
            "tracker": ballot.tracker.hex(),
            "chain": self.head.hex(),
            "ballot": ballot.doc,
        }
        self.entries.append(entry)
        self._points.update(points)
        return entry

    def close(self, attendance: Attendance) -> dict[str, Any]:
        """The closing block of the record: {count, head, hash}."""
        count = len(self.entries)
        return {
            "count": count,
            "head": self.head.hex(),
            "hash": closing_hash(self.head, count, attendance).hex(),
        }
