"""The public ballot board: hash chain, duplicate-ciphertext refusal, closing hash (§5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .ballot import CheckedBallot, verify_ballot
from .context import ElectionContext
from .encoding import h256
from .errors import CryptoError, DuplicateCiphertext, InvalidBallot
from .group import u32
from .parallel import pmap
from .tally import Grid, aggregate

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


@dataclass(frozen=True, slots=True)
class VerifiedBoard:
    """A published board whose every entry checked out: its head h_n, size and aggregate."""

    head: bytes
    count: int
    aggregate: Grid


def _check_entry(ctx: ElectionContext, n: int, entry: object) -> tuple[object, CheckedBallot]:
    """(the entry's claimed chain hash, its checked ballot)."""
    if not isinstance(entry, dict) or set(entry) != {"seq", "tracker", "chain", "ballot"}:
        raise InvalidBallot("malformed board entry", "mục trên bảng sai cấu trúc")
    seq = entry["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq != n:
        raise InvalidBallot(f"seq is not {n}", f"số thứ tự không phải {n}")
    checked = verify_ballot(ctx, entry["ballot"], parallel=False)
    if entry["tracker"] != checked.tracker.hex():
        raise InvalidBallot(
            "tracker is not the hash of the ballot", "mã biên nhận không phải mã băm của phiếu"
        )
    return entry["chain"], checked


def _numbered(n: int, exc: CryptoError) -> InvalidBallot:
    return InvalidBallot(f"board entry {n}: {exc.en}", f"mục {n} trên bảng: {exc.vi}")


def verify_board(ctx: ElectionContext, entries: Sequence[object]) -> VerifiedBoard:
    """Check a published board as a verifier (and a trustee, before decrypting) must:
    every entry's shape and seq, every ballot's points and proofs, trackers, the hash
    chain from h_0 = fp, and no point repeated anywhere on the board. Returns the head and
    the aggregate of ALL ballots; raises InvalidBallot naming the first bad entry."""

    def check(job: tuple[int, object]) -> tuple[object, CheckedBallot] | CryptoError:
        try:
            return _check_entry(ctx, *job)
        except CryptoError as exc:
            return exc

    # Ballots are independent: check them on the pool, then walk the chain in order.
    outcomes = pmap(check, list(enumerate(entries, start=1)))
    head = ctx.fp
    seen: set[bytes] = set()
    ballots = []
    for n, outcome in enumerate(outcomes, start=1):
        if isinstance(outcome, CryptoError):
            raise _numbered(n, outcome)
        claimed_chain, checked = outcome
        head = chain_hash(head, checked.tracker, n)
        if claimed_chain != head.hex():
            raise _numbered(n, InvalidBallot("chain hash is wrong", "mã băm chuỗi sai"))
        points = checked.point_encodings()
        if not seen.isdisjoint(points):
            raise _numbered(
                n,
                DuplicateCiphertext(
                    "repeats a ciphertext already on the board", "lặp lại bản mã đã có trên bảng"
                ),
            )
        seen.update(points)
        ballots.append(checked.ciphertexts)
    return VerifiedBoard(head, len(ballots), aggregate(ctx, ballots))
