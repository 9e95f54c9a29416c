"""Encrypted ballots: N subjects × K levels, one-hot rows, with their proofs (protocol §4-5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from .context import ElectionContext
from .elgamal import Ciphertext, add_all, encrypt
from .encoding import base32_encode, h256
from .errors import EncodingError, InvalidBallot
from .group import Scalar, hex_to_bytes, u32
from .parallel import pmap
from .proofs import (
    EqProof,
    OrProof,
    Rng,
    bit_context,
    prove_or,
    prove_row1,
    row_context,
    verify_or_raw,
    verify_row1,
)
from .proofs import verify_or as _verify_or
from .seen import Seen, document_digest

BALLOT_TAG = b"ballot/v1/ballot\x00"


def encrypt_ballot(
    ctx: ElectionContext, choices: Sequence[int | None], rng: Rng = Scalar.random
) -> dict[str, Any]:
    """Encrypt one vote: choices[i] is the chosen level index of subject i, or None for a
    blank row. Returns the ballot JSON of protocol §5.

    Randomness is drawn from `rng` in this order (so known-answer vectors can replay it):
    for each row, for each level: r, then the bit proof's w, c_sim, z_sim; after the row's
    levels, the row proof's w, c_sim, z_sim ("row") or w ("row1").
    """
    if len(choices) != ctx.n_subjects:
        raise ValueError("one choice per subject is required")
    rows = []
    for i, choice in enumerate(choices):
        if choice is None and not ctx.blank_row_allowed:
            raise ValueError("this vote requires a mark in every row")
        if choice is not None and not 0 <= choice < ctx.n_levels:
            raise ValueError("choice out of range")
        cts: list[dict[str, Any]] = []
        row_cts: list[Ciphertext] = []
        total_r = Scalar(0)
        for k in range(ctx.n_levels):
            m = 1 if choice == k else 0
            r = rng()
            ct = encrypt(ctx.key, m, r)
            proof = prove_or("bit", ctx.fp, ctx.key, bit_context(i, k), ct, m, r, rng)
            cts.append({"a": ct.a.hex(), "b": ct.b.hex(), "proof": proof.to_json()})
            row_cts.append(ct)
            total_r = total_r + r
        total = add_all(row_cts)
        row_proof: OrProof | EqProof
        if ctx.blank_row_allowed:
            m_row = 0 if choice is None else 1
            row_proof = prove_or("row", ctx.fp, ctx.key, row_context(i), total, m_row, total_r, rng)
        else:
            row_proof = prove_row1(ctx.fp, ctx.key, i, total, total_r, rng)
        rows.append({"cts": cts, "row_proof": row_proof.to_json()})
    return {"fingerprint": ctx.fp.hex(), "rows": rows}


@dataclass(frozen=True, slots=True)
class CheckedBallot:
    """A ballot whose structure, points and proofs have all been verified."""

    doc: dict[str, Any]
    #: ciphertexts[i][k] for subject i, level k
    ciphertexts: tuple[tuple[Ciphertext, ...], ...]
    canonical: bytes
    tracker: bytes

    @property
    def short_code(self) -> str:
        return short_code(self.tracker)

    def point_encodings(self) -> list[bytes]:
        """Every a and b point of the ballot, for the board's duplicate check."""
        return [p.to_bytes() for row in self.ciphertexts for ct in row for p in (ct.a, ct.b)]


def short_code(tracker: bytes) -> str:
    """The first 40 bits of the tracker in Crockford base32, as "ABCD-EFGH"."""
    code = base32_encode(tracker[:5])
    return f"{code[:4]}-{code[4:]}"


def _fail(en: str, vi: str) -> InvalidBallot:
    return InvalidBallot(en, vi)


Where = tuple[str, str]  # a place in the ballot, in English and Vietnamese


def _expect_keys(value: object, keys: set[str], where: Where) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != keys:
        raise _fail(
            f"{where[0]}: expected an object with keys {sorted(keys)}",
            f"{where[1]}: cần một đối tượng có các khóa {sorted(keys)}",
        )
    return value


def _expect_list(value: object, length: int, where: Where) -> list[Any]:
    if not isinstance(value, list) or len(value) != length:
        raise _fail(
            f"{where[0]}: expected a list of {length} items",
            f"{where[1]}: cần danh sách {length} phần tử",
        )
    return value


#: Confidence ballots this process has checked (ballot.crypto.seen).
SEEN: Seen[CheckedBallot] = Seen()


def verify_ballot(ctx: ElectionContext, doc: object, parallel: bool = True) -> CheckedBallot:
    """Check a submitted ballot JSON against the election: exact shape, fingerprint, every
    point valid, every bit and row proof, no point repeated inside the ballot.

    Returns the CheckedBallot (with its tracker); raises InvalidBallot naming the first
    problem. The board's own duplicate check is `Board.append`. With `parallel`, rows are
    checked on a small thread pool (libsodium releases the GIL), which is what brings a
    6 × 3 ballot under the latency target on a 2-core machine. A ballot this process has
    already passed, byte for byte and for the same election, is not checked again (SEEN).
    """
    digest = document_digest(doc)
    election = (ctx.fp, ctx.key.to_bytes(), ctx.n_subjects, ctx.n_levels, ctx.blank_row_allowed)
    key = None if digest is None else (*election, digest)
    seen = SEEN.get(key)
    if seen is not None:
        return replace(seen, doc=cast(dict[str, Any], doc))  # the caller's own document
    checked = _verify_ballot(ctx, doc, parallel)
    SEEN.put(key, checked)
    return checked


def _verify_ballot(ctx: ElectionContext, doc: object, parallel: bool) -> CheckedBallot:
    ballot = _expect_keys(doc, {"fingerprint", "rows"}, ("ballot", "phiếu"))
    if ballot["fingerprint"] != ctx.fp.hex():
        raise _fail(
            "ballot is for another election (fingerprint differs)",
            "phiếu thuộc cuộc lấy phiếu khác (dấu vân tay không khớp)",
        )
    rows = _expect_list(ballot["rows"], ctx.n_subjects, ("rows", "các dòng"))
    jobs = [(ctx, i, row) for i, row in enumerate(rows)]
    if parallel and len(rows) > 1:
        checked_rows = pmap(lambda job: _verify_row(*job), jobs)
    else:
        checked_rows = [_verify_row(*job) for job in jobs]
    parts = [BALLOT_TAG, ctx.fp, u32(ctx.n_subjects), u32(ctx.n_levels)]
    parts += [row_bytes for _, row_bytes in checked_rows]
    checked = [row_cts for row_cts, _ in checked_rows]
    canonical = b"".join(parts)
    result = CheckedBallot(ballot, tuple(checked), canonical, h256(canonical))
    encodings = result.point_encodings()
    if len(set(encodings)) != len(encodings):
        raise _fail("the ballot repeats a ciphertext point", "phiếu lặp lại một điểm của bản mã")
    return result


def _verify_row(
    ctx: ElectionContext, i: int, row_value: object
) -> tuple[tuple[Ciphertext, ...], bytes]:
    """Check one row (cells and row proof); returns its ciphertexts and canonical bytes."""
    row_where = (f"row {i + 1}", f"dòng {i + 1}")
    row = _expect_keys(row_value, {"cts", "row_proof"}, row_where)
    cells = _expect_list(row["cts"], ctx.n_levels, row_where)
    parts: list[bytes] = []
    row_cts: list[Ciphertext] = []
    for k, cell_value in enumerate(cells):
        where = f"row {i + 1}, level {k + 1}"
        cell = _expect_keys(cell_value, {"a", "b", "proof"}, (where, f"dòng {i + 1}, mức {k + 1}"))
        try:
            a_raw = hex_to_bytes(cell["a"], 32)
            b_raw = hex_to_bytes(cell["b"], 32)
            proof = OrProof.from_json(cell["proof"])
            ct = verify_or_raw("bit", ctx.fp, ctx.key, bit_context(i, k), a_raw, b_raw, proof)
        except EncodingError as exc:
            raise _fail(f"{where}: {exc.en}", f"dòng {i + 1}, mức {k + 1}: {exc.vi}") from exc
        if ct is None:
            raise _fail(
                f"{where}: the proof that the cell holds 0 or 1 fails",
                f"dòng {i + 1}, mức {k + 1}: chứng minh ô chứa 0 hoặc 1 không đúng",
            )
        row_cts.append(ct)
        parts += [a_raw, b_raw, *(s.to_bytes() for s in proof.scalars())]
    total = add_all(row_cts)
    row_ok, row_scalars = _check_row(ctx, i, total, row["row_proof"])
    if not row_ok:
        exact = not ctx.blank_row_allowed
        raise _fail(
            f"row {i + 1}: the proof that the row has "
            + ("exactly one mark" if exact else "at most one mark")
            + " fails",
            f"dòng {i + 1}: chứng minh dòng có "
            + ("đúng một dấu" if exact else "tối đa một dấu")
            + " không đúng",
        )
    parts += [s.to_bytes() for s in row_scalars]
    return tuple(row_cts), b"".join(parts)


def _check_row(
    ctx: ElectionContext, i: int, total: Ciphertext, value: object
) -> tuple[bool, tuple[Scalar, ...]]:
    try:
        if ctx.blank_row_allowed:
            or_proof = OrProof.from_json(value)
            ok = _verify_or("row", ctx.fp, ctx.key, row_context(i), total, or_proof)
            return ok, or_proof.scalars()
        eq_proof = EqProof.from_json(value)
        return verify_row1(ctx.fp, ctx.key, i, total, eq_proof), eq_proof.scalars()
    except EncodingError as exc:
        raise _fail(f"row {i + 1}: {exc.en}", f"dòng {i + 1}: {exc.vi}") from exc
