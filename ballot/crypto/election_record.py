"""The election record (protocol §10.7): board check, tally, building and verifying it
(§10.8). Reuses the v1 manifest, key ceremony, chain, closing and "dec" proofs."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from .board import Attendance, chain_hash
from .context import ElectionContext
from .election import ParsedBallot, Shape, shape_of
from .election_entry import check_entry
from .election_pool import MIN_ENTRIES, verify_board_in_processes
from .elgamal import Ciphertext
from .encoding import same_json
from .errors import CryptoError, DuplicateCiphertext, InvalidBallot
from .group import Point, Scalar
from .manifest import context_from_manifest, verify_manifest_keys
from .parallel import pmap
from .record import (
    Check,
    VerificationReport,
    assemble_record,
    check_closing,
    checked_attendance,
    is_int,
)
from .tally import Grid, TallyResult, aggregate, aggregate_to_json, combine, verify_share

FORMAT = "ballot-election-record"
VERSION = 1
RECORD_KEYS = {
    "format", "version", "manifest", "fingerprint", "attendance", "board", "closing",
    "aggregate", "decryption", "result",
}  # fmt: skip


@dataclass
class ElectionBoard:
    """An in-memory election board: appends checked ballots, refuses repeated points."""

    fp: bytes
    entries: list[dict[str, Any]]
    head: bytes
    points: set[bytes]
    ballots: list[tuple[tuple[Ciphertext], ...]]

    @classmethod
    def empty(cls, fp: bytes) -> ElectionBoard:
        return cls(fp, [], fp, set(), [])

    def append(self, parsed: ParsedBallot, cands: Sequence[Ciphertext]) -> dict[str, Any]:
        encodings = parsed.point_encodings()
        if not self.points.isdisjoint(encodings):
            raise DuplicateCiphertext(
                "the ballot repeats a ciphertext already on the board",
                "phiếu lặp lại một bản mã đã có trên bảng",
            )
        seq = len(self.entries) + 1
        tracker = parsed.tracker
        self.head = chain_hash(self.head, tracker, seq)
        entry = {
            "seq": seq,
            "tracker": tracker.hex(),
            "chain": self.head.hex(),
            "ballot": parsed.doc,
        }
        self.entries.append(entry)
        self.points.update(encodings)
        self.ballots.append(tuple((ct,) for ct in cands))
        return entry


@dataclass(frozen=True, slots=True)
class VerifiedElectionBoard:
    head: bytes
    count: int
    aggregate: Grid  # C rows × 1 cell


def verify_election_board(
    ctx: ElectionContext, shape: Shape, entries: Sequence[object],
    manifest: Mapping[str, Any] | None = None, workers: int | None = None,
) -> VerifiedElectionBoard:  # fmt: skip
    """Every entry's shape, proofs (single verification), tracker, chain and no repeated
    point; returns the head and the aggregate of ALL ballots. With the `manifest` and a
    large board, the ballots are checked in worker processes (`election_pool`), else on
    the thread pool."""
    workers = workers if workers is not None else os.cpu_count() or 1
    if manifest is not None and workers > 1 and len(entries) >= MIN_ENTRIES:
        try:
            head, count, grid = verify_board_in_processes(manifest, entries, workers)
            return VerifiedElectionBoard(head, count, grid)
        except (BrokenProcessPool, OSError):  # no worker processes here: check in-process
            pass
    outcomes = pmap(lambda job: check_entry(ctx, shape, *job), list(enumerate(entries, 1)))
    head, seen, ballots = ctx.fp, set[bytes](), []
    for n, outcome in enumerate(outcomes, start=1):
        if isinstance(outcome, CryptoError):
            raise InvalidBallot(
                f"board entry {n}: {outcome.en}", f"mục {n} trên bảng: {outcome.vi}"
            )
        claimed, parsed, cands = outcome
        head = chain_hash(head, parsed.tracker, n)
        if claimed != head.hex():
            raise InvalidBallot(
                f"board entry {n}: chain hash is wrong", f"mục {n}: mã băm chuỗi sai"
            )
        encodings = parsed.point_encodings()
        if not seen.isdisjoint(encodings):
            raise DuplicateCiphertext(
                f"board entry {n}: repeats a ciphertext already on the board",
                f"mục {n}: lặp lại bản mã đã có trên bảng",
            )
        seen.update(encodings)
        ballots.append(tuple((ct,) for ct in cands))
    return VerifiedElectionBoard(head, len(ballots), aggregate(ctx, ballots))


def result_json(counts: Sequence[int], received: int) -> dict[str, Any]:
    return {"received": received, "valid": received, "invalid": 0, "counts": list(counts)}


def build_election_record(
    manifest: Mapping[str, Any],
    attendance: Attendance,
    board: Sequence[Mapping[str, Any]],
    grid: Grid,
    tally_result: TallyResult,
) -> dict[str, Any]:
    """Assemble the record; run `verify_election_record` on it before publishing."""
    return assemble_record(
        FORMAT, VERSION, manifest, attendance, board, grid, tally_result,
        result_json([row[0] for row in tally_result.counts], len(board)),
    )  # fmt: skip


class _Failed(CryptoError):
    pass


def _shape(doc: Any, st: dict[str, Any]) -> None:
    if not isinstance(doc, dict) or set(doc) != RECORD_KEYS:
        raise _Failed(f"expected exactly the keys {sorted(RECORD_KEYS)}",
                      f"cần đúng các khóa {sorted(RECORD_KEYS)}")  # fmt: skip
    if doc["format"] != FORMAT or not is_int(doc["version"]) or doc["version"] != VERSION:
        raise _Failed("not a ballot-election-record version 1",
                      "không phải biên bản bầu cử ballot-election-record phiên bản 1")  # fmt: skip
    att, closing, result = doc["attendance"], doc["closing"], doc["result"]
    if (
        not isinstance(att, dict)
        or set(att) != {"summoned", "present", "issued"}
        or not all(is_int(v) for v in att.values())
    ):
        raise _Failed("attendance must hold three integers", "attendance phải có ba số nguyên")
    if not isinstance(closing, dict) or set(closing) != {"count", "head", "hash"}:
        raise _Failed("closing must hold count, head, hash", "closing phải có count, head, hash")
    if not isinstance(result, dict) or set(result) != {"received", "valid", "invalid", "counts"}:
        raise _Failed("result must hold received, valid, invalid, counts",
                      "result phải có received, valid, invalid, counts")  # fmt: skip
    if not isinstance(doc["board"], list) or not isinstance(doc["decryption"], list):
        raise _Failed("board and decryption must be lists", "board và decryption phải là danh sách")


def _manifest(doc: Any, st: dict[str, Any]) -> None:
    st["ctx"] = context_from_manifest(doc["manifest"])
    shape = st["shape"] = shape_of(doc["manifest"])
    # 190-QĐ/TW: crossing out every name is invalid only on a list with surplus (§10.1)
    if shape.min_kept != (1 if shape.candidates > shape.seats else 0):
        raise _Failed(
            "rules.election.min_kept must be 1 with a surplus, 0 without",
            "rules.election.min_kept phải là 1 khi có số dư, 0 khi không có số dư",
        )


def _fingerprint(doc: Any, st: dict[str, Any]) -> None:
    if doc["fingerprint"] != st["ctx"].fp.hex():
        raise _Failed("the fingerprint is not the hash of the manifest",
                      "dấu vân tay không phải mã băm của thông tin cuộc bầu cử")  # fmt: skip


def _keys(doc: Any, st: dict[str, Any]) -> None:
    verify_manifest_keys(doc["manifest"])


def _attendance(doc: Any, st: dict[str, Any]) -> None:
    st["attendance"] = checked_attendance(doc)


def _board(doc: Any, st: dict[str, Any]) -> None:
    st["board"] = verify_election_board(st["ctx"], st["shape"], doc["board"], doc["manifest"])


def _closing(doc: Any, st: dict[str, Any]) -> None:
    board: VerifiedElectionBoard = st["board"]
    check_closing(doc["closing"], board.head, board.count, st["attendance"])


def _aggregate(doc: Any, st: dict[str, Any]) -> None:
    if doc["aggregate"] != aggregate_to_json(st["board"].aggregate):
        raise _Failed("aggregate is not the sum of all board ballots",
                      "tổng mã hóa không bằng tổng mọi phiếu trên bảng")  # fmt: skip


def _shares(doc: Any, st: dict[str, Any]) -> None:
    ctx: ElectionContext = st["ctx"]
    indices = [s.get("index") if isinstance(s, dict) else None for s in doc["decryption"]]
    if not all(isinstance(x, int) and is_int(x) for x in indices) or indices != sorted(
        {int(x) for x in indices if x is not None}
    ):
        raise _Failed("decryption shares must have increasing member indices",
                      "các phần giải mã phải theo thứ tự thành viên tăng dần")  # fmt: skip
    if len(indices) < ctx.threshold:
        raise _Failed(f"need at least {ctx.threshold} decryption shares",
                      f"cần ít nhất {ctx.threshold} phần giải mã")  # fmt: skip
    grid = st["board"].aggregate
    st["shares"] = pmap(lambda s: verify_share(ctx, grid, s), doc["decryption"])


def _combination(doc: Any, st: dict[str, Any]) -> None:
    ctx: ElectionContext = st["ctx"]
    n = st["board"].count
    counts = doc["result"]["counts"]
    if (
        not isinstance(counts, list)
        or len(counts) != ctx.n_subjects
        or not all(is_int(c, 0, n) for c in counts)
    ):
        raise _Failed(
            "counts malformed or out of range", "số phiếu sai cấu trúc hoặc ngoài phạm vi"
        )
    plain = combine(ctx, st["board"].aggregate, st["shares"])
    for j, row in enumerate(plain):
        if Point.base_times(Scalar(counts[j])) != row[0]:
            raise _Failed(f"candidate {j + 1}: the decryption is not {counts[j]}",
                          f"người {j + 1}: kết quả giải mã không phải {counts[j]}")  # fmt: skip
    st["counts"] = counts


def _result(doc: Any, st: dict[str, Any]) -> None:
    n, shape = st["board"].count, st["shape"]
    if not same_json(doc["result"], result_json(st["counts"], n)):  # exact types: false ≠ 0
        raise _Failed(f"received and valid must be {n}, invalid 0",
                      f"số phiếu thu về và hợp lệ phải là {n}, không hợp lệ 0")  # fmt: skip
    if sum(st["counts"]) > shape.seats * n or sum(st["counts"]) < shape.min_kept * n:
        raise _Failed("total votes outside [m0·n, S·n]", "tổng số phiếu ngoài [m0·n, S·n]")


STEPS: list[tuple[Callable[[Any, dict[str, Any]], None], str, str]] = [
    (_shape, "record shape", "cấu trúc biên bản điện tử"),
    (_manifest, "manifest and election rules", "thông tin cuộc bầu cử và quy tắc bầu"),
    (_fingerprint, "manifest fingerprint", "dấu vân tay của thông tin cuộc bầu cử"),
    (_keys, "key ceremony: commitments, proofs, K and V_x", "lễ tạo khóa: cam kết, chứng minh, K và V_x"),
    (_attendance, "attendance and quorum", "số người có mặt và điều kiện tiến hành"),
    (_board, "board: every ballot, 0/1 and range proofs, tracker, chain",
     "bảng phiếu: từng phiếu, chứng minh 0/1 và số người giữ, mã theo dõi, chuỗi băm"),
    (_closing, "closing hash", "mã băm khóa sổ"),
    (_aggregate, "aggregate = sum of all board ballots", "tổng mã hóa = tổng mọi phiếu trên bảng"),
    (_shares, "decryption shares and their proofs", "các phần giải mã và chứng minh"),
    (_combination, "combination and counts", "kết hợp các phần giải mã và số phiếu"),
    (_result, "result numbers", "các số liệu kết quả"),
]  # fmt: skip


def verify_election_record(doc: object) -> VerificationReport:
    """Re-check a whole election record (§10.8), stopping at the first failure."""
    report, st = VerificationReport(), dict[str, Any]()
    for number, (check, name_en, name_vi) in enumerate(STEPS, start=1):
        try:
            check(doc, st)
        except CryptoError as exc:
            report.checks.append(Check(number, name_en, name_vi, False, exc.en, exc.vi))
            return report
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            en = f"malformed record ({type(exc).__name__}: {exc})"
            vi = f"biên bản sai cấu trúc ({type(exc).__name__}: {exc})"
            report.checks.append(Check(number, name_en, name_vi, False, en, vi))
            return report
        report.checks.append(Check(number, name_en, name_vi, True))
    report.counts = [[c] for c in st["counts"]]
    return report
