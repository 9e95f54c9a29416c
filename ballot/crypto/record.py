"""The election record (protocol §7.5): building it and re-checking all of it (§8)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .board import Attendance, closing_hash, verify_board
from .context import ElectionContext
from .encoding import same_json
from .errors import CryptoError
from .group import Point, Scalar
from .manifest import context_from_manifest, fingerprint, verify_manifest_keys
from .parallel import pmap
from .tally import (
    Grid,
    TallyResult,
    aggregate_to_json,
    combine,
    verify_share,
)

FORMAT = "ballot-record"
VERSION = 1
RECORD_KEYS = {
    "format", "version", "manifest", "fingerprint", "attendance", "board", "closing",
    "aggregate", "decryption", "result",
}  # fmt: skip


def result_json(counts: Sequence[Sequence[int]], received: int) -> dict[str, Any]:
    """The "result" block: per subject received, valid, invalid (blank rows), counts."""
    subjects = []
    for row in counts:
        valid = sum(row)
        subjects.append(
            {"received": received, "valid": valid, "invalid": received - valid, "counts": list(row)}
        )
    return {"received": received, "subjects": subjects}


def build_record(
    manifest: Mapping[str, Any],
    attendance: Attendance,
    board: Sequence[Mapping[str, Any]],
    aggregate: Grid,
    tally_result: TallyResult,
) -> dict[str, Any]:
    """Assemble the record from the closed board (entries {seq, tracker, chain, ballot}),
    the aggregate the tally decrypted and the tally's checked shares and counts.
    Run `verify_record` on the result before publishing it."""
    return assemble_record(
        FORMAT, VERSION, manifest, attendance, board, aggregate, tally_result,
        result_json(tally_result.counts, len(board)),
    )  # fmt: skip


def assemble_record(
    format_name: str,
    version: int,
    manifest: Mapping[str, Any],
    attendance: Attendance,
    board: Sequence[Mapping[str, Any]],
    aggregate: Grid,
    tally_result: TallyResult,
    result: dict[str, Any],
) -> dict[str, Any]:
    """The record's common frame (confidence votes and elections alike): manifest,
    fingerprint, attendance, board, closing block, aggregate, decryption shares, result."""
    fp = fingerprint(manifest)
    head = bytes.fromhex(board[-1]["chain"]) if board else fp
    return {
        "format": format_name,
        "version": version,
        "manifest": dict(manifest),
        "fingerprint": fp.hex(),
        "attendance": attendance.to_json(),
        "board": [dict(entry) for entry in board],
        "closing": {
            "count": len(board),
            "head": head.hex(),
            "hash": closing_hash(head, len(board), attendance).hex(),
        },
        "aggregate": aggregate_to_json(aggregate),
        "decryption": [share.doc for share in tally_result.shares],
        "result": result,
    }


@dataclass(frozen=True, slots=True)
class Check:
    """One verification step: its number and name, and the outcome in both languages."""

    step: int
    name_en: str
    name_vi: str
    ok: bool
    detail_en: str = ""
    detail_vi: str = ""


@dataclass
class VerificationReport:
    """All steps run, in order; `failure` is the first failed step (None if all hold)."""

    checks: list[Check] = field(default_factory=list)
    counts: list[list[int]] | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def failure(self) -> Check | None:
        return next((c for c in self.checks if not c.ok), None)

    def lines(self) -> list[str]:
        """A readable report, Vietnamese first, then English."""
        out = []
        for c in self.checks:
            mark = "ĐÚNG / OK" if c.ok else "SAI / FAILED"
            out.append(f"[{mark}] {c.step}. {c.name_vi} / {c.name_en}")
            if not c.ok:
                out.append(f"    {c.detail_vi}")
                out.append(f"    {c.detail_en}")
        return out


class _Failed(CryptoError):
    """A verification step that does not hold (the report names it)."""


STEPS: list[tuple[str, str]] = [
    ("record shape", "cấu trúc hồ sơ kiểm phiếu"),
    ("manifest shape and keys", "cấu trúc thông tin cuộc lấy phiếu và các khóa"),
    ("manifest fingerprint", "dấu vân tay của thông tin cuộc lấy phiếu"),
    ("key ceremony: commitments, proofs, K and V_x", "lễ tạo khóa: cam kết, chứng minh, K và V_x"),
    ("attendance and quorum", "số người có mặt và điều kiện tiến hành"),
    ("board: every ballot, proof, tracker and chain", "bảng phiếu: từng phiếu, chứng minh, mã biên nhận và chuỗi băm"),
    ("closing hash", "mã băm khóa sổ"),
    ("aggregate = sum of all board ballots", "tổng mã hóa = tổng mọi phiếu trên bảng"),
    ("decryption shares and their proofs", "các phần giải mã và chứng minh"),
    ("combination and counts", "kết hợp các phần giải mã và số phiếu"),
    ("result numbers", "các số liệu kết quả"),
]  # fmt: skip


def verify_record(doc: object) -> VerificationReport:
    """Re-check everything in a record (protocol §8), stopping at the first failure.
    Never raises for bad input: problems are reported."""
    report = VerificationReport()
    state: dict[str, Any] = {}
    steps: list[Callable[[Any, dict[str, Any]], None]] = [
        _record_shape, _manifest_shape, _fingerprint, _key_ceremony, _attendance, _board,
        _closing, _aggregate, _shares, _combination, _result,
    ]  # fmt: skip
    for number, (check, (name_en, name_vi)) in enumerate(zip(steps, STEPS, strict=True), 1):
        try:
            check(doc, state)
        except CryptoError as exc:
            report.checks.append(Check(number, name_en, name_vi, False, exc.en, exc.vi))
            return report
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError) as exc:
            # a shape the earlier steps did not foresee: still a reported failure
            en = f"malformed record ({type(exc).__name__}: {exc})"
            vi = f"hồ sơ kiểm phiếu sai cấu trúc ({type(exc).__name__}: {exc})"
            report.checks.append(Check(number, name_en, name_vi, False, en, vi))
            return report
        report.checks.append(Check(number, name_en, name_vi, True))
    report.counts = state["counts"]
    return report


def is_int(value: object, low: int = 0, high: int = 2**32 - 1) -> bool:
    """An integer in [low, high], never a bool (the records' exact types)."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _record_shape(doc: Any, state: dict[str, Any]) -> None:
    if not isinstance(doc, dict) or set(doc) != RECORD_KEYS:
        raise _Failed(
            f"expected exactly the keys {sorted(RECORD_KEYS)}",
            f"cần đúng các khóa {sorted(RECORD_KEYS)}",
        )
    if doc["format"] != FORMAT or not is_int(doc["version"]) or doc["version"] != VERSION:
        raise _Failed(
            "not a ballot-record version 1", "không phải hồ sơ kiểm phiếu ballot-record phiên bản 1"
        )
    attendance = doc["attendance"]
    if not isinstance(attendance, dict) or set(attendance) != {"summoned", "present", "issued"}:
        raise _Failed(
            "attendance must hold summoned, present, issued",
            "attendance phải có summoned, present, issued",
        )
    if not all(is_int(v) for v in attendance.values()):
        raise _Failed("attendance numbers must be integers", "số liệu attendance phải là số nguyên")
    if not isinstance(doc["board"], list) or not isinstance(doc["decryption"], list):
        raise _Failed("board and decryption must be lists", "board và decryption phải là danh sách")
    closing = doc["closing"]
    if not isinstance(closing, dict) or set(closing) != {"count", "head", "hash"}:
        raise _Failed("closing must hold count, head, hash", "closing phải có count, head, hash")
    if not is_int(closing["count"]):
        raise _Failed("closing count must be an integer", "số phiếu khi khóa sổ phải là số nguyên")
    result = doc["result"]
    if not isinstance(result, dict) or set(result) != {"received", "subjects"}:
        raise _Failed(
            "result must hold received and subjects", "result phải có received và subjects"
        )


def _manifest_shape(doc: Any, state: dict[str, Any]) -> None:
    state["ctx"] = context_from_manifest(doc["manifest"])


def _fingerprint(doc: Any, state: dict[str, Any]) -> None:
    ctx: ElectionContext = state["ctx"]
    if doc["fingerprint"] != ctx.fp.hex():
        raise _Failed(
            "the record's fingerprint is not the hash of its manifest",
            "dấu vân tay trong hồ sơ không phải mã băm của thông tin cuộc lấy phiếu",
        )


def _key_ceremony(doc: Any, state: dict[str, Any]) -> None:
    verify_manifest_keys(doc["manifest"])


def _attendance(doc: Any, state: dict[str, Any]) -> None:
    state["attendance"] = checked_attendance(doc)


def checked_attendance(doc: Any) -> Attendance:
    """The record's attendance, checked: issued <= present <= summoned and the quorum of the
    manifest's rules met (confidence votes and elections alike)."""
    a = doc["attendance"]
    attendance = Attendance(a["summoned"], a["present"], a["issued"])
    if not attendance.issued <= attendance.present <= attendance.summoned:
        raise _Failed(
            "need issued <= present <= summoned",
            "cần số phiếu phát ra <= số có mặt <= số triệu tập",
        )
    num, den = doc["manifest"]["rules"]["quorum"]
    if attendance.present * den < num * attendance.summoned:
        raise _Failed(
            f"quorum not met: {attendance.present} of {attendance.summoned} present, "
            f"{num}/{den} required",
            f"không đủ điều kiện: {attendance.present}/{attendance.summoned} người có mặt, "
            f"cần {num}/{den}",
        )
    return attendance


def _board(doc: Any, state: dict[str, Any]) -> None:
    verified = verify_board(state["ctx"], doc["board"])
    state["head"], state["count"], state["grid"] = verified.head, verified.count, verified.aggregate


def _closing(doc: Any, state: dict[str, Any]) -> None:
    check_closing(doc["closing"], state["head"], state["count"], state["attendance"])


def check_closing(closing: Any, head: bytes, count: int, attendance: Attendance) -> None:
    """The closing block agrees with the checked board (its count and last chain hash) and
    with the attendance: no more ballots than codes issued, the closing hash recomputed."""
    if closing["count"] != count:
        raise _Failed(f"closing count is not {count}", f"số phiếu khi khóa sổ không phải {count}")
    if count > attendance.issued:
        raise _Failed("more ballots than codes issued", "số phiếu nhiều hơn số mã phiếu đã phát")
    if closing["head"] != head.hex():
        raise _Failed("closing head is not the last chain hash", "mã băm cuối khi khóa sổ sai")
    if closing["hash"] != closing_hash(head, count, attendance).hex():
        raise _Failed("closing hash is wrong", "mã băm khóa sổ sai")


def _aggregate(doc: Any, state: dict[str, Any]) -> None:
    if not same_json(doc["aggregate"], aggregate_to_json(state["grid"])):
        raise _Failed(
            "aggregate is not the sum of all board ballots",
            "tổng mã hóa không bằng tổng mọi phiếu trên bảng",
        )


def _shares(doc: Any, state: dict[str, Any]) -> None:
    ctx: ElectionContext = state["ctx"]
    shares = doc["decryption"]
    indices: list[int] = []
    for share in shares:
        x = share.get("index") if isinstance(share, dict) else None
        if not isinstance(x, int) or isinstance(x, bool) or (indices and x <= indices[-1]):
            raise _Failed(
                "decryption shares must have increasing member indices",
                "các phần giải mã phải theo thứ tự thành viên tăng dần",
            )
        indices.append(x)
    if len(shares) < ctx.threshold:
        raise _Failed(
            f"need at least {ctx.threshold} decryption shares, found {len(shares)}",
            f"cần ít nhất {ctx.threshold} phần giải mã, có {len(shares)}",
        )
    state["shares"] = pmap(lambda s: verify_share(ctx, state["grid"], s), shares)


def _combination(doc: Any, state: dict[str, Any]) -> None:
    ctx: ElectionContext = state["ctx"]
    n = state["count"]
    subjects = doc["result"]["subjects"]
    if not isinstance(subjects, list) or len(subjects) != ctx.n_subjects:
        raise _Failed(
            "result must list every subject", "kết quả phải liệt kê mọi người được lấy phiếu"
        )
    counts = []
    for i, subject in enumerate(subjects):
        row = subject.get("counts") if isinstance(subject, dict) else None
        if (
            not isinstance(row, list)
            or len(row) != ctx.n_levels
            or not all(is_int(c, 0, n) for c in row)
        ):
            raise _Failed(
                f"subject {i + 1}: counts malformed or out of range",
                f"người {i + 1}: số phiếu sai cấu trúc hoặc ngoài phạm vi",
            )
        counts.append(row)
    plain = combine(ctx, state["grid"], state["shares"])
    for i, row in enumerate(plain):
        for k, m in enumerate(row):
            if Point.base_times(Scalar(counts[i][k])) != m:
                raise _Failed(
                    f"subject {i + 1}, level {k + 1}: the decryption is not {counts[i][k]}",
                    f"người {i + 1}, mức {k + 1}: kết quả giải mã không phải {counts[i][k]}",
                )
    state["counts"] = counts


def _result(doc: Any, state: dict[str, Any]) -> None:
    ctx: ElectionContext = state["ctx"]
    expected = result_json(state["counts"], state["count"])
    if not same_json(doc["result"], expected):
        for i, (got, want) in enumerate(
            zip(doc["result"]["subjects"], expected["subjects"], strict=True)
        ):
            if not same_json(got, want):
                raise _Failed(
                    f"subject {i + 1}: received/valid/invalid must be {want['received']}/{want['valid']}/{want['invalid']}",
                    f"người {i + 1}: thu về/hợp lệ/không hợp lệ phải là {want['received']}/{want['valid']}/{want['invalid']}",
                )
        raise _Failed(
            f"ballots received must be {expected['received']}",
            f"số phiếu thu về phải là {expected['received']}",
        )
    if not ctx.blank_row_allowed and any(s["invalid"] for s in expected["subjects"]):
        raise _Failed(
            "blank rows counted although the vote forbids them",
            "có dòng để trống dù cuộc lấy phiếu không cho phép",
        )
